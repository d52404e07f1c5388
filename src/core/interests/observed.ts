/**
 * Observed interest layers of one user, computed from the history alone:
 *
 * - **surface**: the mix of the latest session (split by an inactivity gap) or of the last N
 *   events; its `top` is what is new now, the category rising most over the earlier events;
 * - **middle**: the mix in each recurring context (weekday / weekend, daytime / evening, UTC,
 *   and `action:<name>` where the data has actions), reported where it differs from the user's
 *   other events; its `top` is the category rising most in that context;
 * - **deep**: long-term core interests from decay-weighted counts (2^(-age / half-life), age
 *   from the last event), kept where they hold in every context and across windows (see
 *   {@link DeepCategory}), with each category's stability;
 * - **evolution**: per-window mixes (day / week / calendar month, UTC; windows by count without
 *   times), the drift between consecutive windows and change points.
 *
 * Degenerate data (no timestamps, every timestamp equal, one window, no events) is said plainly
 * in `notes`. Deterministic: the change points' permutation test is seeded.
 */
import {
  addItem,
  argmax,
  type CategoryCounts,
  emptyCounts,
  jensenShannon,
  normalize,
  rankedIndices,
  riseScores,
  subtractCounts,
  topShares,
} from './distribution';
import { collectEvents, type InterestEvents } from './events';
import {
  chooseUnit,
  isoTime,
  MAX_WINDOWS,
  MS_DAY,
  MS_MINUTE,
  subGrid,
  TIME_CONTEXTS,
  timeContexts,
  timeGrid,
  windowCount,
} from './time';
import {
  type CategoryMap,
  DEFAULT_INTEREST_OPTIONS,
  type DeepCategory,
  type DeepLayer,
  type DeepPartial,
  type InterestEvolution,
  type InterestHistory,
  type InterestOptions,
  type MiddleContext,
  type SurfaceLayer,
  type UserInterests,
} from './types';
import { blockEvolution, countBlocks, countWindows, gridEvolution } from './windows';

export { cohortUsers, populationEvolution } from './population';
export { type TimeGrid, timeGrid, type WindowUnit, windowUnitFor } from './time';

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

function fail(field: string, rule: string, value: unknown): never {
  throw new RangeError(`Interest option ${field} must be ${rule}, got ${String(value)}.`);
}

function checkNumber(field: string, value: number, min: number, max: number, integer: boolean) {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= min &&
    value <= max &&
    (!integer || Number.isInteger(value));
  if (!ok) fail(field, `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`, value);
}

function checkPositive(field: string, value: number, max: number) {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= max)) {
    fail(field, `a number above 0 and at most ${max}`, value);
  }
}

function checkChoice(field: string, value: unknown, choices: readonly unknown[]) {
  if (!choices.includes(value)) fail(field, `one of ${choices.join(', ')}`, value);
}

/**
 * The defaults with `input` applied, validated: an out-of-range value throws a RangeError whose
 * one-sentence message names the field (e.g. `deep.halfLifeDays`).
 */
export function resolveInterestOptions(input: DeepPartial<InterestOptions> = {}): InterestOptions {
  const d = DEFAULT_INTEREST_OPTIONS;
  const o: InterestOptions = {
    counting: { ...d.counting, ...input.counting },
    surface: { ...d.surface, ...input.surface },
    middle: { ...d.middle, ...input.middle },
    deep: { ...d.deep, ...input.deep },
    windows: { ...d.windows, ...input.windows },
    changePoints: { ...d.changePoints, ...input.changePoints },
  };
  checkChoice('counting.collapseRepeats', o.counting.collapseRepeats, [true, false]);
  checkChoice('surface.mode', o.surface.mode, ['session', 'last-n']);
  checkPositive('surface.sessionGapMinutes', o.surface.sessionGapMinutes, 525_600);
  checkNumber('surface.lastN', o.surface.lastN, 1, 1_000_000, true);
  checkNumber('middle.minEvents', o.middle.minEvents, 1, 1_000_000, true);
  checkNumber('middle.minDivergence', o.middle.minDivergence, 0, 1, false);
  checkNumber('middle.minZ', o.middle.minZ, 0, 100, false);
  checkPositive('deep.halfLifeDays', o.deep.halfLifeDays, 36_500);
  checkChoice('windows.unit', o.windows.unit, ['auto', 'day', 'week', 'month']);
  checkNumber('windows.eventsPerWindow', o.windows.eventsPerWindow, 1, 1_000_000, true);
  checkNumber('changePoints.z', o.changePoints.z, 0, 100, false);
  checkNumber('changePoints.minDivergence', o.changePoints.minDivergence, 0, 1, false);
  return o;
}

// ---------------------------------------------------------------------------------------------
// Layers
// ---------------------------------------------------------------------------------------------

/** How the history's timestamps can be used. */
type TimeKind = 'time' | 'none' | 'equal';

function timeKind(times: ArrayLike<number>, n: number): TimeKind {
  if (n === 0) return 'none';
  for (let i = 0; i < n; i++) if (!Number.isFinite(times[i])) return 'none';
  for (let i = 1; i < n; i++) if (times[i] !== times[0]) return 'time';
  return n === 1 ? 'time' : 'equal';
}

function countRange(
  ev: InterestEvents,
  categories: CategoryMap,
  from: number,
  to: number,
): CategoryCounts {
  const counts = emptyCounts(categories.names.length);
  for (let i = from; i < to; i++) addItem(counts, categories, ev.items[i]);
  return counts;
}

/** The largest positive entry of `z` and its value; -1 when none is positive. */
function topRise(z: Float64Array, names: readonly string[]): { index: number; z: number } {
  const index = argmax(z, names);
  return { index, z: index < 0 ? 0 : z[index] };
}

function surfaceLayer(
  ev: InterestEvents,
  timed: boolean,
  categories: CategoryMap,
  options: InterestOptions,
  notes: string[],
): SurfaceLayer {
  const n = ev.items.length;
  let from = Math.max(0, n - options.surface.lastN);
  let mode: SurfaceLayer['mode'] = 'last-n';
  if (options.surface.mode === 'session') {
    if (timed) {
      const gap = options.surface.sessionGapMinutes * MS_MINUTE;
      from = Math.max(0, n - 1);
      while (from > 0 && ev.times[from] - ev.times[from - 1] <= gap) from--;
      mode = 'session';
    } else if (n > 0) {
      notes.push(
        `Sessions need distinct timestamps: the surface layer is the last ${options.surface.lastN} events instead of the latest session.`,
      );
    }
  }
  const now = countRange(ev, categories, from, n);
  const before = countRange(ev, categories, 0, from);
  let top: { index: number; z: number };
  if (before.total > 0) top = topRise(riseScores(now, before), categories.names);
  else top = { index: argmax(now.mass, categories.names), z: 0 };
  return {
    top: top.index < 0 ? null : categories.names[top.index],
    topZ: top.z,
    categories: topShares(now.mass, categories.names),
    events: n - from,
    from: timed && n > 0 ? ev.times[from] : null,
    to: timed && n > 0 ? ev.times[n - 1] : null,
    mode,
  };
}

function middleLayer(
  ev: InterestEvents,
  timed: boolean,
  actionNames: readonly string[],
  categories: CategoryMap,
  overall: CategoryCounts,
  options: InterestOptions,
): MiddleContext[] {
  const n = ev.items.length;
  const k = categories.names.length;
  const names: string[] = [];
  const counts: CategoryCounts[] = [];
  if (timed) {
    for (const c of TIME_CONTEXTS) {
      names.push(c);
      counts.push(emptyCounts(k));
    }
    for (let i = 0; i < n; i++) {
      for (const c of timeContexts(ev.times[i])) addItem(counts[c], categories, ev.items[i]);
    }
  }
  if (ev.actions && actionNames.length > 0) {
    const base = counts.length;
    for (const a of actionNames) {
      names.push(`action:${a}`);
      counts.push(emptyCounts(k));
    }
    for (let i = 0; i < n; i++) {
      for (const a of ev.actions[i]) {
        if (a < actionNames.length) addItem(counts[base + a], categories, ev.items[i]);
      }
    }
  }
  const overallShare = normalize(overall.mass);
  const out: MiddleContext[] = [];
  for (let c = 0; c < counts.length; c++) {
    const ctx = counts[c];
    if (ctx.events < options.middle.minEvents || ctx.total <= 0) continue;
    const rest = subtractCounts(overall, ctx);
    // A context holding every event has nothing to differ from.
    if (rest.events <= 0 || rest.total <= 0) continue;
    const divergence = jensenShannon(ctx.mass, rest.mass);
    if (divergence < options.middle.minDivergence) continue;
    const top = topRise(riseScores(ctx, rest), categories.names);
    if (top.index < 0 || top.z < options.middle.minZ) continue;
    out.push({
      context: names[c],
      categories: topShares(ctx.mass, categories.names),
      top: categories.names[top.index],
      topZ: top.z,
      lift: ctx.mass[top.index] / ctx.total - overallShare[top.index],
      divergence,
      events: ctx.events,
    });
  }
  return out.sort((a, b) => b.topZ - a.topZ || (a.context < b.context ? -1 : 1));
}

/**
 * Pseudo-events by which a context's mix is shrunk toward the user's overall mix in the deep
 * layer, so that a context with two events does not decide a category's floor.
 */
export const DEEP_CONTEXT_PRIOR = 3;

/**
 * The deep layer. Each category's decay-weighted share is taken in each time context (weekday,
 * weekend, daytime, evening; shrunk toward the overall share by {@link DEEP_CONTEXT_PRIOR}
 * pseudo-events) and the smallest is kept: a core interest holds its share in every context,
 * while a contextual (middle) interest collapses outside its context. Times the category's
 * stability (share of non-empty windows it appears in), which keeps a short burst (a surface
 * interest) from passing for a core one. Without usable times: undecayed share × stability.
 * It counts every event, repeats included: a funnel (view, click, cart, buy) weighs more than
 * a glance, which is what a long-term interest is made of.
 */
function deepLayer(
  ev: InterestEvents,
  timed: boolean,
  categories: CategoryMap,
  windows: readonly CategoryCounts[],
  windowTimes: readonly { start: number; end: number }[] | null,
  options: InterestOptions,
): DeepLayer {
  const n = ev.items.length;
  const k = categories.names.length;
  const all = emptyCounts(k);
  const contexts = TIME_CONTEXTS.map(() => emptyCounts(k));
  const last = n > 0 ? ev.times[n - 1] : 0;
  const halfLife = options.deep.halfLifeDays * MS_DAY;
  for (let i = 0; i < n; i++) {
    const item = ev.items[i];
    if (!timed) {
      addItem(all, categories, item);
      continue;
    }
    const weight = 2 ** (-(last - ev.times[i]) / halfLife);
    addItem(all, categories, item, weight);
    for (const c of timeContexts(ev.times[i])) addItem(contexts[c], categories, item, weight);
  }
  const decayed = normalize(all.mass);
  // Stability, plain (reported) and with each window decay-weighted by the age of its middle
  // (scored: an interest taken up after a drift is stable in the windows that count).
  const stability = new Float64Array(k);
  const recentStability = new Float64Array(k);
  let windowsSeen = 0;
  let weightSeen = 0;
  windows.forEach((w, i) => {
    if (w.total <= 0) return;
    const span = windowTimes?.[i];
    const middle = span ? (span.start + Math.min(span.end, last)) / 2 : last;
    const weight = timed ? 2 ** (-Math.max(0, last - middle) / halfLife) : 1;
    windowsSeen++;
    weightSeen += weight;
    for (let c = 0; c < k; c++) {
      if (w.mass[c] > 0) {
        stability[c]++;
        recentStability[c] += weight;
      }
    }
  });
  for (let c = 0; c < k; c++) {
    stability[c] = windowsSeen > 0 ? stability[c] / windowsSeen : 0;
    recentStability[c] = weightSeen > 0 ? recentStability[c] / weightSeen : 0;
  }
  const score = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let floor = decayed[c];
    if (timed) {
      for (const ctx of contexts) {
        const shrunk =
          (ctx.mass[c] + DEEP_CONTEXT_PRIOR * decayed[c]) / (ctx.total + DEEP_CONTEXT_PRIOR);
        floor = Math.min(floor, shrunk);
      }
    }
    score[c] = floor * recentStability[c];
  }
  const shares = normalize(score);
  const categoriesOut: DeepCategory[] = rankedIndices(shares, categories.names).map((c) => ({
    category: categories.names[c],
    share: shares[c],
    decayedShare: decayed[c],
    stability: stability[c],
  }));
  return {
    top: categoriesOut.length > 0 ? categoriesOut[0].category : null,
    categories: categoriesOut,
    events: n,
  };
}

// ---------------------------------------------------------------------------------------------
// One user
// ---------------------------------------------------------------------------------------------

/**
 * The dataset's time range (epoch ms): `auto` picks the window unit from it and day / week
 * windows start at UTC midnight of its first day, so every user's windows line up with each
 * other and with `populationEvolution`. Without it, the user's own span decides.
 */
export interface TimeRange {
  min: number;
  max: number;
}

const spanFrom = (ev: InterestEvents, range?: TimeRange) =>
  range ? Math.min(range.min, ev.times[0]) : ev.times[0];
const spanTo = (ev: InterestEvents, range?: TimeRange) =>
  range ? Math.max(range.max, ev.times[ev.times.length - 1]) : ev.times[ev.times.length - 1];

/**
 * Everything observed for one user. `asOf` (epoch ms): only events strictly before it count
 * (the layers as they were at that instant). `range`: see {@link TimeRange}.
 */
export function userInterests(
  history: InterestHistory,
  categories: CategoryMap,
  options: InterestOptions,
  asOf?: number,
  range?: TimeRange,
): UserInterests {
  const notes: string[] = [];
  const { items, timestamps } = history;
  if (timestamps.length !== items.length) {
    throw new RangeError(
      `A history needs one timestamp per item, got ${timestamps.length} for ${items.length}.`,
    );
  }
  let end = items.length;
  let kind = timeKind(timestamps, end);
  if (asOf !== undefined && Number.isFinite(asOf)) {
    if (kind === 'none') {
      if (end > 0)
        notes.push('Without timestamps a cut-off time cannot apply: every event counts.');
    } else {
      let cut = 0;
      while (cut < end && timestamps[cut] < asOf) cut++;
      end = cut;
      kind = timeKind(timestamps, end);
      if (end === 0) notes.push(`No events before ${isoTime(asOf)}.`);
    }
  }
  if (end === 0 && notes.length === 0) notes.push('This user has no events.');
  const ev = collectEvents(
    items,
    timestamps,
    history.actions,
    options.counting.collapseRepeats,
    0,
    end,
    options.surface.sessionGapMinutes * MS_MINUTE,
  );
  const n = ev.items.length;
  const perWindow = options.windows.eventsPerWindow;
  const orderNote = `file order is the sequence, windows hold ${perWindow} events each, the deep layer is not decayed, and weekday and daytime contexts are left out`;
  if (kind === 'none' && n > 0) {
    notes.push(`There are no timestamps: ${orderNote}.`);
  } else if (kind === 'equal' && end > 1) {
    notes.push(
      `All ${end} events carry the same timestamp (${isoTime(timestamps[0])}): ${orderNote}.`,
    );
  }
  const timed = kind === 'time';
  if (timed) {
    let zeros = 0;
    for (let i = 0; i < end; i++) if (timestamps[i] === 0) zeros++;
    if (zeros > 0) {
      notes.push(
        `${zeros} of ${end} events have timestamp 0 (1970-01-01), probably a placeholder for a missing time.`,
      );
    }
  }

  const overall = countRange(ev, categories, 0, n);
  if (n > 0 && overall.uncategorised === n) {
    notes.push('None of these events has an item with a category: every layer is empty.');
  }

  let evolution: InterestEvolution;
  let windowCounts: CategoryCounts[];
  if (n === 0) {
    windowCounts = [];
    evolution = { unit: timed ? 'day' : 'count', windows: [], drift: [], changePoints: [] };
  } else if (timed && windowCount(spanFrom(ev, range), spanTo(ev, range), 'month') <= MAX_WINDOWS) {
    const first = ev.times[0];
    const last = ev.times[n - 1];
    const from = spanFrom(ev, range);
    const to = spanTo(ev, range);
    const choice = chooseUnit(options.windows.unit, from, to);
    if (choice.note) notes.push(choice.note);
    // The shared grid starts at the range's start; the user's windows are their own stretch.
    const grid = subGrid(timeGrid(from, to, choice.unit), first, last);
    windowCounts = countWindows(ev.items, ev.times, categories, grid);
    evolution = gridEvolution(grid, windowCounts, options);
  } else {
    if (timed) {
      notes.push(
        `The timestamps span more than ${MAX_WINDOWS} months (${isoTime(spanFrom(ev, range))} to ${isoTime(spanTo(ev, range))}): windows hold ${perWindow} events each instead.`,
      );
    }
    windowCounts = countBlocks(ev.items, categories, perWindow);
    evolution = blockEvolution(windowCounts, perWindow, n, options);
  }
  if (n > 0 && evolution.windows.length === 1) {
    notes.push(
      evolution.unit === 'count'
        ? `All ${n} events fit in one window of ${perWindow}: there is no evolution to show.`
        : `All events fall in one ${evolution.unit}: there is no evolution to show.`,
    );
  }

  return {
    categories: categories.names,
    derived: categories.derived,
    surface: surfaceLayer(ev, timed, categories, options, notes),
    middle:
      n > 0 ? middleLayer(ev, timed, history.actionNames ?? [], categories, overall, options) : [],
    deep: deepLayer(
      options.counting.collapseRepeats
        ? collectEvents(items, timestamps, undefined, false, 0, end)
        : ev,
      timed,
      categories,
      windowCounts,
      timed ? evolution.windows : null,
      options,
    ),
    overall: topShares(overall.mass, categories.names),
    evolution,
    events: end,
    repeatsMerged: end - n,
    uncategorised: overall.uncategorised,
    notes,
  };
}
