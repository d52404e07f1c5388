/**
 * Models from other engines through the worker service with the real ingest, TF.js (wasm) and
 * engine: the proposal, the import (with a mapping file the user picked), the card with its
 * provenance and below-baselines check, recommendations and an explanation, the refusal of a
 * broken set of files, and no tensor growth over repeated imports.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { kerasHistoryFixture, kerasIdsFixture } from '../core/import/fixtures';
import type { NamedFile } from '../core/import/modelFiles';
import { useBackend } from '../core/models/tfTesting';
import * as tf from '../core/tf';
import type { LensWorkerApi, ModelCardSummary } from './api';
import { ingestDeps } from './ingestDeps';
import { createModelDeps } from './modelDeps';
import { createLensService } from './service';
import { createFakeDeps, failure } from './testDeps';

const noop = () => undefined;
const ITEMS = 20;
const rows: string[] = [];
for (let u = 0; u < 24; u++) {
  for (let t = 0; t < 6 + (u % 4); t++) {
    rows.push(`u${u},p${(3 * u + t) % ITEMS},${1_700_000_000 + 60 * t}`);
  }
}
const interactions = `user,item,timestamp\n${rows.join('\n')}\n`;
const asFiles = (files: readonly NamedFile[]) =>
  files.map((f) => new File([f.bytes.slice().buffer as ArrayBuffer], f.name));
/** Line k: the dataset id of model id k ("p<k-1>"); line 0: padding. */
const itemIds = new File(
  [['', ...Array.from({ length: ITEMS }, (_, k) => `p${k}`)].join('\n')],
  'item_ids.txt',
);

let service: LensWorkerApi;
/** The card of the history-in import (the first test), for the comparison's numbers. */
let historyCard: ModelCardSummary | null = null;

beforeAll(async () => {
  await useBackend('wasm');
  service = createLensService({ ...createFakeDeps().deps, ...ingestDeps }, createModelDeps());
  await service.loadInteractions(new Blob([interactions]), 'log.csv', null, noop);
}, 60_000);

describe('importing a model from another engine through the worker', () => {
  it('proposes, imports with the mapping file, checks it against the baselines and explains it', async () => {
    const files = asFiles(await kerasHistoryFixture(ITEMS, { maxLen: 6, shards: 2 }));
    const proposal = await service.proposeForeignModel(files);
    expect(proposal.kind).toBe('tfjs');
    if (proposal.kind !== 'tfjs') return;
    expect(proposal.needsIdFile).toEqual({ items: true, users: false });
    expect(proposal.summary.source).toContain('Keras 2.15.0');
    const card = await service.importForeignModel(files, {
      mapping: proposal.mapping,
      itemIdsFile: itemIds,
      name: 'gru4rec',
    });
    expect(card).toMatchObject({
      key: 'keras',
      id: 'keras',
      source: { kind: 'imported', name: 'gru4rec' },
    });
    historyCard = card;
    expect(card.source.kind === 'imported' && card.source.engine?.notes.length).toBeGreaterThan(0);
    // Nothing is trained here, but the card is held to the same bar as the others.
    expect(Array.isArray(card.record.belowBaselines)).toBe(true);
    expect(Object.keys(card.record.baselineNdcg10 ?? {}).sort()).toEqual(['itemknn', 'pop']);
    const recs = await service.recommend('keras', 'u3', 10);
    expect(recs).toHaveLength(10);
    const report = await service.explain(
      'keras',
      'u3',
      recs[0].itemId,
      { methods: ['ig', 'occlusion'] },
      noop,
    );
    expect(report.methods.ig?.status).toBe('ok');
    expect(report.methods.occlusion?.status).toBe('ok');
  });

  it('is compared with a trained model and exported and imported back unchanged', async () => {
    await service.trainModel('itemknn', {}, noop);
    const { report } = await service.compareModels(['keras', 'itemknn'], { resamples: 100 }, noop);
    expect(report.models.map((m) => m.key)).toEqual(['keras', 'itemknn']);
    const [keras] = report.models;
    expect(keras.modelId).toBe('keras');
    // The comparison's own pass over the test users agrees with the card's evaluation.
    const at10 = historyCard?.record.test?.atK.find((m) => m.k === 10);
    expect(keras.metrics.ndcg10).toBeCloseTo(at10?.ndcg ?? Number.NaN, 9);
    expect(keras.ci.ndcg10.lo).toBeLessThanOrEqual(keras.metrics.ndcg10);
    expect(keras.sizeBytes).toBeGreaterThan(0);
    const before = await service.recommend('keras', 'u5', 10);
    const files = await service.exportModel('keras');
    expect(JSON.parse(files.modelJson).userDefinedMetadata.interestLens.imported.kind).toBe(
      'keras',
    );
    const card = await service.importModel(
      new Blob([files.modelJson]),
      new Blob([files.weightsBin]),
    );
    expect(card.id).toBe('keras');
    const after = await service.recommend('keras', 'u5', 10);
    expect(after.map((r) => r.itemId)).toEqual(before.map((r) => r.itemId));
  });

  it('binds an ids-in model to the user it recommends to', async () => {
    const users = new File(
      [Array.from({ length: 24 }, (_, u) => `u${u}`).join('\n')],
      'user_ids.txt',
    );
    const files = asFiles(await kerasIdsFixture(24, ITEMS));
    const proposal = await service.proposeForeignModel(files);
    if (proposal.kind !== 'tfjs') throw new Error('expected a TF.js proposal');
    expect(proposal.needsIdFile).toEqual({ items: true, users: true });
    await service.importForeignModel(files, {
      mapping: proposal.mapping,
      itemIdsFile: itemIds,
      userIdsFile: users,
    });
    const a = await service.recommend('keras', 'u1', 5);
    const b = await service.recommend('keras', 'u2', 5);
    expect(a.map((r) => r.itemId)).not.toEqual(b.map((r) => r.itemId));
    const report = await service.explain(
      'keras',
      'u1',
      a[0].itemId,
      { methods: ['neighbours', 'occlusion'] },
      noop,
    );
    expect(report.historyIndependent).toBe(true);
    expect(report.methods.neighbours?.status).toBe('ok');
  });

  it('refuses a set with a missing shard in one sentence and keeps the live model', async () => {
    const files = asFiles(await kerasHistoryFixture(ITEMS, { maxLen: 6, shards: 3 }));
    const error = await failure(
      service.importForeignModel(files.slice(0, 2), { itemIdsFile: itemIds }),
    );
    expect(error.message).toMatch(/group1-shard2of3\.bin, which was not given/);
    expect(await service.recommend('keras', 'u1', 3)).toHaveLength(3);
  });

  it('checks a restored model saved without the baseline check (older files, the bundled one)', async () => {
    await service.trainModel('itemknn', {}, noop);
    const files = await service.exportModel('itemknn');
    const json = JSON.parse(files.modelJson);
    delete json.userDefinedMetadata.interestLens.record.belowBaselines;
    delete json.userDefinedMetadata.interestLens.record.baselineNdcg10;
    const card = await service.importModel(
      new Blob([JSON.stringify(json)]),
      new Blob([files.weightsBin]),
    );
    expect(card.source.kind).toBe('imported');
    expect(Array.isArray(card.record.belowBaselines)).toBe(true);
    expect(card.record.baselineNdcg10?.pop).toBeGreaterThan(0);
  });

  it('leaves no tensor behind over repeated imports', async () => {
    const files = asFiles(await kerasHistoryFixture(ITEMS, { maxLen: 6, shards: 2 }));
    const proposal = await service.proposeForeignModel(files);
    if (proposal.kind !== 'tfjs') throw new Error('expected a TF.js proposal');
    const once = async () =>
      service.importForeignModel(files, { mapping: proposal.mapping, itemIdsFile: itemIds });
    await once();
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) await once();
    expect(tf.memory().numTensors).toBe(before);
  });
});
