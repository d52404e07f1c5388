/**
 * A leakage-free check of the `layered` model's interest heads: do they predict a user's future
 * category mix better than the plain baseline "the user's past mix"?
 *
 * {@link headFit} (predicted.ts) scores a model trained on the temporal leave-last-out split,
 * whose train part holds all but each user's last two events, so most of the "held-out" last
 * window was trained on. Here time is cut once, globally:
 * - the cut is the time of the first event after the earliest `quantile` share of all events
 *   (default {@link HELD_OUT_QUANTILE} = 0.85; {@link timeCut});
 * - the model sees only the events strictly before it ({@link datasetBefore}: every user and
 *   item keeps its index, later events are dropped), trained by `trainVariant` on the
 *   leave-last-out split of that past (its validation and test targets lie before the cut too);
 * - every user with a categorised event on both sides is scored ({@link heldOutUsers}): the
 *   target is the category mix of their events at or after the cut (all of them, or the first
 *   `horizon`), each head reads their history before the cut, and so do the baselines:
 *   - `pastMix`: the mix of all their events before the cut (the baseline of the issue);
 *   - `smoothedPast`: their category counts before the cut plus {@link PRIOR_EVENTS} pseudo-event
 *     of the population mix (fixed in advance, not tuned on the target): a past mix that, like
 *     the heads, never says 0;
 *   - `population`: the mix of everyone's events before the cut;
 *   - `lastWindow`: the mix of their events in the calendar window (day / week / month, chosen
 *     from the span before the cut by `windowUnitFor`) that holds their last categorised event
 *     before the cut, up to that event;
 *   - `recent`: the mix of their last {@link RECENT_EVENTS} events up to that event.
 * Cross-entropy in bits as in predicted.ts (smoothed by `CE_SMOOTHING`), its mean per predictor,
 * and every predictor against the past mix and against the smoothed past mix, paired per user:
 * wins, losses, ties, the mean difference with a seeded paired-bootstrap 95 % interval, and an
 * exact two-sided sign test; and the heads against the past mix split by whether the user's
 * future holds a category their past lacked (where the raw mix pays the smoothing floor).
 */
import type { Dataset } from '../data/types';
import type { HistoryBatch } from '../models/baseline-types';
import { itemFeaturesFromDataset } from '../models/features';
import type { TrainedRecommender } from '../models/trained';
import { temporalLeaveLastOut } from '../train/split';
import { trainVariant, type VariantTrainOptions } from '../train/variants';
import { datasetCategories } from './dataset';
import { addItem, countCategories, normalize } from './distribution';
import { type PairedComparison, paired, pairedBootstrap, TIE } from './pairedStats';
import { crossEntropyBits, headProbabilities, LAYERS, type Layer } from './predicted';
import { isoTime, timeGrid, type WindowUnit, windowUnitFor } from './time';
import type { CategoryMap } from './types';

/** Share of all events (by time) before the default cut. */
export const HELD_OUT_QUANTILE = 0.85;
/** Events in the `recent` baseline. */
export const RECENT_EVENTS = 10;
/** Paired-bootstrap resamples by default. */
const RESAMPLES = 2000;
/** Differences smaller than this (bits) are ties. */

export const PREDICTORS = [
  'surface',
  'middle',
  'deep',
  'pastMix',
  'smoothedPast',
  'population',
  'lastWindow',
  'recent',
] as const;
/** Pseudo-events of the population mix added to a user's past counts in `smoothedPast`. */
export const PRIOR_EVENTS = 1;
export type Predictor = (typeof PREDICTORS)[number];
/** The predictors computed from counts (every one but the heads). */
type Baseline = Exclude<Predictor, Layer>;
const BASELINES = PREDICTORS.filter(
  (p): p is Baseline => !(LAYERS as readonly string[]).includes(p),
);

/**
 * The global cut: the time of the event at rank ⌊quantile·n⌋ (0-based) of all n timestamps in
 * time order, so the earliest `quantile` share of events lie strictly before it (fewer when
 * events share the cut's timestamp: those all count as after).
 */
export function timeCut(
  dataset: Pick<Dataset, 'timestamp' | 'hasTimestamps'>,
  quantile = HELD_OUT_QUANTILE,
): number {
  if (!dataset.hasTimestamps) {
    throw new RangeError('A held-out check by time needs timestamps; this dataset has none.');
  }
  if (!(quantile > 0 && quantile < 1)) {
    throw new RangeError(`The cut quantile must lie strictly between 0 and 1; got ${quantile}.`);
  }
  const sorted = Float64Array.from(dataset.timestamp.filter(Number.isFinite)).sort();
  if (sorted.length === 0) throw new RangeError('No event has a finite timestamp.');
  return sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))];
}

/** Per user, the first event at or after `cut` (events are in time order within a user). */
function cutPositions(dataset: Dataset, cut: number): Int32Array {
  const users = dataset.userIds.length;
  const at = new Int32Array(users);
  for (let u = 0; u < users; u++) {
    let p = dataset.userOffsets[u];
    const end = dataset.userOffsets[u + 1];
    while (p < end && dataset.timestamp[p] < cut) p++;
    at[u] = p;
  }
  return at;
}

/**
 * The dataset as it was just before `cut`: only events strictly earlier, every user and item
 * (their indices, titles and categories) unchanged, so a model trained on it scores the same
 * catalogue. Arrays are copies.
 */
export function datasetBefore(dataset: Dataset, cut: number): Dataset {
  const users = dataset.userIds.length;
  const at = cutPositions(dataset, cut);
  const userOffsets = new Int32Array(users + 1);
  for (let u = 0; u < users; u++) {
    userOffsets[u + 1] = userOffsets[u] + at[u] - dataset.userOffsets[u];
  }
  const n = userOffsets[users];
  const keep = new Int32Array(n);
  for (let u = 0, k = 0; u < users; u++) {
    for (let p = dataset.userOffsets[u]; p < at[u]; p++) keep[k++] = p;
  }
  const pick = <T extends Int32Array | Float64Array | Float32Array>(source: T, out: T): T => {
    for (let k = 0; k < n; k++) out[k] = source[keep[k]];
    return out;
  };
  return {
    ...dataset,
    user: pick(dataset.user, new Int32Array(n)),
    item: pick(dataset.item, new Int32Array(n)),
    timestamp: pick(dataset.timestamp, new Float64Array(n)),
    action: pick(dataset.action, new Int32Array(n)),
    value: pick(dataset.value, new Float32Array(n)),
    line: pick(dataset.line, new Int32Array(n)),
    userOffsets,
  };
}

/** One scored user: their history before the cut, the baselines and the target after it. */
export interface HeldOutUser {
  user: number;
  /** Every event before the cut, oldest first (one row): what the heads read. */
  history: HistoryBatch;
  /** Category mix of the events at or after the cut (the first `horizon` of them). */
  target: Float64Array;
  /** Events after the cut that the target counts. */
  futureEvents: number;
  /** True when the target holds a category that none of the events before the cut had. */
  novel: boolean;
  baselines: Record<Baseline, Float64Array>;
}

export interface HeldOutUsers {
  users: HeldOutUser[];
  /** Window unit of the `lastWindow` baseline. */
  unit: WindowUnit;
}

/**
 * Every user with a categorised event both before and at/after `cut`, as
 * {@link HeldOutUser}s (see the module comment). `horizon`: events after the cut in the target
 * (default all).
 */
export function heldOutUsers(
  dataset: Dataset,
  categories: CategoryMap,
  cut: number,
  options: { horizon?: number; recentEvents?: number } = {},
): HeldOutUsers {
  const horizon = options.horizon ?? Number.POSITIVE_INFINITY;
  const recentEvents = options.recentEvents ?? RECENT_EVENTS;
  const whole = (x: number) => Number.isInteger(x) && x >= 1;
  if (!(horizon === Number.POSITIVE_INFINITY || whole(horizon)) || !whole(recentEvents)) {
    throw new RangeError('horizon and recentEvents must be whole numbers of at least 1.');
  }
  let first = Number.POSITIVE_INFINITY;
  for (const t of dataset.timestamp) if (t < first) first = t;
  if (!(first < cut)) throw new RangeError(`No event lies before ${isoTime(cut)}.`);
  const unit = windowUnitFor(cut - first);
  const bounds = timeGrid(first, cut, unit).bounds;
  const windowStart = (t: number) => {
    let lo = 0;
    let hi = bounds.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bounds[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    return bounds[lo];
  };
  const at = cutPositions(dataset, cut);
  const { item, timestamp } = dataset;
  const categorised = (p: number) => (categories.itemCategories[item[p]]?.length ?? 0) > 0;
  const population = countCategories(item, categories, 0, 0);
  for (let u = 0; u < dataset.userIds.length; u++) {
    for (let p = dataset.userOffsets[u]; p < at[u]; p++) addItem(population, categories, item[p]);
  }
  const populationMix = normalize(population.mass);
  const out: HeldOutUser[] = [];
  for (let u = 0; u < dataset.userIds.length; u++) {
    const start = dataset.userOffsets[u];
    const end = dataset.userOffsets[u + 1];
    const split = at[u];
    let last = split - 1;
    while (last >= start && !categorised(last)) last--;
    if (last < start) continue;
    const future = split + Math.min(horizon, end - split);
    const after = countCategories(item, categories, split, future);
    if (after.total === 0) continue;
    const from = windowStart(timestamp[last]);
    let windowFirst = last;
    while (windowFirst > start && timestamp[windowFirst - 1] >= from) windowFirst--;
    const mix = (a: number, b: number) => normalize(countCategories(item, categories, a, b).mass);
    const past = countCategories(item, categories, start, split);
    const smoothed = past.mass.map((m, c) => m + PRIOR_EVENTS * populationMix[c]);
    out.push({
      user: u,
      history: {
        offsets: Int32Array.of(0, split - start),
        items: item.slice(start, split),
        timestamps: timestamp.slice(start, split),
      },
      target: normalize(after.mass),
      futureEvents: future - split,
      novel: after.mass.some((m, c) => m > 0 && past.mass[c] === 0),
      baselines: {
        pastMix: normalize(past.mass),
        smoothedPast: normalize(smoothed),
        population: populationMix,
        lastWindow: mix(windowFirst, last + 1),
        recent: mix(Math.max(start, last + 1 - recentEvents), last + 1),
      },
    });
  }
  return { users: out, unit };
}

export interface NoveltyGroup {
  users: number;
  heads: Record<Layer, { winShare: number; meanDifference: number }>;
}

export interface HeldOutFit {
  users: number;
  /** Mean cross-entropy (bits) per predictor against the mix after the cut. */
  bits: Record<Predictor, number>;
  /** Every other predictor against the raw past mix, paired per user. */
  vsPastMix: Record<Exclude<Predictor, 'pastMix'>, PairedComparison>;
  /** The same against the smoothed past mix. */
  vsSmoothedPast: Record<Exclude<Predictor, 'smoothedPast'>, PairedComparison>;
  /**
   * The heads against the raw past mix within two groups: users whose target holds a category
   * their past lacks (`novel`: the raw mix gives it only the smoothing floor), and the rest.
   */
  byNovelty: Record<'novel' | 'covered', NoveltyGroup>;
  /** Per user (in `users` order), bits per predictor. */
  perUser: Record<Predictor, Float64Array>;
}

/** Scores each predictor for every user (the heads run in batches on the model's backend). */
export async function heldOutHeadFit(
  model: TrainedRecommender,
  users: readonly HeldOutUser[],
  options: { signal?: AbortSignal; resamples?: number; seed?: number } = {},
): Promise<HeldOutFit> {
  const n = users.length;
  const perUser = Object.fromEntries(PREDICTORS.map((p) => [p, new Float64Array(n)])) as Record<
    Predictor,
    Float64Array
  >;
  const offsets = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) offsets[r + 1] = offsets[r] + users[r].history.items.length;
  const items = new Int32Array(offsets[n]);
  const timestamps = new Float64Array(offsets[n]);
  for (let r = 0; r < n; r++) {
    items.set(users[r].history.items, offsets[r]);
    timestamps.set(users[r].history.timestamps, offsets[r]);
  }
  options.signal?.throwIfAborted();
  const probabilities = n > 0 ? await headProbabilities(model, { offsets, items, timestamps }) : [];
  options.signal?.throwIfAborted();
  for (let r = 0; r < n; r++) {
    const { target, baselines } = users[r];
    for (const l of LAYERS) perUser[l][r] = crossEntropyBits(target, probabilities[r][l]);
    for (const b of BASELINES) {
      perUser[b][r] = crossEntropyBits(target, baselines[b]);
    }
  }
  const mean = (x: Float64Array) => (n > 0 ? x.reduce((a, b) => a + b, 0) / n : Number.NaN);
  const bits = Object.fromEntries(PREDICTORS.map((p) => [p, mean(perUser[p])])) as Record<
    Predictor,
    number
  >;
  const against = <R extends Predictor>(reference: R) => {
    const others = PREDICTORS.filter((p): p is Exclude<Predictor, R> => p !== reference);
    const differences = others.map((p) => perUser[p].map((x, r) => x - perUser[reference][r]));
    const intervals = pairedBootstrap(
      differences,
      options.resamples ?? RESAMPLES,
      options.seed ?? 1,
    );
    const out = {} as Record<Exclude<Predictor, R>, PairedComparison>;
    others.forEach((p, i) => {
      out[p] = paired(differences[i], intervals[i]);
    });
    return out;
  };
  const group = (novel: boolean) => {
    const rows = users.flatMap((u, r) => (u.novel === novel ? [r] : []));
    const heads = {} as NoveltyGroup['heads'];
    for (const l of LAYERS) {
      const d = rows.map((r) => perUser[l][r] - perUser.pastMix[r]);
      heads[l] = {
        winShare: rows.length > 0 ? d.filter((x) => x < -TIE).length / rows.length : Number.NaN,
        meanDifference: rows.length > 0 ? d.reduce((a, b) => a + b, 0) / rows.length : Number.NaN,
      };
    }
    return { users: rows.length, heads };
  };
  return {
    users: n,
    bits,
    vsPastMix: against('pastMix'),
    vsSmoothedPast: against('smoothedPast'),
    byNovelty: { novel: group(true), covered: group(false) },
    perUser,
  };
}

export interface HeldOutOptions {
  /** Share of events before the cut (default {@link HELD_OUT_QUANTILE}). */
  quantile?: number;
  /** Events after the cut in each target (default all). */
  horizon?: number;
  /** How `layered` is trained on the past (its item features come from the dataset). */
  train?: Omit<VariantTrainOptions, 'features' | 'signal'>;
  resamples?: number;
  /** Seed of the bootstrap (the model's seed is `train.seed`). */
  seed?: number;
  signal?: AbortSignal;
}

export interface HeldOutReport extends HeldOutFit {
  quantile: number;
  /** The cut (epoch ms) and as ISO time. */
  cut: number;
  cutIso: string;
  unit: WindowUnit;
  /** Events the model could learn from (before the cut) and events after it. */
  eventsBefore: number;
  eventsAfter: number;
  /** The trained model's record: epochs run, why it stopped, seconds. */
  training: { epochs: number; stoppedBy: string; seconds: number };
}

/**
 * The whole check on `dataset` (which needs timestamps and item categories): cut, train
 * `layered` on the past only, score every eligible user. The model is disposed before it returns.
 */
export async function heldOutComparison(
  dataset: Dataset,
  options: HeldOutOptions = {},
): Promise<HeldOutReport> {
  const categories = datasetCategories(dataset);
  if (!categories) throw new RangeError('The held-out head check needs item categories.');
  const quantile = options.quantile ?? HELD_OUT_QUANTILE;
  const cut = timeCut(dataset, quantile);
  const past = datasetBefore(dataset, cut);
  if (past.item.length === 0) throw new RangeError(`No event lies before ${isoTime(cut)}.`);
  const { users, unit } = heldOutUsers(dataset, categories, cut, { horizon: options.horizon });
  if (users.length === 0) {
    throw new RangeError(`No user has categorised events on both sides of ${isoTime(cut)}.`);
  }
  const { model, record } = await trainVariant(past, temporalLeaveLastOut(past), 'layered', {
    ...options.train,
    features: itemFeaturesFromDataset(past),
    signal: options.signal,
  });
  try {
    const fit = await heldOutHeadFit(model, users, options);
    return {
      ...fit,
      quantile,
      cut,
      cutIso: isoTime(cut),
      unit,
      eventsBefore: past.item.length,
      eventsAfter: dataset.item.length - past.item.length,
      training: {
        epochs: record.epochs,
        stoppedBy: record.stoppedBy ?? 'fitted',
        seconds: record.trainSeconds,
      },
    };
  } finally {
    model.dispose();
  }
}
