/**
 * Temporal leave-last-out split: the protocol every model variant is trained and evaluated on.
 * Per user, in time order: the last interaction is the test target, the second last the
 * validation target, the rest is training data.
 */
import type { Dataset } from '../data/types';
import type { HistoryBatch, UserSequences } from '../models/baseline-types';

/**
 * The held-out targets of one kind (validation or test), one per evaluated user, ascending by
 * user. The history of target r is `split.sequenceItems[historyStart[r] .. historyEnd[r])`:
 * every interaction of that user before the target (a view into the dataset, not a copy).
 */
export interface HeldOutTargets {
  users: Int32Array;
  /** Target item per evaluated user. */
  items: Int32Array;
  /** Target timestamp (epoch ms, NaN without timestamps). */
  timestamps: Float64Array;
  historyStart: Int32Array;
  historyEnd: Int32Array;
  /**
   * Targets whose item already occurs in their history (repeat consumption). The protocol
   * excludes seen items from the ranking, so these can never be hit; counted so the reader
   * knows how much of the miss rate is structural.
   */
  repeatTargets: number;
}

export interface LeaveLastOutSplit {
  numUsers: number;
  numItems: number;
  minInteractions: number;
  /**
   * What models learn from, for every user: all but the last two interactions of evaluated
   * users, and all interactions of excluded users (they have no target to leak into, and
   * dropping them would throw away evidence about the items they touched).
   */
  train: UserSequences;
  validation: HeldOutTargets;
  test: HeldOutTargets;
  /** Users with fewer than `minInteractions` interactions: trained on, never evaluated. */
  excludedUsers: Int32Array;
  /** All interactions in dataset order (user, time, file line); histories index into these. */
  sequenceItems: Int32Array;
  sequenceTimestamps: Float64Array;
}

export interface LeaveLastOutOptions {
  /** Fewest interactions a user needs to be evaluated; at least 3 (train, validation, test). */
  minInteractions: number;
}

/** Throws if the dataset breaks the CSR contract the split relies on (clear message, no guess). */
function assertDatasetShape(dataset: Dataset): void {
  const { userOffsets, user, item, timestamp } = dataset;
  const numUsers = dataset.userIds.length;
  const numItems = dataset.itemIds.length;
  const n = item.length;
  if (userOffsets.length !== numUsers + 1) {
    throw new Error(
      `Dataset userOffsets has length ${userOffsets.length}; expected ${numUsers + 1} (users + 1).`,
    );
  }
  if (user.length !== n || timestamp.length !== n) {
    throw new Error('Dataset user, item and timestamp arrays differ in length.');
  }
  if (userOffsets[0] !== 0 || userOffsets[numUsers] !== n) {
    throw new Error(`Dataset userOffsets must start at 0 and end at ${n} (interactions).`);
  }
  for (let u = 0; u < numUsers; u++) {
    const start = userOffsets[u];
    const end = userOffsets[u + 1];
    if (end < start) throw new Error(`Dataset userOffsets decrease at user index ${u}.`);
    for (let p = start; p < end; p++) {
      if (user[p] !== u) {
        throw new Error(
          `Interaction ${p} belongs to user ${user[p]} but lies in user ${u}'s range.`,
        );
      }
      const it = item[p];
      if (it < 0 || it >= numItems || !Number.isInteger(it)) {
        throw new Error(`Interaction ${p} has item index ${it}, outside 0..${numItems - 1}.`);
      }
      if (p > start && timestamp[p] < timestamp[p - 1]) {
        throw new Error(
          `User index ${u}'s interactions are not in time order at interaction ${p}.`,
        );
      }
    }
  }
}

/** True when `target` occurs in items[start..end). */
function occursIn(items: Int32Array, start: number, end: number, target: number): boolean {
  for (let p = start; p < end; p++) if (items[p] === target) return true;
  return false;
}

/**
 * Splits a dataset by time, per user: last = test, second last = validation, rest = train.
 * Users with fewer than `minInteractions` are listed in `excludedUsers` (and counted in every
 * metric report) and keep all their interactions in `train`. Deterministic: it depends only
 * on the dataset's order (time, then file line), which ingest fixes.
 *
 * Note that this split is per user, not a global time cut: another user's training data may
 * be later than this user's test target. That is the standard leave-one-out protocol our
 * reference numbers use.
 */
export function temporalLeaveLastOut(
  dataset: Dataset,
  options: LeaveLastOutOptions = { minInteractions: 3 },
): LeaveLastOutSplit {
  const { minInteractions } = options;
  if (!Number.isInteger(minInteractions) || minInteractions < 3) {
    throw new RangeError(
      `minInteractions must be an integer of at least 3 (train, validation, test); got ${minInteractions}.`,
    );
  }
  assertDatasetShape(dataset);
  const { userOffsets, item, timestamp } = dataset;
  const numUsers = dataset.userIds.length;

  let evaluated = 0;
  for (let u = 0; u < numUsers; u++) {
    if (userOffsets[u + 1] - userOffsets[u] >= minInteractions) evaluated++;
  }
  const excludedUsers = new Int32Array(numUsers - evaluated);
  const trainOffsets = new Int32Array(numUsers + 1);
  const trainItems = new Int32Array(item.length - 2 * evaluated);
  const trainTimestamps = new Float64Array(trainItems.length);
  const validation = emptyTargets(evaluated);
  const test = emptyTargets(evaluated);

  let excludedCount = 0;
  let row = 0;
  let t = 0;
  for (let u = 0; u < numUsers; u++) {
    const start = userOffsets[u];
    const end = userOffsets[u + 1];
    const isEvaluated = end - start >= minInteractions;
    const trainEnd = isEvaluated ? end - 2 : end;
    trainItems.set(item.subarray(start, trainEnd), t);
    trainTimestamps.set(timestamp.subarray(start, trainEnd), t);
    t += trainEnd - start;
    trainOffsets[u + 1] = t;
    if (!isEvaluated) {
      excludedUsers[excludedCount++] = u;
      continue;
    }
    fillTarget(validation, row, u, start, end - 2, item, timestamp);
    fillTarget(test, row, u, start, end - 1, item, timestamp);
    row++;
  }

  return {
    numUsers,
    numItems: dataset.itemIds.length,
    minInteractions,
    train: { offsets: trainOffsets, items: trainItems, timestamps: trainTimestamps },
    validation,
    test,
    excludedUsers,
    sequenceItems: item,
    sequenceTimestamps: timestamp,
  };
}

function emptyTargets(n: number): HeldOutTargets {
  return {
    users: new Int32Array(n),
    items: new Int32Array(n),
    timestamps: new Float64Array(n),
    historyStart: new Int32Array(n),
    historyEnd: new Int32Array(n),
    repeatTargets: 0,
  };
}

function fillTarget(
  targets: HeldOutTargets,
  row: number,
  user: number,
  historyStart: number,
  position: number,
  item: Int32Array,
  timestamp: Float64Array,
): void {
  targets.users[row] = user;
  targets.items[row] = item[position];
  targets.timestamps[row] = timestamp[position];
  targets.historyStart[row] = historyStart;
  targets.historyEnd[row] = position;
  if (occursIn(item, historyStart, position, item[position])) targets.repeatTargets++;
}

/**
 * User `u`'s whole history (every interaction, oldest first) as a one-row batch: what the page
 * recommends from and what `lens explain` explains (not the train part of the split).
 */
export function userHistory(dataset: Dataset, u: number): HistoryBatch {
  const start = dataset.userOffsets[u];
  const end = dataset.userOffsets[u + 1];
  return {
    offsets: Int32Array.of(0, end - start),
    items: dataset.item.slice(start, end),
    timestamps: dataset.timestamp.slice(start, end),
  };
}
