/**
 * Cohorts of the comparison: every figure of the compare view can be restricted to the test
 * users of one cohort. User cohorts are cut by history length (what a model had to go on);
 * item cohorts by the training popularity of the user's held-out test item (what the model
 * had to find). Thresholds are computed from the data and reported with the cohort, so the
 * page and the CLI say exactly who is in it.
 */
import type { LeaveLastOutSplit } from '../train/split';
import { popularityHead } from './beyondAccuracy';

export const COHORTS = [
  'all',
  'cold-users',
  'heavy-users',
  'head-items',
  'tail-items',
  'cold-items',
] as const;
export type Cohort = (typeof COHORTS)[number];

export function isCohort(value: string): value is Cohort {
  return (COHORTS as readonly string[]).includes(value);
}

/** Share of users (shortest / longest histories) in the cold / heavy user cohorts. */
export const USER_COHORT_SHARE = 0.2;
/** Share of the catalogue (most interacted in training) that makes the head. */
export const HEAD_ITEM_SHARE = 0.2;
/** Items with at most this many training interactions are cold. */
export const COLD_ITEM_MAX_INTERACTIONS = 5;

export interface CohortSelection {
  cohort: Cohort;
  /** Test rows (indices into `split.test`) in the cohort, ascending. */
  rows: Int32Array;
  /** One sentence: who is in it, with the threshold that was used. */
  definition: string;
}

/** Training interactions per item (the popularity every item cohort and metric uses). */
export function trainPopularity(split: LeaveLastOutSplit): Int32Array {
  const counts = new Int32Array(split.numItems);
  for (const i of split.train.items) counts[i]++;
  return counts;
}

/** The value below which `share` of the sorted values lie (nearest rank, inclusive). */
function quantileThreshold(sorted: Int32Array, share: number): number {
  if (sorted.length === 0) return 0;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[at];
}

/**
 * The test rows of `cohort`. Cold users: histories (before the test item) no longer than the
 * 20th percentile; heavy users: at least the 80th percentile. Head / tail items: the test item
 * is / is not among the 20 % most interacted training items. Cold items: the test item has at
 * most 5 training interactions. Ties at a threshold are included, so a cohort may hold a bit
 * more than 20 % of users.
 */
export function selectCohort(
  split: LeaveLastOutSplit,
  cohort: Cohort,
  popularity: Int32Array = trainPopularity(split),
): CohortSelection {
  const { test } = split;
  const n = test.users.length;
  const rows: number[] = [];
  const historyLength = (r: number) => test.historyEnd[r] - test.historyStart[r];
  let definition: string;
  switch (cohort) {
    case 'all':
      for (let r = 0; r < n; r++) rows.push(r);
      definition = 'Every evaluated user.';
      break;
    case 'cold-users':
    case 'heavy-users': {
      const lengths = Int32Array.from({ length: n }, (_, r) => historyLength(r)).sort();
      if (cohort === 'cold-users') {
        const max = quantileThreshold(lengths, USER_COHORT_SHARE);
        for (let r = 0; r < n; r++) if (historyLength(r) <= max) rows.push(r);
        definition = `Users with at most ${max} interactions before their test item (the shortest ${pct(USER_COHORT_SHARE)} of histories).`;
      } else {
        const min = quantileThreshold(lengths, 1 - USER_COHORT_SHARE);
        for (let r = 0; r < n; r++) if (historyLength(r) >= min) rows.push(r);
        definition = `Users with at least ${min} interactions before their test item (the longest ${pct(USER_COHORT_SHARE)} of histories).`;
      }
      break;
    }
    case 'head-items':
    case 'tail-items': {
      const head = popularityHead(popularity, HEAD_ITEM_SHARE);
      const want = cohort === 'head-items' ? 1 : 0;
      for (let r = 0; r < n; r++) if (head[test.items[r]] === want) rows.push(r);
      definition =
        cohort === 'head-items'
          ? `Users whose test item is among the ${pct(HEAD_ITEM_SHARE)} most interacted items in training.`
          : `Users whose test item is outside the ${pct(HEAD_ITEM_SHARE)} most interacted items in training.`;
      break;
    }
    case 'cold-items':
      for (let r = 0; r < n; r++) {
        if (popularity[test.items[r]] <= COLD_ITEM_MAX_INTERACTIONS) rows.push(r);
      }
      definition = `Users whose test item has at most ${COLD_ITEM_MAX_INTERACTIONS} training interactions.`;
      break;
  }
  return { cohort, rows: Int32Array.from(rows), definition };
}

const pct = (share: number) => `${Math.round(share * 100)} %`;
