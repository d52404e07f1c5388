/**
 * Puts accepted interactions in the dataset's deterministic order (by user, then timestamp,
 * then file line) with CSR offsets per user, and finds exact duplicates, which are only
 * meaningful once rows with equal user and time sit side by side.
 */
import type { Dataset } from './types';

/**
 * Accepted rows with ids already re-indexed: the columns of a {@link Dataset}, but still in
 * file order (not yet sorted by user and time) and without the per-user CSR offsets, which
 * {@link orderInteractions} computes.
 */
export type CollectedInteractions = Omit<Dataset, 'userOffsets'>;

export interface DuplicateRow {
  line: number;
  /** Line of the earlier identical row that was kept. */
  ofLine: number;
  user: number;
  item: number;
  timestamp: number;
  action: number;
  value: number;
}

/**
 * Stable counting sort by user, then by (timestamp, file line) within each user. Also returns
 * the timestamps in that order, gathered while placing rows, so later passes read them in
 * sequence.
 */
export function userTimeOrder(c: CollectedInteractions): {
  order: Int32Array;
  offsets: Int32Array;
  time: Float64Array;
} {
  const n = c.user.length;
  const users = c.userIds.length;
  const ts = c.timestamp;
  const offsets = new Int32Array(users + 1);
  for (let i = 0; i < n; i++) offsets[c.user[i] + 1]++;
  for (let u = 0; u < users; u++) offsets[u + 1] += offsets[u];
  const cursor = offsets.slice(0, users);
  const order = new Int32Array(n);
  const time = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = cursor[c.user[i]]++;
    order[k] = i;
    time[k] = ts[i];
  }
  if (!c.hasTimestamps) return { order, offsets, time };
  const byTimeThenLine = (a: number, b: number) => ts[a] - ts[b] || a - b;
  for (let u = 0; u < users; u++) {
    const from = offsets[u];
    const to = offsets[u + 1];
    let sorted = true;
    for (let k = from + 1; k < to; k++) {
      if (time[k] < time[k - 1]) {
        sorted = false;
        break;
      }
    }
    if (sorted) continue;
    if (to - from <= 32) {
      insertionSort(order, time, from, to);
    } else {
      order.set(Array.from(order.subarray(from, to)).sort(byTimeThenLine), from);
      for (let k = from; k < to; k++) time[k] = ts[order[k]];
    }
  }
  return { order, offsets, time };
}

/** Sorts [from, to) by (time, index) moving both arrays; indices are in file order. */
function insertionSort(order: Int32Array, time: Float64Array, from: number, to: number): void {
  for (let k = from + 1; k < to; k++) {
    const i = order[k];
    const t = time[k];
    let j = k - 1;
    while (j >= from && (time[j] > t || (time[j] === t && order[j] > i))) {
      order[j + 1] = order[j];
      time[j + 1] = time[j];
      j--;
    }
    order[j + 1] = i;
    time[j + 1] = t;
  }
}

/** Builds the dataset in user/time order and takes exact duplicates out (the first copy stays). */
export function orderInteractions(c: CollectedInteractions): {
  dataset: Dataset;
  duplicates: DuplicateRow[];
} {
  const { order, offsets, time: sortedTime } = userTimeOrder(c);
  const n = order.length;
  const users = c.userIds.length;
  const keep = new Uint8Array(n).fill(1);
  const duplicates: DuplicateRow[] = [];
  if (c.hasTimestamps) {
    for (let u = 0; u < users; u++) {
      const end = offsets[u + 1];
      let runStart = offsets[u];
      for (let k = runStart + 1; k <= end; k++) {
        if (k < end && sortedTime[k] === sortedTime[runStart]) continue;
        if (k - runStart > 1) markDuplicates(c, order, runStart, k, keep, duplicates);
        runStart = k;
      }
    }
  }
  const kept = n - duplicates.length;
  const user = new Int32Array(kept);
  const item = new Int32Array(kept);
  const timestamp = new Float64Array(kept);
  const action = new Int32Array(kept);
  const value = new Float32Array(kept);
  const line = new Int32Array(kept);
  const userOffsets = new Int32Array(users + 1);
  let out = 0;
  for (let u = 0; u < users; u++) {
    for (let k = offsets[u]; k < offsets[u + 1]; k++) {
      if (!keep[k]) continue;
      const i = order[k];
      user[out] = u;
      item[out] = c.item[i];
      timestamp[out] = sortedTime[k];
      action[out] = c.action[i];
      value[out] = c.value[i];
      line[out] = c.line[i];
      out++;
    }
    userOffsets[u + 1] = out;
  }
  duplicates.sort((a, b) => a.line - b.line);
  return {
    dataset: {
      userIds: c.userIds,
      itemIds: c.itemIds,
      actionNames: c.actionNames,
      categoryNames: c.categoryNames,
      user,
      item,
      timestamp,
      action,
      value,
      line,
      userOffsets,
      itemTitle: c.itemTitle,
      itemCategories: c.itemCategories,
      hasTimestamps: c.hasTimestamps,
    },
    duplicates,
  };
}

/** Within rows of one user at one instant (in line order), flags repeats of an earlier row. */
function markDuplicates(
  c: CollectedInteractions,
  order: Int32Array,
  from: number,
  to: number,
  keep: Uint8Array,
  out: DuplicateRow[],
): void {
  const firstLine = new Map<string, number>();
  for (let k = from; k < to; k++) {
    const i = order[k];
    // Value is a float32; its string form is exact and NaN (no value) equals NaN here.
    const key = `${c.item[i]} ${c.action[i]} ${c.value[i]}`;
    const earlier = firstLine.get(key);
    if (earlier === undefined) {
      firstLine.set(key, c.line[i]);
      continue;
    }
    keep[k] = 0;
    out.push({
      line: c.line[i],
      ofLine: earlier,
      user: c.user[i],
      item: c.item[i],
      timestamp: c.timestamp[i],
      action: c.action[i],
      value: c.value[i],
    });
  }
}
