/**
 * Faithfulness of an attribution order, as in LXR (Barkan et al., 2023): remove the read items
 * in cumulative 10 % bins from most to least important (deletion: a faithful order makes the
 * target fall fast, a low area) and keep only the top bins (insertion: a faithful order brings
 * the target back fast, a high area); after each bin, whether the item is still in the top K
 * (POS@5/10/20). Always next to a random order: the mean of `randomOrders` seeded shuffles.
 */
import { SeededRandom } from '../sample/random';
import type { Mask } from './perturbation';
import { trapezoid } from './stats';
import type { ExplainSubject } from './subject';
import type { AttributionMethod, AttributionResult, FaithfulnessCurves } from './types';

const BINS = 10;
const POS_K = [5, 10, 20];

/** Curves of every given method's order and of the random baseline. */
export async function faithfulness(
  subject: ExplainSubject,
  results: AttributionResult[],
): Promise<Partial<Record<AttributionMethod | 'random', FaithfulnessCurves>>> {
  const n = subject.read.length;
  const out: Partial<Record<AttributionMethod | 'random', FaithfulnessCurves>> = {};
  if (n === 0) return out;
  for (const result of results) {
    const order = result.attributions
      .map((a, p) => ({ p, v: a.value }))
      .sort((a, b) => b.v - a.v || b.p - a.p)
      .map((x) => x.p);
    out[result.method] = await curves(subject, [order]);
  }
  const rng = new SeededRandom(subject.options.seed, 'faithfulness');
  const orders = Array.from({ length: subject.options.randomOrders }, () => shuffled(rng, n));
  out.random = await curves(subject, orders);
  return out;
}

/** Curves averaged over `orders` (one order for a method, several for random). */
async function curves(subject: ExplainSubject, orders: number[][]): Promise<FaithfulnessCurves> {
  const n = subject.read.length;
  const fractions = Array.from({ length: BINS + 1 }, (_, b) => b / BINS);
  const counts = fractions.map((f) => Math.round(f * n));
  const deletionMasks: Mask[] = [];
  const insertionMasks: Mask[] = [];
  for (const order of orders) {
    for (const c of counts) {
      const deletion = new Uint8Array(n).fill(1);
      const insertion = new Uint8Array(n);
      for (let i = 0; i < c; i++) {
        deletion[order[i]] = 0;
        insertion[order[i]] = 1;
      }
      deletionMasks.push(deletion);
      insertionMasks.push(insertion);
    }
  }
  const masks = [...deletionMasks, ...insertionMasks];
  const targets = await subject.scorer.targets(masks);
  const ranks = await subject.scorer.ranks(masks);
  const points = counts.length;
  const mean = (from: number, values: ArrayLike<number>) =>
    fractions.map((_, b) => {
      let total = 0;
      for (let o = 0; o < orders.length; o++) total += values[from + o * points + b];
      return total / orders.length;
    });
  const deletion = mean(0, targets);
  const insertion = mean(deletionMasks.length, targets);
  const pos = (from: number, k: number) => {
    let inside = 0;
    for (let o = 0; o < orders.length; o++) {
      for (let b = 1; b < points; b++) if (ranks[from + o * points + b] <= k) inside++;
    }
    return inside / (orders.length * (points - 1));
  };
  return {
    fractions,
    deletion,
    insertion,
    deletionAuc: trapezoid(fractions, deletion),
    insertionAuc: trapezoid(fractions, insertion),
    posAtK: {
      deletion: Object.fromEntries(POS_K.map((k) => [String(k), pos(0, k)])),
      insertion: Object.fromEntries(POS_K.map((k) => [String(k), pos(deletionMasks.length, k)])),
    },
  };
}

function shuffled(rng: SeededRandom, n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
