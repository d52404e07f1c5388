/**
 * Test-only helpers for the evolution model: per-user weekly windows of a dataset over one
 * common grid (from the dataset's first timestamp), computed directly from the dataset's arrays
 * so the model's tests do not depend on the observed-interests code.
 */
import type { Dataset } from '../data/types';
import type { InterestWindow } from './types';

export const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * Every user's windows of `widthMs` (default a week) from the dataset's first timestamp to its
 * last: an item with k categories adds 1/k to each; events without a category are not counted.
 */
export function userWindows(dataset: Dataset, widthMs = WEEK_MS): InterestWindow[][] {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const t of dataset.timestamp) {
    if (t < first) first = t;
    if (t > last) last = t;
  }
  if (!Number.isFinite(first)) throw new Error('The dataset has no timestamps.');
  const count = Math.floor((last - first) / widthMs) + 1;
  const c = dataset.categoryNames.length;
  const users = dataset.userOffsets.length - 1;
  const out: InterestWindow[][] = [];
  for (let u = 0; u < users; u++) {
    const windows: InterestWindow[] = Array.from({ length: count }, (_, w) => ({
      start: first + w * widthMs,
      end: first + (w + 1) * widthMs,
      events: 0,
      distribution: new Array<number>(c).fill(0),
    }));
    for (let e = dataset.userOffsets[u]; e < dataset.userOffsets[u + 1]; e++) {
      const cats = dataset.itemCategories[dataset.item[e]];
      if (cats.length === 0) continue;
      const w = windows[Math.floor((dataset.timestamp[e] - first) / widthMs)];
      w.events++;
      for (const k of cats) w.distribution[k] += 1 / cats.length;
    }
    for (const w of windows) {
      if (w.events > 0) w.distribution = w.distribution.map((m) => m / w.events);
    }
    out.push(windows);
  }
  return out;
}

/** A window of `events` events with the given mix (start/end are the window's index). */
export function windowOf(index: number, distribution: number[], events = 5): InterestWindow {
  return { start: index, end: index + 1, events, distribution };
}
