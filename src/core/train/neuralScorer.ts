/**
 * Adapts a {@link NeuralRecommender} to the evaluation's {@link Scorer}: the same metric code
 * then ranks neural models and baselines alike.
 */
import type { HistoryBatch, Scorer } from '../models/baseline-types';
import type { NeuralRecommender } from '../models/types';
import { historyTokens } from './batches';

/**
 * Scores a batch of histories with `model.scoreAll` (its last `maxLen` items) and reads the
 * scores back asynchronously (`await data()`: no blocking read on GPU backends), disposing the
 * tensor. The users argument is unused: the history is the whole input of a sequential model.
 */
export function neuralScorer(model: NeuralRecommender): Scorer {
  return async (_users, histories) => {
    const scores = model.scoreAll(historyTokens(histories, model.maxLen));
    try {
      return (await scores.data()) as Float32Array;
    } finally {
      scores.dispose();
    }
  };
}

/**
 * Pair scores of a neural model (the score of `items[r]` for history `r`), read back
 * asynchronously; the perturbation explainers' one call.
 */
export async function neuralPairScores(
  model: NeuralRecommender,
  histories: HistoryBatch,
  items: Int32Array,
): Promise<Float32Array> {
  const scores = model.scorePairs(historyTokens(histories, model.maxLen), items);
  try {
    return (await scores.data()) as Float32Array;
  } finally {
    scores.dispose();
  }
}

/**
 * The exact contributions of the items a model reads (its last `maxLen`), oldest first, to
 * the score of `item`, from the model's `exactContributions` view; null when it has none.
 */
export function neuralExactContributions(
  model: NeuralRecommender,
): ((history: HistoryBatch, item: number, fixed?: number) => Promise<Float64Array>) | undefined {
  const view = model.capabilities.exactContributions;
  if (!view) return undefined;
  return async (history, item, fixed = 0) => {
    const tokens = historyTokens(history, model.maxLen);
    const read = Math.min(model.maxLen, history.offsets[1] - history.offsets[0]);
    const contributions = view(tokens, Int32Array.of(item));
    try {
      const all = (await contributions.data()) as Float32Array;
      // Held-fixed items (the oldest `fixed` read ones) are present but get no share.
      return Float64Array.from(all.subarray(model.maxLen - read + Math.min(fixed, read)));
    } finally {
      contributions.dispose();
    }
  };
}
