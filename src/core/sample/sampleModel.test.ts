/**
 * The pre-trained model shipped for the bundled sample (public/sample-model/, written by
 * `npm run sample-model`, see docs/sample-data.md) must be a valid model file for exactly this
 * sample (so the page restores it as "the same data", not mapped), small, and better than pop
 * on the held-out test interactions. If the sample changes, regenerate the model.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../data/types';
import type { MetricReport } from '../models/baseline-types';
import { useBackend } from '../models/tfTesting';
import { decodeModel, loadSavedModel, matchDataset } from '../persist';
import { datasetFingerprint } from '../persist/fingerprint';
import { evaluate } from '../train/evaluate';
import { temporalLeaveLastOut } from '../train/split';
import { trainVariant } from '../train/variants';
import { loadSampleDataset, readSampleModelFiles, SAMPLE_MODEL_DIR } from './sampleModelTesting';

const at = (report: MetricReport | null, k: number) => {
  const m = report?.atK.find((x) => x.k === k);
  if (!m) throw new Error(`No metrics at K = ${k}.`);
  return m;
};

let dataset: Dataset;
let files: { modelJson: string; weightsBin: Uint8Array };

beforeAll(async () => {
  await useBackend('wasm');
  dataset = await loadSampleDataset();
  files = readSampleModelFiles();
}, 60_000);

describe('the shipped sample model (public/sample-model/)', () => {
  it('is small: model.json + weights.bin well under 1 MB', () => {
    const json = statSync(path.join(SAMPLE_MODEL_DIR, 'model.json')).size;
    const bin = statSync(path.join(SAMPLE_MODEL_DIR, 'weights.bin')).size;
    expect(json + bin).toBeLessThan(800 * 1024);
  });

  it('decodes and matches the bundled sample exactly (fingerprint, item ids)', () => {
    const { meta } = decodeModel(files.modelJson, files.weightsBin);
    expect(meta.record.modelId).toBe('sasrec');
    expect(meta.dataset.fingerprint).toBe(datasetFingerprint(dataset));
    expect(matchDataset(meta, dataset)).toEqual({ status: 'same' });
    expect(meta.dataset).toMatchObject({
      users: dataset.userIds.length,
      items: dataset.itemIds.length,
      interactions: dataset.item.length,
    });
  });

  it('records test metrics (full ranking) that beat pop on the same split', async () => {
    const { meta } = decodeModel(files.modelJson, files.weightsBin);
    const { test, validation } = meta.record;
    expect(test?.protocol).toBe('full-ranking');
    const split = temporalLeaveLastOut(dataset);
    const pop = await trainVariant(dataset, split, 'pop');
    pop.model.dispose();
    const summary =
      `sasrec test NDCG@10 ${at(test, 10).ndcg.toFixed(4)} HR@10 ${at(test, 10).hitRate.toFixed(4)} ` +
      `(validation ${at(validation, 10).ndcg.toFixed(4)}); ` +
      `pop test NDCG@10 ${at(pop.record.test, 10).ndcg.toFixed(4)} HR@10 ${at(pop.record.test, 10).hitRate.toFixed(4)} ` +
      `(validation ${at(pop.record.validation, 10).ndcg.toFixed(4)})`;
    console.log(summary);
    expect(test?.usersEvaluated).toBe(pop.record.test?.usersEvaluated);
    for (const k of [10, 20]) {
      expect(at(test, k).ndcg, summary).toBeGreaterThan(1.25 * at(pop.record.test, k).ndcg);
      expect(at(test, k).hitRate, summary).toBeGreaterThan(at(pop.record.test, k).hitRate);
    }
    expect(at(validation, 10).ndcg, summary).toBeGreaterThan(
      1.25 * at(pop.record.validation, 10).ndcg,
    );
  });

  it('restores to a model whose test evaluation reproduces the recorded metrics', async () => {
    const loaded = loadSavedModel(files.modelJson, files.weightsBin, dataset);
    try {
      expect(loaded.match.status).toBe('same');
      const split = temporalLeaveLastOut(dataset);
      const { report } = await evaluate(loaded.model.score, split, { which: 'test', k: [10, 20] });
      const recorded = loaded.meta.record.test;
      expect(report.mrr).toBeCloseTo(recorded?.mrr ?? Number.NaN, 5);
      for (const k of [10, 20]) {
        expect(at(report, k).ndcg).toBeCloseTo(at(recorded ?? null, k).ndcg, 5);
        expect(at(report, k).hitRate).toBeCloseTo(at(recorded ?? null, k).hitRate, 5);
      }
    } finally {
      loaded.model.dispose();
    }
  });
});
