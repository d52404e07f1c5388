/**
 * Per-window category counts (on a time grid, or by blocks of events when there are no
 * times), the drift between consecutive windows and the evolution record built from them.
 */
import { detectChangePoints } from './changePoints';
import {
  addItem,
  type CategoryCounts,
  emptyCounts,
  jensenShannon,
  normalize,
} from './distribution';
import type { TimeGrid } from './time';
import type { CategoryMap, InterestEvolution, InterestOptions } from './types';

/**
 * Adds events `from..to` (times ascending) to per-window counts on `grid` (new counts unless
 * `into` is given). Events off the grid are left out.
 */
export function countWindows(
  items: ArrayLike<number>,
  times: ArrayLike<number>,
  categories: CategoryMap,
  grid: TimeGrid,
  from = 0,
  to = items.length,
  into?: CategoryCounts[],
): CategoryCounts[] {
  const windows = grid.bounds.length - 1;
  const counts =
    into ?? Array.from({ length: windows }, () => emptyCounts(categories.names.length));
  let w = 0;
  for (let i = from; i < to; i++) {
    const t = times[i];
    if (!(t >= grid.bounds[0] && t < grid.bounds[windows])) continue;
    if (t < grid.bounds[w]) w = 0; // out of order: search again from the start
    while (w < windows - 1 && t >= grid.bounds[w + 1]) w++;
    addItem(counts[w], categories, items[i]);
  }
  return counts;
}

/** Per-window counts of consecutive blocks of `perWindow` events (windows by count). */
export function countBlocks(
  items: ArrayLike<number>,
  categories: CategoryMap,
  perWindow: number,
  from = 0,
  to = items.length,
): CategoryCounts[] {
  const counts: CategoryCounts[] = [];
  for (let start = from; start < to; start += perWindow) {
    const c = emptyCounts(categories.names.length);
    const end = Math.min(to, start + perWindow);
    for (let i = start; i < end; i++) addItem(c, categories, items[i]);
    counts.push(c);
  }
  return counts;
}

/**
 * drift[i]: Jensen-Shannon divergence (bits) between window i and the previous non-empty
 * window; 0 for the first non-empty window and for empty ones.
 */
export function windowDrift(counts: readonly CategoryCounts[]): number[] {
  const drift: number[] = [];
  let previous: CategoryCounts | null = null;
  for (const c of counts) {
    if (c.total <= 0) {
      drift.push(0);
      continue;
    }
    drift.push(previous ? jensenShannon(previous.mass, c.mass) : 0);
    previous = c;
  }
  return drift;
}

/** The evolution record of per-window counts with their bounds. */
export function evolutionOf(
  unit: InterestEvolution['unit'],
  counts: readonly CategoryCounts[],
  starts: readonly number[],
  ends: readonly number[],
  options: InterestOptions,
): InterestEvolution {
  return {
    unit,
    windows: counts.map((c, i) => ({
      start: starts[i],
      end: ends[i],
      events: c.events,
      distribution: Array.from(normalize(c.mass)),
    })),
    drift: windowDrift(counts),
    changePoints: detectChangePoints(counts, options.changePoints),
  };
}

/** Evolution on a time grid. */
export function gridEvolution(
  grid: TimeGrid,
  counts: readonly CategoryCounts[],
  options: InterestOptions,
): InterestEvolution {
  return evolutionOf(grid.unit, counts, grid.bounds.slice(0, -1), grid.bounds.slice(1), options);
}

/** Evolution of blocks of `perWindow` events: bounds are event positions. */
export function blockEvolution(
  counts: readonly CategoryCounts[],
  perWindow: number,
  events: number,
  options: InterestOptions,
): InterestEvolution {
  const starts = counts.map((_, i) => i * perWindow);
  const ends = counts.map((_, i) => Math.min(events, (i + 1) * perWindow));
  return evolutionOf('count', counts, starts, ends, options);
}
