/**
 * What the comparison needs of one model: the rank of every test user's held-out item and the
 * user's top-10, from one scoring pass over the test histories (the protocol's full ranking,
 * seen items excluded, ties against), and the time that pass took. Every comparison figure
 * (metrics with CIs, paired tests, overlap of lists, cohorts) is computed from these, so the
 * numbers of different models are paired user by user.
 */
import type { TrainedRecommender } from '../models/trained';
import { evaluate } from '../train/evaluate';
import type { LeaveLastOutSplit } from '../train/split';

/** Length of the recommendation lists compared (Jaccard@10, RBO, coverage@10 ...). */
export const COMPARE_TOP_K = 10;

export interface ModelProfile {
  key: string;
  /** The variant (sasrec, itemknn ...). */
  modelId: string;
  /** Test users (dataset indices), one per test row of the split. */
  users: Int32Array;
  /** Rank of each test row's held-out item (1 = best; Infinity = cannot be hit). */
  ranks: Float64Array;
  /** Row-major `users.length x COMPARE_TOP_K` top lists, best first, -1 padded. */
  top: Int32Array;
  /** Scoring time per test user in milliseconds (the model's forward passes only). */
  latencyMsPerUser: number;
  /** Seconds the model took to train (or to derive, for int8); null when unknown. */
  trainSeconds: number | null;
  /** Bytes of the model's weights; null when unknown. */
  sizeBytes: number | null;
}

export interface ProfileOptions {
  key: string;
  trainSeconds?: number | null;
  sizeBytes?: number | null;
  signal?: AbortSignal;
  onProgress?: (usersDone: number, usersTotal: number) => void;
}

/** Bytes of a model's weights as it exports them (float32 unless the arrays say otherwise). */
export function weightBytes(model: TrainedRecommender): number {
  let bytes = 0;
  for (const w of model.exportWeights()) bytes += w.data.byteLength;
  return bytes;
}

/** Scores every test user once and keeps the ranks and top-10 lists (see {@link ModelProfile}). */
export async function profileModel(
  model: TrainedRecommender,
  split: LeaveLastOutSplit,
  options: ProfileOptions,
): Promise<ModelProfile> {
  const result = await evaluate(model.score, split, {
    which: 'test',
    k: [10, 20],
    keepTopK: COMPARE_TOP_K,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  const users = result.users;
  return {
    key: options.key,
    modelId: model.id,
    users,
    ranks: result.ranks,
    top: result.top ?? new Int32Array(0),
    latencyMsPerUser: users.length > 0 ? result.scoringMs / users.length : 0,
    trainSeconds: options.trainSeconds ?? null,
    sizeBytes: options.sizeBytes ?? null,
  };
}
