/**
 * The comparison of two to four model variants on the same split and cohort: accuracy with
 * bootstrap confidence intervals over users, paired tests of each difference, beyond-accuracy
 * figures of the top-10 lists, and how much the lists of each pair agree user by user. Pure
 * computation over {@link ModelProfile}s: the worker, the CLI and the benchmark share it, so
 * the page and the command line give the same numbers for the same models.
 */
import { ndcgAtK } from '../train/metrics';
import type { LeaveLastOutSplit } from '../train/split';
import {
  giniIndex,
  intraListDiversity,
  longTailShare,
  novelty,
  recommendationCounts,
} from './beyondAccuracy';
import { bootstrapMeanCI, pairedBootstrap } from './bootstrap';
import { type Cohort, type CohortSelection, selectCohort, trainPopularity } from './cohorts';
import { COMPARE_TOP_K, type ModelProfile } from './profile';
import { jaccardAtK, rankBiasedOverlap } from './rankAgreement';
import { wilcoxonSignedRank } from './wilcoxon';

export const MIN_COMPARED_MODELS = 2;
export const MAX_COMPARED_MODELS = 4;
/** Bootstrap resamples of every interval and paired test (seeded). */
export const DEFAULT_RESAMPLES = 1000;
export const DEFAULT_COMPARE_SEED = 42;
/** RBO's persistence: the weight of the first d ranks is about 1 − p^d (0.9: top 10 ≈ 86 %). */
export const RBO_PERSISTENCE = 0.9;

export const ACCURACY_METRICS = ['hr10', 'ndcg10', 'mrr', 'recall20'] as const;
export type AccuracyMetric = (typeof ACCURACY_METRICS)[number];

export interface Interval {
  lo: number;
  hi: number;
}

export interface BeyondAccuracy {
  /** Distinct items in the cohort's top-10 lists over the catalogue size. */
  coverage10: number;
  /** Gini index of how often each catalogue item is recommended (0 = evenly, →1 = one item). */
  gini10: number;
  /** Share of recommended slots filled by items outside the 20 % most interacted in training. */
  longTail10: number;
  /** Mean pairwise category dissimilarity within a list; null when items have no categories. */
  diversity10: number | null;
  /** Mean self-information −log2((pop + 1) / (users + 1)) of recommended items, in bits. */
  novelty10: number;
}

export interface ComparedModel {
  key: string;
  modelId: string;
  /** Point estimates over the cohort's users. */
  metrics: Record<AccuracyMetric, number>;
  /** 95 % percentile bootstrap intervals of the same. */
  ci: Record<AccuracyMetric, Interval>;
  beyond: BeyondAccuracy;
  trainSeconds: number | null;
  sizeBytes: number | null;
  latencyMsPerUser: number;
}

export interface ComparedPair {
  a: string;
  b: string;
  /** NDCG@10 of a minus that of b, with its paired bootstrap interval. */
  deltaNdcg10: number;
  deltaCi: Interval;
  /** Two-sided paired bootstrap p-value of the NDCG@10 difference (1 when they never differ). */
  pValue: number;
  /** Two-sided Wilcoxon signed-rank p-value over the users whose NDCG@10 differs. */
  wilcoxonP: number;
  /** Users whose NDCG@10 differs between the two. */
  differingUsers: number;
  /** Mean Jaccard@10 of the two top-10 lists over the cohort's users. */
  jaccard10: number;
  /** Mean rank-biased overlap (p = 0.9) of the two top-10 lists. */
  rbo: number;
  /** Users by how many of their 10 items the two lists share (index 0..10). */
  sharedHistogram: number[];
  /**
   * Mean Spearman correlation of the two models' attributions for the same user and item
   * (occlusion, the method every model offers); null until the explanation agreement ran.
   */
  attributionAgreement: number | null;
}

export interface ComparisonReport {
  cohort: Cohort;
  /** Who is in the cohort (threshold included). */
  definition: string;
  /** Users in the cohort, and test users overall. */
  users: number;
  usersTotal: number;
  numItems: number;
  resamples: number;
  seed: number;
  models: ComparedModel[];
  pairwise: ComparedPair[];
}

/** Per-user values of one model over the cohort's rows, for the scatter and the tests. */
export interface PerUserValues {
  /** Dataset user index per cohort row. */
  users: Int32Array;
  /** NDCG@10 per user, one array per model key. */
  ndcg10: Record<string, Float64Array>;
}

export interface CompareOptions {
  cohort?: Cohort;
  resamples?: number;
  seed?: number;
  /** Categories of each item (dataset order), for diversity; omitted or empty = no categories. */
  itemCategories?: readonly (readonly number[])[];
}

function perUserMetric(metric: AccuracyMetric, rank: number): number {
  switch (metric) {
    case 'hr10':
      return rank <= 10 ? 1 : 0;
    case 'ndcg10':
      return ndcgAtK([rank], 10);
    case 'mrr':
      return 1 / rank;
    case 'recall20':
      // One held-out item per user: recall@20 is whether it is in the top 20.
      return rank <= 20 ? 1 : 0;
  }
}

function metricValues(profile: ModelProfile, rows: Int32Array, metric: AccuracyMetric) {
  const out = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = perUserMetric(metric, profile.ranks[rows[r]]);
  return out;
}

/** The cohort's rows of a profile's top lists, as one row-major array. */
function cohortLists(profile: ModelProfile, rows: Int32Array): Int32Array {
  const k = COMPARE_TOP_K;
  const out = new Int32Array(rows.length * k);
  for (let r = 0; r < rows.length; r++) {
    out.set(profile.top.subarray(rows[r] * k, rows[r] * k + k), r * k);
  }
  return out;
}

function checkProfiles(profiles: readonly ModelProfile[], split: LeaveLastOutSplit): void {
  if (profiles.length < MIN_COMPARED_MODELS || profiles.length > MAX_COMPARED_MODELS) {
    throw new RangeError(
      `Compare ${MIN_COMPARED_MODELS} to ${MAX_COMPARED_MODELS} models; got ${profiles.length}.`,
    );
  }
  const keys = new Set<string>();
  const n = split.test.users.length;
  for (const p of profiles) {
    if (keys.has(p.key)) throw new RangeError(`Model ${p.key} is listed twice.`);
    keys.add(p.key);
    if (p.ranks.length !== n || p.top.length !== n * COMPARE_TOP_K) {
      throw new RangeError(
        `Model ${p.key} was evaluated on ${p.ranks.length} test users, not this split's ${n}: compare models on the same data.`,
      );
    }
  }
}

/** Per-user NDCG@10 of each model over the cohort, for the per-user scatter. */
export function perUserNdcg(
  profiles: readonly ModelProfile[],
  selection: CohortSelection,
): PerUserValues {
  const users = new Int32Array(selection.rows.length);
  const first = profiles[0];
  for (let r = 0; r < users.length; r++) users[r] = first?.users[selection.rows[r]] ?? -1;
  const ndcg10: Record<string, Float64Array> = {};
  for (const p of profiles) ndcg10[p.key] = metricValues(p, selection.rows, 'ndcg10');
  return { users, ndcg10 };
}

/** Everything the compare view shows except the explanation agreement (see agreement.ts). */
export function compareProfiles(
  profiles: readonly ModelProfile[],
  split: LeaveLastOutSplit,
  options: CompareOptions = {},
): { report: ComparisonReport; selection: CohortSelection } {
  checkProfiles(profiles, split);
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? DEFAULT_COMPARE_SEED;
  const popularity = trainPopularity(split);
  const selection = selectCohort(split, options.cohort ?? 'all', popularity);
  const { rows } = selection;
  const numUsers = split.numUsers;
  const categories = options.itemCategories;
  const hasCategories = categories?.some((c) => c.length > 0) ?? false;

  const lists = new Map<string, Int32Array>();
  const ndcg = new Map<string, Float64Array>();
  const models = profiles.map((p): ComparedModel => {
    const top = cohortLists(p, rows);
    lists.set(p.key, top);
    const metrics = {} as Record<AccuracyMetric, number>;
    const ci = {} as Record<AccuracyMetric, Interval>;
    for (const metric of ACCURACY_METRICS) {
      const values = metricValues(p, rows, metric);
      if (metric === 'ndcg10') ndcg.set(p.key, values);
      const b = bootstrapMeanCI(values, { resamples, seed });
      metrics[metric] = b.mean;
      ci[metric] = { lo: b.lo, hi: b.hi };
    }
    const counts = recommendationCounts(top, COMPARE_TOP_K, split.numItems);
    let distinct = 0;
    for (const c of counts) if (c > 0) distinct++;
    return {
      key: p.key,
      modelId: p.modelId,
      metrics,
      ci,
      beyond: {
        coverage10: split.numItems > 0 ? distinct / split.numItems : 0,
        gini10: giniIndex(counts),
        longTail10: longTailShare(top, COMPARE_TOP_K, popularity),
        diversity10:
          hasCategories && categories
            ? nullIfNaN(intraListDiversity(top, COMPARE_TOP_K, categories))
            : null,
        novelty10: novelty(top, COMPARE_TOP_K, popularity, numUsers),
      },
      trainSeconds: p.trainSeconds,
      sizeBytes: p.sizeBytes,
      latencyMsPerUser: p.latencyMsPerUser,
    };
  });

  const pairwise: ComparedPair[] = [];
  for (let i = 0; i < profiles.length; i++) {
    for (let j = i + 1; j < profiles.length; j++) {
      const a = profiles[i].key;
      const b = profiles[j].key;
      pairwise.push(
        comparePair(a, b, ndcg, lists, rows.length, { resamples, seed: seed + 1000 * (i + 1) + j }),
      );
    }
  }
  return {
    selection,
    report: {
      cohort: selection.cohort,
      definition: selection.definition,
      users: rows.length,
      usersTotal: split.test.users.length,
      numItems: split.numItems,
      resamples,
      seed,
      models,
      pairwise,
    },
  };
}

function comparePair(
  a: string,
  b: string,
  ndcg: Map<string, Float64Array>,
  lists: Map<string, Int32Array>,
  count: number,
  bootstrap: { resamples: number; seed: number },
): ComparedPair {
  const va = ndcg.get(a) as Float64Array;
  const vb = ndcg.get(b) as Float64Array;
  const paired = pairedBootstrap(va, vb, bootstrap);
  const wilcoxon = wilcoxonSignedRank(va, vb);
  const la = lists.get(a) as Int32Array;
  const lb = lists.get(b) as Int32Array;
  const k = COMPARE_TOP_K;
  const sharedHistogram = new Array<number>(k + 1).fill(0);
  let jaccard = 0;
  let rbo = 0;
  let differing = 0;
  for (let r = 0; r < count; r++) {
    if (va[r] !== vb[r]) differing++;
    const ra = la.subarray(r * k, r * k + k);
    const rb = lb.subarray(r * k, r * k + k);
    jaccard += jaccardAtK(ra, rb, k);
    rbo += rankBiasedOverlap(strip(ra), strip(rb), { p: RBO_PERSISTENCE });
    sharedHistogram[sharedCount(ra, rb)]++;
  }
  return {
    a,
    b,
    deltaNdcg10: paired.delta,
    deltaCi: { lo: paired.lo, hi: paired.hi },
    pValue: paired.pValue,
    wilcoxonP: wilcoxon.pValue,
    differingUsers: differing,
    jaccard10: count > 0 ? jaccard / count : Number.NaN,
    rbo: count > 0 ? rbo / count : Number.NaN,
    sharedHistogram,
    attributionAgreement: null,
  };
}

/** The list without its -1 padding. */
function strip(list: Int32Array): Int32Array {
  let end = list.length;
  while (end > 0 && list[end - 1] < 0) end--;
  return list.subarray(0, end);
}

function sharedCount(a: Int32Array, b: Int32Array): number {
  let shared = 0;
  for (const x of a) if (x >= 0 && b.includes(x)) shared++;
  return shared;
}

function nullIfNaN(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}
