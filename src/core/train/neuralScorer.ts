/**
 * Adapts a {@link NeuralRecommender} to the evaluation's {@link Scorer}: the same metric code
 * then ranks neural models and baselines alike.
 */
import type { Scorer } from '../models/baseline-types';
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
