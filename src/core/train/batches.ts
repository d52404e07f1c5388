/**
 * From interaction sequences to model inputs: left-padded token histories for scoring, and
 * seeded, shuffled training windows for next-item training. Plain typed arrays, no tensors:
 * the model turns them into tensors inside its own tidy scope.
 */
import type { HistoryBatch, UserSequences } from '../models/baseline-types';
import type { CandidateSampling, HistoryTokens, TrainingBatch } from '../models/types';
import type { SeededRandom } from '../random';
import { drawCandidates, proposalFor } from './candidates';

/**
 * The last `maxLen` items of each history as tokens (item + 1), left-padded with 0, most recent
 * last. Older items beyond `maxLen` are not read by the model (`truncated` counts the rows).
 */
export function historyTokens(
  histories: HistoryBatch,
  maxLen: number,
): HistoryTokens & { truncated: number } {
  const batch = histories.offsets.length - 1;
  const tokens = new Int32Array(batch * maxLen);
  let truncated = 0;
  for (let r = 0; r < batch; r++) {
    const end = histories.offsets[r + 1];
    const start = Math.max(histories.offsets[r], end - maxLen);
    if (start > histories.offsets[r]) truncated++;
    const rowEnd = (r + 1) * maxLen;
    for (let p = end - 1, q = rowEnd - 1; p >= start; p--, q--) tokens[q] = histories.items[p] + 1;
  }
  return { tokens, batch, maxLen, truncated };
}

/**
 * Training windows over the train part of a split. Window w reads `items[start[w] .. end[w])`:
 * inputs are all but its last item, and at every input position the target is the next item.
 * Each user's sequence is cut from the most recent end backwards into windows of at most
 * `maxLen + 1` items that overlap by one, so every training transition is predicted exactly once.
 */
export interface TrainingWindows {
  items: Int32Array;
  start: Int32Array;
  end: Int32Array;
  /** Next-item predictions in all windows (one per training transition). */
  examples: number;
  /** Users with fewer than 2 training interactions: no transition to learn from. */
  usersWithoutTransitions: number;
}

export function trainingWindows(train: UserSequences, maxLen: number): TrainingWindows {
  if (!Number.isInteger(maxLen) || maxLen < 1) {
    throw new RangeError(`maxLen must be a positive integer; got ${maxLen}.`);
  }
  const starts: number[] = [];
  const ends: number[] = [];
  let examples = 0;
  let usersWithoutTransitions = 0;
  const users = train.offsets.length - 1;
  for (let u = 0; u < users; u++) {
    const first = train.offsets[u];
    let end = train.offsets[u + 1];
    if (end - first < 2) {
      usersWithoutTransitions++;
      continue;
    }
    while (end - first >= 2) {
      const start = Math.max(first, end - maxLen - 1);
      starts.push(start);
      ends.push(end);
      examples += end - start - 1;
      end = start + 1;
    }
  }
  return {
    items: train.items,
    start: Int32Array.from(starts),
    end: Int32Array.from(ends),
    examples,
    usersWithoutTransitions,
  };
}

/** A seeded Fisher-Yates permutation of 0..count-1. */
export function shuffledOrder(count: number, rng: SeededRandom): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  return order;
}

/**
 * The windows `order[from..to)` as one training batch: inputs left-padded to `maxLen`, the
 * target token at every position that has one, and `numNegatives` seeded uniform negatives per
 * target (never the target itself when the catalogue has another item), and
 * `numSharedNegatives` seeded uniform tokens for the whole batch (the loss masks collisions).
 * With `sampling`, the batch also carries the corrected sampled softmax's candidates: negatives
 * from the popularity-mixed proposal of these windows' targets, plus the batch's own targets
 * (see `candidates.ts`), drawn from `rng` after everything else.
 */
export function windowBatch(
  windows: TrainingWindows,
  order: Int32Array,
  from: number,
  to: number,
  maxLen: number,
  numItems: number,
  numNegatives: number,
  rng: SeededRandom,
  numSharedNegatives = 0,
  sampling?: CandidateSampling,
): TrainingBatch {
  const batch = to - from;
  const tokens = new Int32Array(batch * maxLen);
  let examples = 0;
  for (let r = from; r < to; r++) {
    const w = order[r];
    examples += windows.end[w] - windows.start[w] - 1;
  }
  const targetPositions = new Int32Array(examples);
  const targetTokens = new Int32Array(examples);
  let e = 0;
  for (let r = 0; r < batch; r++) {
    const w = order[from + r];
    const start = windows.start[w];
    const inputs = windows.end[w] - start - 1;
    const offset = r * maxLen + maxLen - inputs;
    for (let i = 0; i < inputs; i++) {
      tokens[offset + i] = windows.items[start + i] + 1;
      targetPositions[e] = offset + i;
      targetTokens[e] = windows.items[start + i + 1] + 1;
      e++;
    }
  }
  const negatives = new Int32Array(examples * numNegatives);
  for (let x = 0; x < examples; x++) {
    for (let k = 0; k < numNegatives; k++) {
      let token = rng.int(1, numItems);
      if (token === targetTokens[x] && numItems > 1) token = (token % numItems) + 1;
      negatives[x * numNegatives + k] = token;
    }
  }
  const sharedNegatives = new Int32Array(numSharedNegatives);
  for (let k = 0; k < numSharedNegatives; k++) sharedNegatives[k] = rng.int(1, numItems);
  const out: TrainingBatch = {
    inputs: { tokens, batch, maxLen },
    targetPositions,
    targetTokens,
    negatives,
    numNegatives,
    sharedNegatives,
  };
  if (sampling) {
    const proposal = proposalFor(windows, numItems, sampling.popularity);
    out.candidates = drawCandidates(proposal, sampling, targetTokens, rng);
  }
  return out;
}
