/**
 * `counterfactual`: the smallest set of read items whose removal drops the explained item out
 * of the top K (ACCENT / PRINCE's question, answered by search rather than influence
 * estimates). Every candidate set is re-scored over the whole catalogue (seen items excluded,
 * removed items no longer seen), so a returned set is verified, never estimated.
 *
 * Search: first exhaustively by size (all singletons, then all pairs, ...) while the number of
 * candidates stays within a budget, which proves minimality when the answer is found there;
 * then greedily along the best attribution order (most positive first), cumulative removals up
 * to `maxRemovals`, and the set found is pruned by dropping any member it does not need.
 */
import type { Mask } from './perturbation';
import { withoutPositions } from './perturbation';
import { type ExplainSubject, toAttributions } from './subject';
import type { AttributionResult, CounterfactualResult } from './types';

/** Most candidate sets scored by the exhaustive phase. */
const EXHAUSTIVE_BUDGET = 2048;

export async function counterfactual(
  subject: ExplainSubject,
  originalRank: number,
  order: AttributionResult | null,
): Promise<CounterfactualResult> {
  const started = performance.now();
  const k = subject.options.k;
  const n = subject.read.length;
  const maxRemovals = Math.min(subject.options.maxRemovals, n);
  let candidatesScored = 0;
  const result = (
    fields: Partial<CounterfactualResult> & Pick<CounterfactualResult, 'status'>,
  ): CounterfactualResult => ({
    removed: [],
    newRank: null,
    k,
    minimal: false,
    exhaustiveUpTo: 0,
    candidatesScored,
    order: order?.method ?? null,
    ...fields,
    ms: performance.now() - started,
  });
  if (subject.model.historyIndependent) {
    return result({
      status: 'unavailable',
      reason: `${subject.model.id}'s ranking does not depend on the history: no removal can change it.`,
    });
  }
  if (originalRank > k) {
    return result({
      status: 'none',
      reason: `The item is at rank ${originalRank}, already outside the top ${k}.`,
    });
  }
  const rankOf = async (sets: number[][]): Promise<Int32Array> => {
    candidatesScored += sets.length;
    return subject.scorer.ranks(sets.map((s) => withoutPositions(n, s)));
  };
  const found = (set: number[], rank: number, minimal: boolean, exhaustiveUpTo: number) =>
    result({
      status: 'found',
      // Each removed item with its value in the order that seeded the search (0 without one).
      removed: toAttributions(
        subject,
        Float64Array.from({ length: n }, (_, p) => order?.attributions[p]?.value ?? 0),
      ).filter((_, p) => set.includes(p)),
      newRank: rank,
      minimal,
      exhaustiveUpTo,
    });

  // Exhaustive phase: sizes 1, 2, ... while the candidates fit the budget.
  let exhaustiveUpTo = 0;
  let spent = 0;
  for (let size = 1; size <= maxRemovals; size++) {
    const count = binomial(n, size);
    if (spent + count > EXHAUSTIVE_BUDGET) break;
    const sets = combinations(n, size);
    const ranks = await rankOf(sets);
    spent += count;
    exhaustiveUpTo = size;
    let best = -1;
    for (let s = 0; s < sets.length; s++) {
      if (ranks[s] > k && (best < 0 || ranks[s] > ranks[best])) best = s;
    }
    if (best >= 0) return found(sets[best], ranks[best], true, exhaustiveUpTo);
  }

  // Greedy phase along the attribution order.
  if (!order) {
    return result({
      status: 'none',
      exhaustiveUpTo,
      reason: `No set of up to ${exhaustiveUpTo} items moves it out of the top ${k}, and no attribution order was computed to search further.`,
    });
  }
  const ranked = order.attributions
    .map((a, p) => ({ p, v: a.value }))
    .sort((a, b) => b.v - a.v || b.p - a.p)
    .map((x) => x.p);
  const prefixes: number[][] = [];
  for (let size = exhaustiveUpTo + 1; size <= maxRemovals; size++) {
    prefixes.push(ranked.slice(0, size));
  }
  const prefixRanks = prefixes.length > 0 ? await rankOf(prefixes) : new Int32Array(0);
  const hit = prefixRanks.findIndex((r) => r > k);
  if (hit < 0) {
    return result({
      status: 'none',
      exhaustiveUpTo,
      reason: `Removing up to ${maxRemovals} of the most influential items (by ${order.method}) keeps it in the top ${k}.`,
    });
  }
  // Prune: drop members the set does not need, most recently added first.
  let set = prefixes[hit];
  let rank = prefixRanks[hit];
  for (let i = set.length - 1; i >= 0 && set.length > exhaustiveUpTo + 1; i--) {
    const smaller = set.filter((_, j) => j !== i);
    const [r] = await rankOf([smaller]);
    if (r > k) {
      set = smaller;
      rank = r;
    }
  }
  return found(set, rank, set.length === exhaustiveUpTo + 1, exhaustiveUpTo);
}

/** Masks are built by the scorer; exported for tests that re-score a result independently. */
export function removalMask(n: number, positions: number[]): Mask {
  return withoutPositions(n, positions);
}

function binomial(n: number, k: number): number {
  let out = 1;
  for (let i = 1; i <= k; i++) out = (out * (n - k + i)) / i;
  return Math.round(out);
}

/** All size-`k` subsets of 0..n-1 in lexicographic order. */
function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const current: number[] = [];
  const walk = (from: number) => {
    if (current.length === k) {
      out.push(current.slice());
      return;
    }
    for (let i = from; i <= n - (k - current.length); i++) {
      current.push(i);
      walk(i + 1);
      current.pop();
    }
  };
  walk(0);
  return out;
}
