/**
 * `neighbours`: how alike each read history item is to the explained item in the model's own
 * item space, as a cosine: the model's item similarity where it has one (ALS factors, an ids-in
 * model's item table), else a neural model's input embeddings. It says which history items the
 * model sees as close to the recommendation, not how much each one moved the score, so it is
 * reported in its own unit (`similarity`); for a model whose score does not read the history
 * (ids-in, ALS from stored user factors) it is the one view that remains.
 */
import * as tf from '../tf';
import { type ExplainSubject, readSlots, toAttributions } from './subject';
import type { NeighboursResult, UnavailableMethod } from './types';

function unavailable(reason: string, started: number): UnavailableMethod {
  return { method: 'neighbours', status: 'unavailable', reason, ms: performance.now() - started };
}

/** Cosine of `a` and `b` (0 when either is the zero vector: an unknown item). */
function cosine(
  a: ArrayLike<number>,
  at: number,
  b: ArrayLike<number>,
  bt: number,
  d: number,
): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < d; k++) {
    dot += a[at + k] * b[bt + k];
    na += a[at + k] * a[at + k];
    nb += b[bt + k] * b[bt + k];
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

export async function neighbours(
  subject: ExplainSubject,
): Promise<NeighboursResult | UnavailableMethod> {
  const started = performance.now();
  const { model } = subject;
  const result = (values: ArrayLike<number>, source: string): NeighboursResult => ({
    method: 'neighbours',
    status: 'ok',
    unit: 'similarity',
    source,
    attributions: toAttributions(subject, values),
    evaluations: 0,
    ms: performance.now() - started,
    note: `Cosine similarity of each history item's ${source} to the item's: which history items the model sees as alike, not how much each moved the score.`,
  });
  if (model.itemSimilarity) {
    const { values, source } = model.itemSimilarity(subject.read, subject.item);
    return result(values, source);
  }
  const neural = model.neural;
  if (!neural || model.mapped || !subject.tokens) {
    return unavailable(
      model.mapped
        ? `${model.id} is seen through an item-id mapping onto this data, so its item vectors are not in this data's item space.`
        : `${model.id} has no item vectors to compare.`,
      started,
    );
  }
  const { maxLen } = subject.tokens;
  const itemRow = new Int32Array(maxLen);
  itemRow[maxLen - 1] = subject.item + 1;
  const both = new Int32Array(2 * maxLen);
  both.set(subject.tokens.tokens, 0);
  both.set(itemRow, maxLen);
  const emb = neural.embedHistory({ tokens: both, batch: 2, maxLen });
  try {
    const data = (await emb.data()) as Float32Array;
    const d = emb.shape[2];
    const { first, count } = readSlots(subject);
    const target = (maxLen + maxLen - 1) * d;
    const values = Float64Array.from({ length: count }, (_, k) =>
      cosine(data, (first + k) * d, data, target, d),
    );
    return result(values, 'input embedding');
  } finally {
    tf.dispose(emb);
  }
}
