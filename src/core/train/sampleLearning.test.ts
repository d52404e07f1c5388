/**
 * A real check of learning: on the bundled sample data (650 users, 1,584 items, categories
 * and titles), each neural model, trained through `trainVariant` with a fixed seed and a small
 * epoch budget, must beat the popularity baseline on NDCG@10 by a margin. New variants in the
 * registry are covered automatically.
 *
 * Budget: history length 20 (the default is 50, din's and ncf's 20), each model's own tuned
 * learning rate and batch size (registry), at most 4 epochs with patience 1: the whole file took
 * 113 s on 2 cores on wasm. The margin is 1.25x pop's NDCG@10 on the same split (validation or
 * test). Measured with this budget, validation / test (pop 0.022 / 0.028): ncf 0.065 / 0.071,
 * twotower 0.058 / 0.079, weighted 0.052 / 0.056, din 0.054 / 0.065, layered 0.044 / 0.058,
 * sasrec 0.042 / 0.040, gru 0.033 / 0.032. The former ncf, which learned little beyond an item
 * bias, reached 0.024 / 0.028 (1.1x / 1.0x) after 8 full epochs: a popularity-only learner
 * cannot clear 1.25x, and an untrained model scores far below pop.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestInteractions, ingestItemMetadata } from '../data';
import { fileSource } from '../data/nodeSource';
import type { Dataset } from '../data/types';
import type { MetricReport } from '../models/baseline-types';
import { itemFeaturesFromDataset } from '../models/features';
import { NEURAL_MODELS } from '../models/registry';
import { useBackend } from '../models/tfTesting';
import type { ItemFeatures } from '../models/trained';
import type { ModelId } from '../models/types';
import { type LeaveLastOutSplit, temporalLeaveLastOut } from './split';
import { trainVariant } from './variants';

const MARGIN = 1.25;
const BUDGET = { epochs: 4, patience: 1, seed: 7 } as const;
const SAMPLE = path.resolve(__dirname, '../../../sample-data');

/**
 * Models that do not yet beat pop by the margin on this sample within the budget (none now:
 * gru was here until its tuned defaults, lr 0.01 and batch 32 with the exact softmax). Their
 * test asserts that they still fall short, so it turns red (and the entry must go) once one
 * learns.
 */
const KNOWN_BELOW_MARGIN: readonly ModelId[] = [];

const ndcgAt10 = (report: MetricReport | null) =>
  report?.atK.find((m) => m.k === 10)?.ndcg ?? Number.NaN;

let dataset: Dataset;
let features: ItemFeatures;
let split: LeaveLastOutSplit;
let pop: { validation: number; test: number };

beforeAll(async () => {
  await useBackend('wasm');
  const interactions = await ingestInteractions(
    await fileSource(path.join(SAMPLE, 'interactions.csv')),
    null,
  );
  const joined = await ingestItemMetadata(
    await fileSource(path.join(SAMPLE, 'items.csv')),
    null,
    interactions.dataset,
  );
  dataset = joined.dataset;
  features = itemFeaturesFromDataset(dataset);
  split = temporalLeaveLastOut(dataset);
  const { model, record } = await trainVariant(dataset, split, 'pop');
  model.dispose();
  pop = { validation: ndcgAt10(record.validation), test: ndcgAt10(record.test) };
}, 60_000);

describe('on the bundled sample, each neural model beats pop on NDCG@10', () => {
  it('has a sample on which pop is a fair floor', () => {
    expect(dataset.itemIds.length).toBeGreaterThan(1000);
    expect(pop.validation).toBeGreaterThan(0.01);
    expect(pop.test).toBeGreaterThan(0.01);
  });

  for (const id of Object.keys(NEURAL_MODELS) as ModelId[]) {
    const known = KNOWN_BELOW_MARGIN.includes(id);
    const test = known ? it.fails : it;
    test(`${id} clears ${MARGIN}x pop on validation or test${known ? ' (known not to yet)' : ''}`, async () => {
      await useBackend('wasm');
      const { model, record } = await trainVariant(dataset, split, id, {
        ...BUDGET,
        hyper: { maxLen: 20 },
        features,
      });
      model.dispose();
      const validation = ndcgAt10(record.validation);
      const heldOut = ndcgAt10(record.test);
      if (process.env.SAMPLE_LEARNING_LOG)
        console.info(`${id} epochs ${record.epochs} best ${record.bestEpoch}`);
      const summary = `${id}: validation ${validation.toFixed(4)} (pop ${pop.validation.toFixed(4)}), test ${heldOut.toFixed(4)} (pop ${pop.test.toFixed(4)})`;
      if (process.env.SAMPLE_LEARNING_LOG) console.info(summary);
      expect(validation > MARGIN * pop.validation || heldOut > MARGIN * pop.test, summary).toBe(
        true,
      );
    }, 120_000);
  }
});
