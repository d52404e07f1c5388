/**
 * Honest by default: a trained model whose test NDCG@10 is below `pop`'s or `itemknn`'s on the
 * same split is said to be so, on its card and in the CLI's JSON. The baselines are fitted here
 * when they are not known yet (one pass each, about a second on the sample) and kept per split.
 */
import type { Dataset } from '../data/types';
import type { ModelId } from '../models/types';
import { type BaselineScores, CHECKED_BASELINES, ndcg10Of } from './baselineVerdict';
import type { LeaveLastOutSplit } from './split';
import { trainVariant } from './variants';

const known = new WeakMap<LeaveLastOutSplit, BaselineScores>();

/**
 * The baselines' test NDCG@10 on `split`: `given` where a caller already has them (a trained
 * card), fitted otherwise; remembered for the split.
 */
export async function baselineScores(
  dataset: Dataset,
  split: LeaveLastOutSplit,
  options: { given?: BaselineScores; signal?: AbortSignal } = {},
): Promise<BaselineScores> {
  const scores: BaselineScores = { ...known.get(split), ...options.given };
  for (const id of CHECKED_BASELINES) {
    if (Number.isFinite(scores[id])) continue;
    options.signal?.throwIfAborted();
    const { model, record } = await trainVariant(dataset, split, id as ModelId, {
      signal: options.signal,
    });
    model.dispose();
    scores[id] = ndcg10Of(record.test);
  }
  known.set(split, scores);
  return scores;
}

export {
  type BaselineScores,
  belowBaselines,
  belowSentence,
  ndcg10Of,
  withBaselineCheck,
} from './baselineVerdict';
