/**
 * What every method receives: the model, the items it reads with their positions in the whole
 * history, the explained item (and the margin's competitor), the shared perturbation scorer,
 * and, for neural models, the read window as left-padded tokens.
 */
import type { TrainedRecommender } from '../models/trained';
import type { HistoryTokens } from '../models/types';
import type { PerturbationScorer } from './perturbation';
import type { Attribution, ExplainOptions } from './types';

export interface ExplainSubject {
  model: TrainedRecommender;
  /** Read items, oldest first. */
  read: Int32Array;
  /**
   * Read items older than the explained ones, present in every edited history but not
   * attributed (a model without a window over a history longer than MAX_EXPLAINED_ITEMS).
   */
  context: Int32Array;
  /** Position of each read item in the whole history. */
  positions: Int32Array;
  item: number;
  competitor: number | null;
  scorer: PerturbationScorer;
  /** The read window as one left-padded row of tokens (neural models); null for baselines. */
  tokens: HistoryTokens | null;
  options: ExplainOptions;
  signal?: AbortSignal;
}

/** Per-read-item values as attributions (item, position, value), oldest first. */
export function toAttributions(subject: ExplainSubject, values: ArrayLike<number>): Attribution[] {
  return Array.from(subject.read, (item, k) => ({
    item,
    position: subject.positions[k],
    value: values[k],
  }));
}

/** The read items' slots in the left-padded token row: `maxLen − n .. maxLen − 1`. */
export function readSlots(subject: ExplainSubject): { first: number; count: number } {
  const maxLen = subject.tokens?.maxLen ?? subject.read.length;
  return { first: maxLen - subject.read.length, count: subject.read.length };
}

/** Items (the explained one, then the competitor) as the gradient target's pair rows. */
export function targetItems(subject: ExplainSubject, rows: number): Int32Array {
  const twice = subject.competitor !== null;
  const items = new Int32Array(twice ? 2 * rows : rows).fill(subject.item);
  if (twice) items.fill(subject.competitor as number, rows);
  return items;
}

/**
 * Why a method that needs the model's embeddings (or attention) cannot run: a baseline has
 * none; a model mapped from other data has them only in its own item space.
 */
export function withoutEmbeddings(subject: ExplainSubject, what: string): string {
  const { model } = subject;
  if (model.mapped) {
    return `${model.id} is seen through an item-id mapping onto this data, so ${what} cannot reach its embeddings: only the perturbation methods (occlusion, LIME, SHAP, counterfactual) apply.`;
  }
  return `${model.id} has no history embeddings: ${what} need a neural model.`;
}
