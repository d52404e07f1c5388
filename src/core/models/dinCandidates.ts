/**
 * The candidates of a DIN training batch, laid out per history row (window).
 *
 * DIN must recompute its attention for every candidate, so a per-example candidate list would
 * cost (examples × candidates × positions). But a candidate's attention logit at position t
 * does not depend on which example asks: only what the example may see (positions up to its
 * own) does. So each row gets ONE candidate list, scored once against every position; the
 * score at every prefix is then a cumulative sum over positions. The list is the row's own
 * targets plus the batch's shared negatives. Each example is a softmax over its own target and
 * the shared negatives only: the row's other targets are the same user's items, often items
 * the user takes up later in the window, and training against them (tried: validation NDCG@10
 * fell below popularity's on the bundled sample) teaches the model to push down exactly the
 * items that resemble the history.
 */
import type { TrainingBatch } from './types';

/** Added to a logit that must not take part in an example's softmax. */
export const EXCLUDED = -1e9;

export interface RowCandidates {
  /** Candidate slots per row: the most distinct targets of any row, then the shared negatives. */
  perRow: number;
  /** `[batch, perRow]` candidate tokens; 0 in unused slots. */
  tokens: Int32Array;
  /** Per example: the slot of its target in its row's list. */
  labels: Int32Array;
  /**
   * `[examples, perRow]`: 0 at the example's own target and at the shared negatives, except a
   * shared negative that happens to be the target; {@link EXCLUDED} everywhere else.
   */
  exclusions: Float32Array;
}

/** Builds each row's candidate list and every example's label and exclusions (see file comment). */
export function rowCandidates(batch: TrainingBatch): RowCandidates {
  const { batch: rows, maxLen } = batch.inputs;
  const examples = batch.targetTokens.length;
  const shared = batch.sharedNegatives;
  if (shared.length === 0) {
    throw new Error(
      "din trains against shared negatives, and the batch has none: build it with the model's trainingSharedNegatives.",
    );
  }
  const slotsByRow: Map<number, number>[] = Array.from({ length: rows }, () => new Map());
  for (let e = 0; e < examples; e++) {
    const row = slotsByRow[rowOf(batch, e, maxLen)];
    const token = batch.targetTokens[e];
    if (!row.has(token)) row.set(token, row.size);
  }
  const distinct = slotsByRow.reduce((m, slots) => Math.max(m, slots.size), 1);
  const perRow = distinct + shared.length;
  const tokens = new Int32Array(rows * perRow);
  slotsByRow.forEach((slots, b) => {
    for (const [token, slot] of slots) tokens[b * perRow + slot] = token;
    tokens.set(shared, b * perRow + distinct);
  });
  const labels = new Int32Array(examples);
  const exclusions = new Float32Array(examples * perRow);
  for (let e = 0; e < examples; e++) {
    const b = rowOf(batch, e, maxLen);
    const target = batch.targetTokens[e];
    labels[e] = slotsByRow[b].get(target) as number;
    for (let s = 0; s < perRow; s++) {
      const token = tokens[b * perRow + s];
      const otherTarget = s < distinct && s !== labels[e];
      if (token === 0 || otherTarget || (token === target && s !== labels[e])) {
        exclusions[e * perRow + s] = EXCLUDED;
      }
    }
  }
  return { perRow, tokens, labels, exclusions };
}

function rowOf(batch: TrainingBatch, e: number, maxLen: number): number {
  return Math.floor(batch.targetPositions[e] / maxLen);
}
