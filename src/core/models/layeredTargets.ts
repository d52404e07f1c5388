/**
 * The training targets of the `layered` model's three category heads, derived from a training
 * batch's windows and the item -> category map (the batch carries only tokens; the future of
 * each position is the rest of its window).
 *
 * For the example at position p of a window (its target is the item at p + 1):
 * - surface: the categories of the next item (horizon 1);
 * - middle: the category distribution of the next `horizon` items (p + 1 .. p + horizon); only
 *   examples with that many items still ahead in the window are trained on it, so the head
 *   never learns a shorter horizon near a window's end;
 * - deep: the category distribution of the whole window (every item read or predicted in it),
 *   the same for every position: the user's long-horizon, stable interests.
 *
 * An item with several categories counts 1/|categories| for each; items without categories
 * count for nothing. An example whose items carry no category at all has no target for that
 * head (its mask is 0) rather than a made-up one.
 */
import type { TrainingBatch } from './types';

export interface HeadTargets {
  /** `[examples, numCategories]` distributions (rows sum to 1 where `mask` is 1). */
  distribution: Float32Array;
  /** `[examples]`: 1 where the example has a target for this head. */
  mask: Float32Array;
  /** Examples with a target. */
  count: number;
}

export interface InterestTargets {
  surface: HeadTargets;
  middle: HeadTargets;
  deep: HeadTargets;
}

/**
 * @param categoriesOfToken categories per model token (index 0 = padding: none)
 * @param horizon items ahead that define the middle layer
 */
export function interestTargets(
  batch: TrainingBatch,
  categoriesOfToken: readonly (readonly number[])[],
  numCategories: number,
  horizon: number,
): InterestTargets {
  const { tokens, batch: rows, maxLen } = batch.inputs;
  const examples = batch.targetTokens.length;
  const heads = {
    surface: emptyHead(examples, numCategories),
    middle: emptyHead(examples, numCategories),
    deep: emptyHead(examples, numCategories),
  };
  // Examples of each row in position order (the batch lists them so; sorted to be safe).
  const byRow: number[][] = Array.from({ length: rows }, () => []);
  for (let e = 0; e < examples; e++) byRow[Math.floor(batch.targetPositions[e] / maxLen)].push(e);
  const scratch = new Float32Array(numCategories);
  const whole = new Float32Array(numCategories);
  byRow.forEach((list, b) => {
    if (list.length === 0) return;
    list.sort((x, y) => batch.targetPositions[x] - batch.targetPositions[y]);
    const window: number[] = [];
    for (let t = 0; t < maxLen; t++)
      if (tokens[b * maxLen + t] !== 0) window.push(tokens[b * maxLen + t]);
    window.push(batch.targetTokens[list[list.length - 1]]);
    const deepHas = distribution(window, categoriesOfToken, whole);
    list.forEach((e, i) => {
      if (deepHas) write(heads.deep, e, whole);
      if (distribution([batch.targetTokens[e]], categoriesOfToken, scratch)) {
        write(heads.surface, e, scratch);
      }
      if (i + horizon <= list.length) {
        const ahead = list.slice(i, i + horizon).map((f) => batch.targetTokens[f]);
        if (distribution(ahead, categoriesOfToken, scratch)) write(heads.middle, e, scratch);
      }
    });
  });
  return heads;
}

function emptyHead(examples: number, numCategories: number): HeadTargets {
  return {
    distribution: new Float32Array(examples * numCategories),
    mask: new Float32Array(examples),
    count: 0,
  };
}

/** Fills `out` with the category distribution of `items`; false when none has a category. */
function distribution(
  items: readonly number[],
  categoriesOfToken: readonly (readonly number[])[],
  out: Float32Array,
): boolean {
  out.fill(0);
  let total = 0;
  for (const token of items) {
    const cats = categoriesOfToken[token];
    for (const c of cats) out[c] += 1 / cats.length;
    if (cats.length > 0) total++;
  }
  if (total === 0) return false;
  for (let c = 0; c < out.length; c++) out[c] /= total;
  return true;
}

function write(head: HeadTargets, e: number, values: Float32Array): void {
  head.distribution.set(values, e * values.length);
  head.mask[e] = 1;
  head.count++;
}
