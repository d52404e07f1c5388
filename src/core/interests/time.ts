/**
 * Time for the interest layers, all in UTC: contexts of an instant (weekday / weekend, daytime
 * 06:00-17:59 / evening 18:00-05:59) and grids of day, week or calendar-month windows.
 */
import type { InterestOptions } from './types';

export const MS_MINUTE = 60_000;
export const MS_HOUR = 60 * MS_MINUTE;
export const MS_DAY = 24 * MS_HOUR;
export const MS_WEEK = 7 * MS_DAY;

/** More windows than this and the unit is coarsened (a day grid over decades helps no one). */
export const MAX_WINDOWS = 2000;

export type WindowUnit = 'day' | 'week' | 'month';

/** The time contexts, in the order {@link timeContexts} indexes them. */
export const TIME_CONTEXTS = ['weekday', 'weekend', 'daytime', 'evening'] as const;
export type TimeContext = (typeof TIME_CONTEXTS)[number];

/** 0 = Sunday ... 6 = Saturday, UTC (1970-01-01 was a Thursday). */
export function utcWeekday(epochMs: number): number {
  return (((Math.floor(epochMs / MS_DAY) + 4) % 7) + 7) % 7;
}

/** Hour of the day 0..23, UTC. */
export function utcHour(epochMs: number): number {
  return Math.floor((((epochMs % MS_DAY) + MS_DAY) % MS_DAY) / MS_HOUR);
}

/**
 * The two time contexts of an instant, as indices into {@link TIME_CONTEXTS}: weekday (0) or
 * weekend (1, Saturday and Sunday), and daytime (2, 06:00-17:59) or evening (3, 18:00-05:59).
 */
export function timeContexts(epochMs: number): [number, number] {
  const day = utcWeekday(epochMs);
  const hour = utcHour(epochMs);
  return [day === 0 || day === 6 ? 1 : 0, hour >= 6 && hour < 18 ? 2 : 3];
}

/**
 * The window unit for a time span (ms) that gives roughly 8 to 60 windows: days up to 60 days,
 * weeks up to 60 weeks, calendar months beyond (more than 60 only past five years).
 */
export function windowUnitFor(spanMs: number): WindowUnit {
  if (!(spanMs > 60 * MS_DAY)) return 'day';
  if (spanMs <= 60 * MS_WEEK) return 'week';
  return 'month';
}

/** Windows `[bounds[i], bounds[i + 1])` of one unit, UTC. */
export interface TimeGrid {
  unit: WindowUnit;
  bounds: number[];
}

/** The 1st of a month, UTC (month may overflow into the next year; years below 100 too). */
function monthStart(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 1);
  return date.getTime();
}

function unitStart(t: number, unit: WindowUnit): number {
  if (unit === 'month') {
    const date = new Date(t);
    return monthStart(date.getUTCFullYear(), date.getUTCMonth());
  }
  // Days and weeks start at UTC midnight (weeks on the weekday of the range's first day).
  return Math.floor(t / MS_DAY) * MS_DAY;
}

function nextBound(t: number, unit: WindowUnit): number {
  if (unit === 'day') return t + MS_DAY;
  if (unit === 'week') return t + MS_WEEK;
  const date = new Date(t);
  return monthStart(date.getUTCFullYear(), date.getUTCMonth() + 1);
}

/** How many `unit` windows a grid from `from` to `to` (both included) has. */
export function windowCount(from: number, to: number, unit: WindowUnit): number {
  const start = unitStart(from, unit);
  if (unit === 'month') {
    const a = new Date(start);
    const b = new Date(to);
    return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() + 1;
  }
  return Math.floor((to - start) / (unit === 'day' ? MS_DAY : MS_WEEK)) + 1;
}

/**
 * The grid of `unit` windows from `from` to `to` (epoch ms, both included): days and weeks
 * start at UTC midnight of `from`'s day, months on the 1st. Throws past {@link MAX_WINDOWS}.
 */
export function timeGrid(from: number, to: number, unit: WindowUnit): TimeGrid {
  if (!(Number.isFinite(from) && Number.isFinite(to) && to >= from)) {
    throw new RangeError(`A time grid needs finite from <= to, got ${from} and ${to}.`);
  }
  const count = windowCount(from, to, unit);
  if (count > MAX_WINDOWS) {
    throw new RangeError(
      `A ${unit} grid over this range has ${count} windows, more than the ${MAX_WINDOWS} allowed.`,
    );
  }
  const bounds = [unitStart(from, unit)];
  while (bounds[bounds.length - 1] <= to) bounds.push(nextBound(bounds[bounds.length - 1], unit));
  return { unit, bounds };
}

/** The part of `grid` from the window holding `from` to the window holding `to`. */
export function subGrid(grid: TimeGrid, from: number, to: number): TimeGrid {
  let first = 0;
  while (first < grid.bounds.length - 2 && from >= grid.bounds[first + 1]) first++;
  let last = first;
  while (last < grid.bounds.length - 2 && to >= grid.bounds[last + 1]) last++;
  return { unit: grid.unit, bounds: grid.bounds.slice(first, last + 2) };
}

const COARSER: Record<WindowUnit, WindowUnit | null> = { day: 'week', week: 'month', month: null };

/**
 * The unit asked for (or `auto`'s choice for the span), coarsened while it would give more than
 * {@link MAX_WINDOWS} windows; `note` says so when it had to.
 */
export function chooseUnit(
  requested: InterestOptions['windows']['unit'],
  from: number,
  to: number,
): { unit: WindowUnit; note: string | null } {
  const asked: WindowUnit = requested === 'auto' ? windowUnitFor(to - from) : requested;
  let unit = asked;
  for (let next = COARSER[unit]; windowCount(from, to, unit) > MAX_WINDOWS && next; ) {
    unit = next;
    next = COARSER[unit];
  }
  const note =
    unit === asked
      ? null
      : `${asked} windows over this span would be more than ${MAX_WINDOWS}: ${unit}s are used instead.`;
  return { unit, note };
}

/** An instant as ISO 8601 (UTC), without zero seconds. */
export function isoTime(t: number): string {
  return new Date(t).toISOString().replace(/:00\.000Z$/, 'Z');
}
