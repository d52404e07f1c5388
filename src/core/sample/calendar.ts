/**
 * Time in the sample simulation: contexts (weekday/weekend, daytime/evening, all in UTC) and
 * realistic session start times (more sessions in the evening, later starts at weekends).
 */
import type { SeededRandom } from './random';
import type { InterestContext } from './types';

export const SECONDS_PER_DAY = 86_400;
const SECONDS_PER_HOUR = 3_600;

/** Human-readable definitions, written into the ground truth next to the rules. */
export const CONTEXT_DEFINITIONS: Record<InterestContext, string> = {
  weekday: 'Monday to Friday (UTC)',
  weekend: 'Saturday and Sunday (UTC)',
  daytime: '06:00 to 17:59 (UTC)',
  evening: '18:00 to 05:59 (UTC)',
};

/** The context on the other side of the same dimension. */
export const OPPOSITE_CONTEXT: Record<InterestContext, InterestContext> = {
  weekday: 'weekend',
  weekend: 'weekday',
  daytime: 'evening',
  evening: 'daytime',
};

/** 0 = Sunday ... 6 = Saturday, in UTC (1970-01-01 was a Thursday). */
export function dayOfWeek(epochSeconds: number): number {
  return (Math.floor(epochSeconds / SECONDS_PER_DAY) + 4) % 7;
}

export function hourOfDay(epochSeconds: number): number {
  return Math.floor((epochSeconds % SECONDS_PER_DAY) / SECONDS_PER_HOUR);
}

/** Whether the instant lies in the context (see {@link CONTEXT_DEFINITIONS}). */
export function inContext(context: InterestContext, epochSeconds: number): boolean {
  switch (context) {
    case 'weekend':
    case 'weekday': {
      const day = dayOfWeek(epochSeconds);
      const weekend = day === 0 || day === 6;
      return context === 'weekend' ? weekend : !weekend;
    }
    case 'daytime':
    case 'evening': {
      const hour = hourOfDay(epochSeconds);
      const daytime = hour >= 6 && hour < 18;
      return context === 'daytime' ? daytime : !daytime;
    }
  }
}

/** Relative session starts per hour on a weekday: commute, lunch and a strong evening peak. */
const WEEKDAY_HOURS = [
  0.3, 0.15, 0.08, 0.05, 0.05, 0.1, 0.35, 0.8, 1.0, 0.8, 0.7, 0.8, 1.1, 1.0, 0.8, 0.8, 0.9, 1.1,
  1.5, 1.9, 2.1, 1.9, 1.3, 0.6,
];
/** Weekends: later mornings, busy afternoons, the same evening peak. */
const WEEKEND_HOURS = [
  0.5, 0.3, 0.15, 0.08, 0.05, 0.05, 0.1, 0.3, 0.6, 1.0, 1.3, 1.4, 1.4, 1.3, 1.3, 1.3, 1.3, 1.4, 1.6,
  1.8, 1.9, 1.7, 1.2, 0.8,
];
/** Relative activity per day of week (Sunday first): a little more at weekends. */
const DAY_WEIGHTS = [1.25, 1, 1, 1, 1, 0.9, 1.2];

/** Per-day weights over the timeline, for drawing the day of a session. */
export function timelineDayWeights(start: number, days: number): number[] {
  const weights: number[] = [];
  for (let d = 0; d < days; d++) weights.push(DAY_WEIGHTS[dayOfWeek(start + d * SECONDS_PER_DAY)]);
  return weights;
}

/** A session start on the day beginning at `dayStart`, hour drawn from the day's profile. */
export function sessionStartOnDay(rng: SeededRandom, dayStart: number): number {
  const day = dayOfWeek(dayStart);
  const profile = day === 0 || day === 6 ? WEEKEND_HOURS : WEEKDAY_HOURS;
  const hour = rng.weightedIndex(profile);
  return dayStart + hour * SECONDS_PER_HOUR + rng.int(0, SECONDS_PER_HOUR - 1);
}

/** ISO 8601 text of an epoch-seconds instant, without milliseconds. */
export function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace('.000Z', 'Z');
}
