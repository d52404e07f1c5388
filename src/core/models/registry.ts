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
}

/** The neural variants implemented so far; the others join as they are written. */
export const NEURAL_MODELS: Partial<Record<ModelId, NeuralModelEntry>> = {
  gru: {
    factory: createGru,
    hyper: GRU_HYPER,
    description: 'GRU over the history (GRU4Rec-style); the last state is the current interest.',
  },
  sasrec: {
    factory: createSasRec,
    hyper: SASREC_HYPER,
    description: 'Causal self-attention over the history (SASRec); exposes attention weights.',
  },
  twotower: {
    factory: createTwoTower,
    hyper: TWOTOWER_HYPER,
    description:
      'Two towers (pooled history; item id + categories + title), cosine score, in-batch contrastive loss.',
  },
  ncf: {
    factory: createNcf,
    hyper: NCF_HYPER,
    description:
      'NeuMF over the mean history embedding: GMF (u ⊙ v) and MLP branches, sampled negatives.',
  },
  weighted: {
    factory: createWeighted,
    hyper: WEIGHTED_HYPER,
    description:
      'Glass box: interest I = Σ (α frequency + β recency) x_t, score I · v; exact per-item contributions.',
  },
  din: {
    factory: createDin,
    hyper: DIN_HYPER,
    description:
      'DIN target attention: each history item weighted by its relevance to the candidate item.',
  },
  layered: {
    factory: createLayered,
    hyper: LAYERED_HYPER,
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

function entryFor(id: ModelId): NeuralModelEntry {
  const entry = NEURAL_MODELS[id];
  if (!entry) {
    const known = Object.keys(NEURAL_MODELS).join(', ');
    throw new Error(`No neural model named ${id}; available: ${known}.`);
  }
  return entry;
}
