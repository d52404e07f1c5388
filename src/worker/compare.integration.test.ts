/**
 * The compare view's worker methods with the real ingest, models (wasm) and engine: the
 * comparison in dataset ids with the numbers of each model's own evaluation, cohorts, the
 * user lists, the explanation agreement with progress and cancel, clear refusals, a retrained
 * model compared afresh, and no tensor growth over repeated calls.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../core/models/tfTesting';
import * as tf from '../core/tf';
import type { LensWorkerApi } from './api';
import { ingestDeps } from './ingestDeps';
import { createModelDeps } from './modelDeps';
import { createLensService } from './service';
import { createFakeDeps, failure } from './testDeps';

const noop = () => undefined;

// 30 users walking a 24-item cycle at different speeds and lengths.
const ITEMS = 24;
const rows: string[] = [];
for (let u = 0; u < 30; u++) {
  for (let t = 0; t < 6 + (u % 5); t++) {
    rows.push(`u${u},i${(5 * u + t * (1 + (u % 2))) % ITEMS},${1_700_000_000 + 3600 * t}`);
  }
}
const interactions = `user,item,timestamp\n${rows.join('\n')}\n`;
const itemsFile = `item,title,genres\n${Array.from(
  { length: ITEMS },
  (_, i) => `i${i},Title ${i},${['Drama', 'Comedy', 'Sci-Fi'][i % 3]}`,
).join('\n')}\n`;

let service: LensWorkerApi;

beforeAll(async () => {
  await useBackend('wasm');
  service = createLensService({ ...createFakeDeps().deps, ...ingestDeps }, createModelDeps());
  await service.loadInteractions(new Blob([interactions]), 'cycle.csv', null, noop);
  await service.loadItems(new Blob([itemsFile]), 'items.csv', null, noop);
  await service.trainModel('itemknn', {}, noop);
  await service.trainModel('pop', {}, noop);
  await service.trainModel(
    'weighted',
    { hyper: { dim: 8, maxLen: 6, dropout: 0 }, epochs: 2, batchSize: 32, seed: 7 },
    noop,
  );
}, 60_000);

describe('compare through the worker service', () => {
  it('compares models with the metrics of their own evaluation, per-user values in user ids', async () => {
    const progress: string[] = [];
    const { report, perUser } = await service.compareModels(
      ['itemknn', 'pop'],
      { resamples: 200 },
      (p) => progress.push(p.model),
    );
    expect(report.models.map((m) => m.key)).toEqual(['itemknn', 'pop']);
    expect(report.users).toBe(30);
    expect(perUser.userIds).toHaveLength(30);
    expect(perUser.userIds[0]).toMatch(/^u\d+$/);
    expect(progress).toContain('itemknn');
    const cards = Object.fromEntries(
      await Promise.all(
        ['itemknn', 'pop'].map(async (k) => [k, await service.recommend(k, 'u3', 10)] as const),
      ),
    );
    expect(cards.itemknn).toHaveLength(10);
    // The lists of one user are that user's top-10 on the test history (one item fewer than
    // `recommend`'s whole history), in ids, with the held-out item marked.
    const lists = await service.compareLists(['itemknn', 'pop'], 'u3');
    expect(lists.userId).toBe('u3');
    expect(lists.lists.itemknn.length).toBeGreaterThan(0);
    const hits = lists.lists.itemknn.filter((i) => i.hit).map((i) => i.itemId);
    expect(hits.every((id) => id === lists.testItem.itemId)).toBe(true);
    expect(lists.ranks.itemknn === null || lists.ranks.itemknn >= 1).toBe(true);
  });

  it('restricts to a cohort and refuses what cannot be compared, in one sentence each', async () => {
    const all = await service.compareModels(['itemknn', 'weighted'], { resamples: 100 }, noop);
    const heavy = await service.compareModels(
      ['itemknn', 'weighted'],
      { cohort: 'heavy-users', resamples: 100 },
      noop,
    );
    expect(heavy.report.cohort).toBe('heavy-users');
    expect(heavy.report.users).toBeLessThan(all.report.users);
    expect(heavy.perUser.userIds).toHaveLength(heavy.report.users);
    expect((await failure(service.compareModels(['itemknn'], {}, noop))).code).toBe(
      'invalid-options',
    );
    expect((await failure(service.compareModels(['itemknn', 'gru'], {}, noop))).message).toMatch(
      /no trained model gru/,
    );
    expect(
      (await failure(service.compareModels(['itemknn', 'pop'], { cohort: 'x' as never }, noop)))
        .message,
    ).toBe('There is no cohort x.');
    expect((await failure(service.compareLists(['itemknn', 'pop'], 'nobody'))).code).toBe(
      'unknown-user',
    );
  });

  it('runs the explanation agreement with progress, for a sample or one user, and cancels', async () => {
    const events: { done: number; total: number }[] = [];
    const agreement = await service.compareExplanations(
      ['weighted', 'itemknn'],
      { users: 4 },
      (p) => events.push(p),
    );
    expect(agreement.users).toBe(4);
    expect(events.at(-1)).toEqual({ done: 8, total: 8 });
    const occlusion = agreement.pairs.find((p) => p.method === 'occlusion');
    expect(occlusion?.users).toBeGreaterThan(0);
    expect(agreement.samples[0].userId).toMatch(/^u\d+$/);
    const one = await service.compareExplanations(['weighted', 'itemknn'], { userId: 'u7' }, noop);
    expect(one.samples.map((s) => s.userId)).toEqual(['u7']);
    expect(one.samples[0].models.weighted.methods.occlusion?.[0].itemId).toMatch(/^i\d+$/);

    const running = service.compareExplanations(['weighted', 'itemknn'], { users: 30 }, noop);
    service.cancelComparison();
    expect((await failure(running)).code).toBe('cancelled');
  });

  it('compares a retrained model afresh and leaves no tensors over repeated calls', async () => {
    const before = await service.compareModels(['weighted', 'pop'], { resamples: 100 }, noop);
    await service.compareExplanations(['weighted', 'pop'], { users: 2 }, noop);
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      await service.compareModels(
        ['weighted', 'pop'],
        { resamples: 100, cohort: 'cold-users' },
        noop,
      );
      await service.compareExplanations(['weighted', 'pop'], { users: 2, seed: i }, noop);
    }
    expect(tf.memory().numTensors).toBe(tensors);
    await service.trainModel(
      'weighted',
      { hyper: { dim: 8, maxLen: 6, dropout: 0 }, epochs: 1, batchSize: 32, seed: 99 },
      noop,
    );
    const after = await service.compareModels(['weighted', 'pop'], { resamples: 100 }, noop);
    expect(after.report.models[0].trainSeconds).not.toBe(before.report.models[0].trainSeconds);
  });
});
