/**
 * Parameters of the sample simulation. The defaults generate the bundled dataset
 * (sample-data/); every value is written into ground-truth.json so a reader can re-run it.
 */
import { CATEGORY_NAMES } from './vocabulary';

export interface LayerWeights {
  deep: number;
  middle: number;
  surface: number;
  noise: number;
}

export interface SampleConfig {
  seed: number;
  users: number;
  items: number;
  /** Leaf categories used, taken in order from the built-in list. */
  categories: number;
  /** Epoch seconds of the first instant of the timeline (default 2025-01-06T00:00Z, a Monday). */
  start: number;
  days: number;
  /** Median of the log-normal number of views per user. */
  medianViewsPerUser: number;
  /** Standard deviation of log(views per user): the heavy tail of activity. */
  activitySpread: number;
  minViewsPerUser: number;
  maxViewsPerUser: number;
  /** Mean views per session (1 + a geometric number of extra views). */
  meanSessionViews: number;
  maxSessionViews: number;
  /** Relative weight of each layer when it is active; active weights are renormalised. */
  layerWeights: LayerWeights;
  /** Probabilities of a user having 1, 2 or 3 deep interests. */
  deepCountProbabilities: [number, number, number];
  /** Probability that a user's middle interest covers both sides of its context dimension. */
  twoSidedMiddleProbability: number;
  /** Surface bursts per user: floor(sessions / sessionsPerBurst + U[0,1)), capped. */
  sessionsPerBurst: number;
  maxBurstsPerUser: number;
  minBurstDays: number;
  maxBurstDays: number;
  /** Probability that a user switches one deep interest to another category. */
  driftProbability: number;
  /** The drift time falls uniformly in this fraction of the timeline. */
  driftWindow: [number, number];
  /** Zipf exponent of item popularity within a category (weight 1 / rank^s). */
  zipfExponent: number;
  /** Fraction of all items that get a global popularity boost, and its factor. */
  headFraction: number;
  headBoost: number;
  /** Probability that a layer re-views an item the user already saw in that category. */
  revisitProbability: number;
  /** Probability that a view is followed by a click, per layer (real interests convert more). */
  clickProbability: LayerWeights;
  cartAfterClick: number;
  buyAfterCart: number;
  /** Probability of a 2nd category on an item, and of a 3rd given a 2nd. */
  secondCategoryProbability: number;
  thirdCategoryProbability: number;
}

/** The bundled dataset's parameters (seed 42). */
export const DEFAULT_SAMPLE_CONFIG: SampleConfig = {
  seed: 42,
  users: 650,
  items: 1600,
  categories: 20,
  start: Date.UTC(2025, 0, 6) / 1000,
  days: 120,
  medianViewsPerUser: 25,
  activitySpread: 0.9,
  minViewsPerUser: 5,
  maxViewsPerUser: 300,
  meanSessionViews: 3.5,
  maxSessionViews: 15,
  layerWeights: { deep: 0.5, middle: 0.25, surface: 0.5, noise: 0.1 },
  deepCountProbabilities: [0.25, 0.45, 0.3],
  twoSidedMiddleProbability: 0.4,
  sessionsPerBurst: 8,
  maxBurstsPerUser: 3,
  minBurstDays: 2,
  maxBurstDays: 7,
  driftProbability: 0.2,
  driftWindow: [0.35, 0.65],
  zipfExponent: 1.2,
  headFraction: 0.02,
  headBoost: 3,
  revisitProbability: 0.05,
  clickProbability: { deep: 0.35, middle: 0.3, surface: 0.3, noise: 0.15 },
  cartAfterClick: 0.35,
  buyAfterCart: 0.5,
  secondCategoryProbability: 0.3,
  thirdCategoryProbability: 0.15,
};

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(`Invalid sample configuration: ${message}`);
}

const isProbability = (p: number) => Number.isFinite(p) && p >= 0 && p <= 1;

/**
 * The defaults with `overrides` applied, validated: a bad parameter fails here with a message
 * naming it, rather than as a strange dataset later.
 */
export function resolveSampleConfig(overrides: Partial<SampleConfig> = {}): SampleConfig {
  const c: SampleConfig = { ...DEFAULT_SAMPLE_CONFIG, ...overrides };
  check(Number.isSafeInteger(c.seed), `seed must be an integer, got ${c.seed}`);
  check(Number.isInteger(c.users) && c.users >= 1 && c.users <= 9999, 'users must be 1..9999');
  check(
    Number.isInteger(c.categories) && c.categories >= 6 && c.categories <= CATEGORY_NAMES.length,
    `categories must be 6..${CATEGORY_NAMES.length} (deep, drift, middle and surface interests need distinct categories)`,
  );
  check(
    Number.isInteger(c.items) && c.items >= c.categories * 5 && c.items <= 600_000,
    'items must be an integer from 5 per category to 600000 (ids are p + 5 or 6 digits)',
  );
  check(Number.isInteger(c.start) && c.start >= 0, 'start must be epoch seconds');
  check(Number.isInteger(c.days) && c.days >= 14, 'days must be an integer >= 14');
  check(c.medianViewsPerUser >= 1 && c.activitySpread >= 0, 'activity must be positive');
  check(
    Number.isInteger(c.minViewsPerUser) &&
      c.minViewsPerUser >= 1 &&
      c.maxViewsPerUser >= c.minViewsPerUser,
    'views per user need 1 <= min <= max',
  );
  check(c.meanSessionViews >= 1 && c.maxSessionViews >= 1, 'session sizes must be >= 1');
  const w = c.layerWeights;
  check(
    [w.deep, w.middle, w.surface, w.noise].every((x) => x >= 0),
    'layer weights >= 0',
  );
  check(w.deep + w.noise > 0, 'deep + noise weight must be > 0 (always-active layers)');
  check(c.deepCountProbabilities.every(isProbability), 'deepCountProbabilities are probabilities');
  check(
    c.sessionsPerBurst > 0 && Number.isInteger(c.maxBurstsPerUser),
    'burst counts need sessionsPerBurst > 0',
  );
  check(c.minBurstDays > 0 && c.maxBurstDays >= c.minBurstDays, 'burst days need 0 < min <= max');
  check(c.maxBurstDays < c.days / 2, 'bursts must be shorter than half the timeline');
  check(
    c.driftWindow[0] >= 0 && c.driftWindow[1] <= 1 && c.driftWindow[0] <= c.driftWindow[1],
    'driftWindow is a [from, to] fraction of the timeline',
  );
  check(c.zipfExponent >= 0 && c.headBoost >= 1, 'zipfExponent >= 0 and headBoost >= 1');
  const probabilities = [
    c.twoSidedMiddleProbability,
    c.driftProbability,
    c.headFraction,
    c.revisitProbability,
    c.cartAfterClick,
    c.buyAfterCart,
    c.secondCategoryProbability,
    c.thirdCategoryProbability,
    ...Object.values(c.clickProbability),
  ];
  check(probabilities.every(isProbability), 'every probability must lie in [0, 1]');
  return c;
}

/**
 * A seeded, scaled configuration of the simulation with a catalogue of `items` (up to 60,000):
 * every category in use, a flatter popularity within categories (Zipf 0.9, so most of the
 * catalogue is seen at least once) and a modest population (2,000 users, median 20 views, about
 * 87,000 events at 20,000 items), so a model trains on it in minutes. It is the large-catalogue
 * check of the models and their losses (issue 12); nothing generated from it is committed.
 * At 20,000 items about 14,000 distinct items occur in the events.
 */
export function scaledSampleConfig(
  items: number,
  overrides: Partial<SampleConfig> = {},
): SampleConfig {
  return resolveSampleConfig({
    seed: 42,
    users: 2000,
    items,
    categories: CATEGORY_NAMES.length,
    medianViewsPerUser: 20,
    zipfExponent: 0.9,
    ...overrides,
  });
}
