/**
 * Model id -> factory, with each model's documented hyper-parameters. The trainer, the worker
 * and the comparison view create models only through here, so every variant gets the same
 * seeding and validation.
 */
import { createDin, DIN_HYPER } from './din';
import { createGru, GRU_HYPER } from './gru';
import type { HyperSpec } from './hyper';
import { createLayered, LAYERED_HYPER } from './layered';
import { createNcf, NCF_HYPER } from './ncf';
import { createSasRec, SASREC_HYPER } from './sasrec';
import type { ItemFeatures } from './trained';
import { createTwoTower, TWOTOWER_HYPER } from './twotower';
import type { HyperParameters, ModelFactory, ModelId, NeuralRecommender } from './types';
import { createWeighted, WEIGHTED_HYPER } from './weighted';

export interface NeuralModelEntry {
  factory: ModelFactory;
  /** Every parameter with its default, range and meaning (for the UI and the docs). */
  hyper: Record<string, HyperSpec>;
  description: string;
  /**
   * The model's own Adam learning rate and batch size (windows per batch), tuned on
   * MovieLens 100K validation NDCG@10 (`npm run bench -- tune`); absent = the shared defaults.
   */
  training?: { learningRate: number; batchSize: number };
}

/** The neural variants implemented so far; the others join as they are written. */
export const NEURAL_MODELS: Partial<Record<ModelId, NeuralModelEntry>> = {
  gru: {
    factory: createGru,
    hyper: GRU_HYPER,
    // ml-100k validation NDCG@10 in 2 min, sampled-softmax: 0.103 (lr 0.01, batch 32) vs 0.098
    // (0.005, 32), 0.080 (0.01, 128); with the softmax that loss `auto` picks there: 0.111
    training: { learningRate: 0.01, batchSize: 32 },
    description: 'GRU over the history (GRU4Rec-style); the last state is the current interest.',
  },
  sasrec: {
    factory: createSasRec,
    hyper: SASREC_HYPER,
    // ml-100k validation NDCG@10 in 2 min, sampled-softmax: 0.118 (lr 0.005, batch 32) vs 0.090
    // (0.005, 128), 0.049 (0.01, 128, unstable); softmax at (0.005, 32): 0.117
    training: { learningRate: 0.005, batchSize: 32 },
    description: 'Causal self-attention over the history (SASRec); exposes attention weights.',
  },
  twotower: {
    factory: createTwoTower,
    hyper: TWOTOWER_HYPER,
    // ml-100k validation NDCG@10 in 2 min: 0.078 (lr 0.01, batch 128) vs 0.074 (0.01, 32)
    training: { learningRate: 0.01, batchSize: 128 },
    description:
      'Two towers (pooled history; item id + categories + title), cosine score, in-batch contrastive loss.',
  },
  ncf: {
    factory: createNcf,
    hyper: NCF_HYPER,
    // ml-100k validation NDCG@10 in 2 min: 0.084 (lr 0.01, batch 32) vs 0.076 (0.005, 32), 0.064 (0.01, 128)
    training: { learningRate: 0.01, batchSize: 32 },
    description:
      'NeuMF over the mean history embedding: GMF (u ⊙ v) and MLP branches, sampled negatives.',
  },
  weighted: {
    factory: createWeighted,
    hyper: WEIGHTED_HYPER,
    // ml-100k validation NDCG@10 in 2 min, sampled-softmax: 0.103 (lr 0.01, batch 32) vs 0.099
    // (0.005, 32), 0.096 (0.01, 128); softmax at (0.01, 32): 0.105
    training: { learningRate: 0.01, batchSize: 32 },
    description:
      'Glass box: interest I = Σ (α frequency + β recency) x_t, score I · v; exact per-item contributions.',
  },
  din: {
    factory: createDin,
    hyper: DIN_HYPER,
    // ml-100k validation NDCG@10 in 2 min: 0.090 (lr 0.005, batch 32) vs 0.082 (0.002, 32); at
    // batch 128 and lr 0.005 the loss rose from epoch 2 (best 0.047, at epoch 1)
    training: { learningRate: 0.005, batchSize: 32 },
    description:
      'DIN target attention: each history item weighted by its relevance to the candidate item.',
  },
  layered: {
    factory: createLayered,
    hyper: LAYERED_HYPER,
    // ml-100k validation NDCG@10 in 2 min, sampled-softmax: 0.102 (lr 0.01, batch 32) vs 0.098
    // (0.005, 32), 0.079 (0.01, 128); softmax at (0.01, 32): 0.116
    training: { learningRate: 0.01, batchSize: 32 },
    description:
      'GRU encoder with a next-item head and surface / middle / deep category-interest heads (needs categories).',
  },
};

/** Default hyper-parameters of a model, as plain data. */
export function defaultHyper(id: ModelId): HyperParameters {
  const entry = entryFor(id);
  return Object.fromEntries(Object.entries(entry.hyper).map(([k, spec]) => [k, spec.default]));
}

/**
 * A fresh model with seeded initial weights. `hyper` may name only some parameters (the rest
 * take their defaults); unknown or out-of-range ones are refused with a message naming them.
 * `features` (item categories and titles) is required by the models that read them (layered).
 */
export function createModel(
  id: ModelId,
  numItems: number,
  hyper: HyperParameters = {},
  seed = 42,
  features?: ItemFeatures,
): NeuralRecommender {
  return entryFor(id).factory(numItems, hyper, seed, features);
}

/**
 * The registry entry of `id`, or undefined. An own-property lookup: a model id read from a file
 * may be `toString`, `constructor` or `__proto__`, which a plain `NEURAL_MODELS[id]` (or `in`)
 * would find on Object.prototype.
 */
export function neuralEntry(id: string): NeuralModelEntry | undefined {
  return Object.hasOwn(NEURAL_MODELS, id) ? NEURAL_MODELS[id as ModelId] : undefined;
}

function entryFor(id: ModelId): NeuralModelEntry {
  const entry = neuralEntry(id);
  if (!entry) {
    const known = Object.keys(NEURAL_MODELS).join(', ');
    throw new Error(`No neural model named ${id}; available: ${known}.`);
  }
  return entry;
}
