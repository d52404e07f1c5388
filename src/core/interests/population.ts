/**
 * The evolution of a group of users (everyone, or a cohort of heavy or light users): their
 * window counts summed on one grid aligned to the dataset's first timestamp, so a window means
 * the same dates for every user and every cohort.
 */
import { type CategoryCounts, emptyCounts, mergeCounts } from './distribution';
import { collectEvents } from './events';
import { chooseUnit, MAX_WINDOWS, MS_MINUTE, timeGrid, windowCount } from './time';
import type { CategoryMap, Cohort, InterestOptions, PopulationEvolution } from './types';
import { blockEvolution, countBlocks, countWindows, gridEvolution } from './windows';

/** The parts of a Dataset the population view reads. */
export interface InterestDataset {
  /** CSR offsets: user u's events are [userOffsets[u], userOffsets[u + 1]). */
  userOffsets: Int32Array;
  item: Int32Array;
  /** Epoch ms; NaN without timestamps. */
  timestamp: Float64Array;
  hasTimestamps: boolean;
}

/**
 * The users of a cohort, ascending: `all`, `heavy` (the `share` of users with the most
 * interactions) or `light` (the `share` with the fewest); at least one user when there are any.
 * Ties go by user index.
 */
export function cohortUsers(dataset: InterestDataset, cohort: Cohort, share = 0.2): Int32Array {
  if (!(share > 0 && share <= 1)) {
    throw new RangeError(`A cohort's share of users must lie in (0, 1], got ${share}.`);
  }
  const users = dataset.userOffsets.length - 1;
  if (cohort === 'all') return Int32Array.from({ length: users }, (_, u) => u);
  const size = (u: number) => dataset.userOffsets[u + 1] - dataset.userOffsets[u];
  const order = Array.from({ length: users }, (_, u) => u).sort((a, b) =>
    cohort === 'heavy' ? size(b) - size(a) || a - b : size(a) - size(b) || a - b,
  );
  const take = users === 0 ? 0 : Math.max(1, Math.round(users * share));
  return Int32Array.from(order.slice(0, take)).sort();
}

/**
 * The evolution of `users`: per-window counts summed over the users on one grid from the
 * dataset's first to its last timestamp (UTC midnight of the first day; the 1st of its month
 * for months). Without timestamps (or when every timestamp is the same), window k holds every
 * user's k-th block of `eventsPerWindow` events, in file order.
 */
export function populationEvolution(
  dataset: InterestDataset,
  users: Int32Array,
  categories: CategoryMap,
  options: InterestOptions,
): PopulationEvolution {
  const notes: string[] = [];
  const k = categories.names.length;
  let events = 0;
  for (const u of users) events += dataset.userOffsets[u + 1] - dataset.userOffsets[u];
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  if (dataset.hasTimestamps) {
    for (const t of dataset.timestamp) {
      if (t < min) min = t;
      if (t > max) max = t;
    }
  }
  const spansTime = dataset.hasTimestamps && Number.isFinite(min) && max > min;
  const timed = spansTime && windowCount(min, max, 'month') <= MAX_WINDOWS;
  const collapse = options.counting.collapseRepeats;
  const gap = options.surface.sessionGapMinutes * MS_MINUTE;
  const empty = { windows: [], drift: [], changePoints: [], users: users.length, events, notes };
  if (events === 0) {
    notes.push('This group has no events.');
    return { unit: timed ? 'day' : 'count', ...empty };
  }
  if (timed) {
    const choice = chooseUnit(options.windows.unit, min, max);
    if (choice.note) notes.push(choice.note);
    const grid = timeGrid(min, max, choice.unit);
    const counts = Array.from({ length: grid.bounds.length - 1 }, () => emptyCounts(k));
    for (const u of users) {
      const from = dataset.userOffsets[u];
      const to = dataset.userOffsets[u + 1];
      const ev = collectEvents(dataset.item, dataset.timestamp, undefined, collapse, from, to, gap);
      countWindows(ev.items, ev.times, categories, grid, 0, ev.items.length, counts);
    }
    const evolution = gridEvolution(grid, counts, options);
    if (evolution.windows.length === 1) {
      notes.push(`The data spans one ${choice.unit}: there is no evolution to show.`);
    }
    return { ...evolution, users: users.length, events, notes };
  }
  const per = options.windows.eventsPerWindow;
  const why = spansTime
    ? `The timestamps span more than ${MAX_WINDOWS} months`
    : dataset.hasTimestamps
      ? 'Every timestamp is the same'
      : 'There are no timestamps';
  notes.push(`${why}: window k holds each user's k-th block of ${per} events (file order).`);
  const counts: CategoryCounts[] = [];
  let longest = 0;
  for (const u of users) {
    const from = dataset.userOffsets[u];
    const to = dataset.userOffsets[u + 1];
    const ev = collectEvents(dataset.item, dataset.timestamp, undefined, collapse, from, to, gap);
    longest = Math.max(longest, ev.items.length);
    countBlocks(ev.items, categories, per).forEach((block, i) => {
      if (!counts[i]) counts[i] = emptyCounts(k);
      mergeCounts(counts[i], block);
    });
  }
  const evolution = blockEvolution(counts, per, longest, options);
  if (evolution.windows.length === 1) {
    notes.push(`Every user fits in one window of ${per} events: there is no evolution to show.`);
  }
  return { ...evolution, users: users.length, events, notes };
}
