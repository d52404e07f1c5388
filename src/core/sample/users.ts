/**
 * Planting a user's interests: activity (heavy-tailed), deep interests (and their drift),
 * middle interests tied to a context, and surface bursts. Categories of different layers are
 * kept distinct, so each layer's signal can be recovered from the data without ambiguity.
 */

import { OPPOSITE_CONTEXT, SECONDS_PER_DAY } from './calendar';
import type { Catalog } from './catalog';
import { roundTo } from './catalog';
import type { SampleConfig } from './config';
import type { SeededRandom } from './random';
import type {
  ContextRule,
  DeepDrift,
  InterestContext,
  SurfaceBurst,
  WeightedCategory,
} from './types';

export interface UserPlan {
  user: string;
  plannedViews: number;
  /** Views per session, in no particular time order yet. */
  sessionViews: number[];
  deep: WeightedCategory[];
  drift: DeepDrift | null;
  middle: ContextRule[];
  surface: SurfaceBurst[];
  /** Per surface burst: how many of the sessions are held inside its window. */
  burstSessions: number[];
}

/** `u` + the 1-based index, zero-padded to 4 digits: u0001, u0042, ... */
export function userId(index: number): string {
  return `u${String(index + 1).padStart(4, '0')}`;
}

/** Deep weights: uniform in [1, 3) before normalising, so no deep interest is negligible. */
function deepWeights(rng: SeededRandom, categories: string[]): WeightedCategory[] {
  const raw = categories.map(() => rng.uniform(1, 3));
  const total = raw.reduce((a, b) => a + b, 0);
  const weighted = categories
    .map((category, i) => ({ category, weight: roundTo(raw[i] / total, 3) }))
    .sort((a, b) => b.weight - a.weight || a.category.localeCompare(b.category));
  // Put the rounding remainder on the strongest interest so the weights sum to exactly 1.
  const rest = weighted.slice(1).reduce((sum, w) => sum + w.weight, 0);
  weighted[0].weight = roundTo(1 - rest, 3);
  return weighted;
}

/** Draws `count` categories by popularity, none of which is in `taken`. */
function drawCategories(
  rng: SeededRandom,
  catalog: Catalog,
  taken: Set<string>,
  count: number,
): string[] {
  const weights = catalog.categories.map((c) => (taken.has(c.name) ? 0 : c.popularity));
  const drawn = rng.weightedSample(weights, count).map((i) => catalog.categories[i].name);
  for (const name of drawn) taken.add(name);
  return drawn;
}

function sessionSizes(rng: SeededRandom, config: SampleConfig, views: number): number[] {
  const p = 1 / config.meanSessionViews;
  const sizes: number[] = [];
  let left = views;
  while (left > 0) {
    const size = Math.min(left, config.maxSessionViews, 1 + rng.geometric(p));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

function planBursts(
  rng: SeededRandom,
  config: SampleConfig,
  catalog: Catalog,
  taken: Set<string>,
  sessions: number,
): { bursts: SurfaceBurst[]; burstSessions: number[] } {
  const wanted = Math.min(
    config.maxBurstsPerUser,
    Math.floor(sessions / config.sessionsPerBurst + rng.next()),
  );
  // At most 40% of a user's sessions are burst sessions, and each burst gets at least one.
  let sessionBudget = Math.floor(sessions * 0.4);
  const timelineEnd = config.start + config.days * SECONDS_PER_DAY;
  const windows: SurfaceBurst[] = [];
  const burstSessions: number[] = [];
  for (let b = 0; b < wanted && sessionBudget > 0; b++) {
    const duration = Math.floor(
      rng.uniform(config.minBurstDays, config.maxBurstDays) * SECONDS_PER_DAY,
    );
    let placed: { start: number; end: number } | null = null;
    for (let attempt = 0; attempt < 20 && !placed; attempt++) {
      const start = rng.int(config.start, timelineEnd - duration - SECONDS_PER_DAY);
      const end = start + duration;
      // Keep a day between bursts so their windows can be told apart.
      const clash = windows.some(
        (w) => start < w.end + SECONDS_PER_DAY && w.start < end + SECONDS_PER_DAY,
      );
      if (!clash) placed = { start, end };
    }
    if (!placed) continue;
    const [category] = drawCategories(rng, catalog, taken, 1);
    if (category === undefined) break;
    const count = Math.min(sessionBudget, rng.int(1, 3));
    sessionBudget -= count;
    windows.push({ category, ...placed });
    burstSessions.push(count);
  }
  const order = windows.map((_, i) => i).sort((a, b) => windows[a].start - windows[b].start);
  return {
    bursts: order.map((i) => windows[i]),
    burstSessions: order.map((i) => burstSessions[i]),
  };
}

/**
 * Plants one user's interests. Order of draws: activity, deep, drift target, middle, surface,
 * so that the categories of the four kinds never coincide for one user.
 */
export function planUser(
  index: number,
  config: SampleConfig,
  catalog: Catalog,
  rng: SeededRandom,
): UserPlan {
  const logViews = Math.log(config.medianViewsPerUser) + config.activitySpread * rng.normal();
  const plannedViews = Math.min(
    config.maxViewsPerUser,
    Math.max(config.minViewsPerUser, Math.round(Math.exp(logViews))),
  );
  const sessionViews = sessionSizes(rng, config, plannedViews);

  const taken = new Set<string>();
  const deepCount = 1 + rng.weightedIndex(config.deepCountProbabilities);
  const deep = deepWeights(rng, drawCategories(rng, catalog, taken, deepCount));

  let drift: DeepDrift | null = null;
  if (rng.chance(config.driftProbability)) {
    const [from, to] = [rng.pick(deep).category, drawCategories(rng, catalog, taken, 1)[0]];
    const [lo, hi] = config.driftWindow;
    const span = config.days * SECONDS_PER_DAY;
    const time = config.start + Math.floor(rng.uniform(lo, hi) * span);
    const deepAfter = deep.map((w) =>
      w.category === from ? { category: to, weight: w.weight } : w,
    );
    drift = { time, from, to, deepBefore: deep, deepAfter };
  }

  const contexts: InterestContext[] = rng.chance(0.5)
    ? ['weekday', 'weekend']
    : ['daytime', 'evening'];
  const first = rng.pick(contexts);
  const sides = rng.chance(config.twoSidedMiddleProbability)
    ? [first, OPPOSITE_CONTEXT[first]]
    : [first];
  const middleCategories = drawCategories(rng, catalog, taken, sides.length);
  const middle = sides.map((context, i) => ({ context, category: middleCategories[i] }));

  const { bursts, burstSessions } = planBursts(rng, config, catalog, taken, sessionViews.length);
  return {
    user: userId(index),
    plannedViews,
    sessionViews,
    deep,
    drift,
    middle,
    surface: bursts,
    burstSessions,
  };
}
