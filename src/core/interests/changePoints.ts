/**
 * Change points of a sequence of window mixes, by binary segmentation: the split of the
 * (non-empty) windows into a before and an after that gains the most information about the
 * category of an event (N·H(all) − n₁·H(before) − n₂·H(after), bits) is kept when
 *
 * - that gain beats chance: it exceeds mean + z·sd of the best gains over shuffled window
 *   orders (a seeded permutation test: windows keep their own mix, only their order changes,
 *   so a single busy window such as a short burst is no evidence of a lasting change), and
 * - the mixes before and after differ by at least `minDivergence` (Jensen-Shannon, bits);
 *
 * then each side is split again. A persistent shift (a deep interest replaced by another) is
 * what this finds; the drift between consecutive windows, which a week with two events makes
 * noisy, is reported next to it but not used to decide.
 */
import { SeededRandom } from '../random';
import { type CategoryCounts, jensenShannon } from './distribution';
import type { InterestOptions } from './types';

/** Shuffled orders per test (99: a gain beating all of them has p = 0.01). */
export const CHANGE_POINT_PERMUTATIONS = 99;
/** Fewest non-empty windows a segment needs to be split again. */
export const MIN_SEGMENT_WINDOWS = 4;
/** Splits within splits, at most (so at most 15 change points). */
const MAX_DEPTH = 4;
const SEED = 1_729;

function xlogx(x: number): number {
  return x > 0 ? x * Math.log2(x) : 0;
}

interface Split {
  /** Position (in the segment) of the first window after the split; -1 if none. */
  at: number;
  gain: number;
}

/** The best split of the windows `order[0..length)`, by information gain. */
function bestSplit(
  masses: readonly Float64Array[],
  totals: readonly number[],
  order: readonly number[],
  k: number,
  left: Float64Array,
): Split {
  const whole = new Float64Array(k);
  let n = 0;
  for (const w of order) {
    const m = masses[w];
    for (let c = 0; c < k; c++) whole[c] += m[c];
    n += totals[w];
  }
  let wholeTerm = xlogx(n);
  for (let c = 0; c < k; c++) wholeTerm -= xlogx(whole[c]);
  left.fill(0);
  let nLeft = 0;
  let best: Split = { at: -1, gain: Number.NEGATIVE_INFINITY };
  for (let j = 1; j < order.length; j++) {
    const m = masses[order[j - 1]];
    for (let c = 0; c < k; c++) left[c] += m[c];
    nLeft += totals[order[j - 1]];
    const nRight = n - nLeft;
    if (nLeft <= 0 || nRight <= 0) continue;
    let leftTerm = xlogx(nLeft);
    let rightTerm = xlogx(nRight);
    for (let c = 0; c < k; c++) {
      leftTerm -= xlogx(left[c]);
      rightTerm -= xlogx(whole[c] - left[c]);
    }
    const gain = wholeTerm - leftTerm - rightTerm;
    if (gain > best.gain) best = { at: j, gain };
  }
  return best;
}

/**
 * Window indices (ascending) where the mix changes for good. A change point is the window where
 * the new mix starts; when empty windows separate the two sides, the middle of that gap (the
 * change happened somewhere in it).
 */
export function detectChangePoints(
  counts: readonly CategoryCounts[],
  options: InterestOptions['changePoints'],
): number[] {
  const index: number[] = [];
  for (let i = 0; i < counts.length; i++) if (counts[i].total > 0) index.push(i);
  if (index.length < MIN_SEGMENT_WINDOWS) return [];
  const k = counts[index[0]].mass.length;
  const masses = index.map((i) => counts[i].mass);
  const totals = index.map((i) => counts[i].total);
  const rng = new SeededRandom(SEED, 'change-points');
  const scratch = new Float64Array(k);
  const points: number[] = [];

  const segment = (from: number, to: number, depth: number) => {
    const length = to - from;
    if (length < MIN_SEGMENT_WINDOWS || depth > MAX_DEPTH) return;
    const order = Array.from({ length }, (_, i) => from + i);
    const split = bestSplit(masses, totals, order, k, scratch);
    if (split.at < 0) return;
    const before = new Float64Array(k);
    const after = new Float64Array(k);
    for (let j = 0; j < length; j++) {
      const target = j < split.at ? before : after;
      const m = masses[from + j];
      for (let c = 0; c < k; c++) target[c] += m[c];
    }
    if (jensenShannon(before, after) < options.minDivergence) return;
    let sum = 0;
    let sumSq = 0;
    const shuffled = order.slice();
    for (let b = 0; b < CHANGE_POINT_PERMUTATIONS; b++) {
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        const t = shuffled[i];
        shuffled[i] = shuffled[j];
        shuffled[j] = t;
      }
      const g = bestSplit(masses, totals, shuffled, k, scratch).gain;
      sum += g;
      sumSq += g * g;
    }
    const mean = sum / CHANGE_POINT_PERMUTATIONS;
    const sd = Math.sqrt(Math.max(0, sumSq / CHANGE_POINT_PERMUTATIONS - mean * mean));
    if (!(split.gain > mean + options.z * sd)) return;
    const lastBefore = index[from + split.at - 1];
    const firstAfter = index[from + split.at];
    points.push(Math.round((lastBefore + 1 + firstAfter) / 2));
    segment(from, from + split.at, depth + 1);
    segment(from + split.at, to, depth + 1);
  };
  segment(0, index.length, 0);
  return points.sort((a, b) => a - b);
}
