/**
 * `shap`: Shapley values of the read items for the target, with "absent" meaning removed (see
 * {@link Removal}), so φ sums to f(x) − f(∅) (efficiency).
 *
 * Up to `exactMaxItems` items (12: 4,096 coalitions) the values are exact: every coalition is
 * scored once (cached) and φ_i = Σ_S |S|! (n − |S| − 1)! / n! (v(S ∪ i) − v(S)).
 *
 * Above that, `kernel` (what `auto`, the default, picks when LIME runs too): KernelSHAP (Lundberg and Lee, 2017), the weighted
 * linear regression with the Shapley kernel and efficiency as an exact constraint, fitted on
 * LIME's removal samples (same sampler, same seeded streams, see sampling.ts). Those samples
 * have uniform sizes, so each is weighted by the Shapley kernel over its sampling probability,
 * ∝ 1 / (s (n − s)) for s kept items: a consistent estimate of the same regression. When LIME
 * ran first every sample is already scored (no model call at all). The standard error comes
 * from the spread of the per-seed fits; sampling goes on in rounds of 250 per seed until every
 * standard error is under `relativeStderr` × |f(x) − f(∅)| or LIME's sample budget is used.
 * `permutation` (what `auto` picks otherwise): permutation sampling with antithetic pairs (a permutation and its reverse),
 * each permutation crediting every item with its marginal contribution (efficiency exact),
 * standard errors from the spread over pairs, up to `maxEvaluations` model rows.
 */
import { SeededRandom } from '../sample/random';
import type { Mask } from './perturbation';
import { randomRemoval, removalStream } from './sampling';
import { BinaryRidgeAccumulator } from './stats';
import { type ExplainSubject, toAttributions } from './subject';
import type { ShapResult } from './types';

/** Permutation pairs scored per batch. */
const PAIRS_PER_ROUND = 4;
const MIN_PAIRS = 4;

export async function shap(subject: ExplainSubject): Promise<ShapResult> {
  const started = performance.now();
  const before = subject.scorer.evaluations;
  const n = subject.read.length;
  const result =
    n <= subject.options.shap.exactMaxItems
      ? await exactShapley(subject)
      : subject.options.shap.estimator === 'permutation'
        ? await permutationShapley(subject)
        : await kernelShapley(subject);
  const full = await subject.scorer.target(subject.scorer.full());
  const empty = await subject.scorer.target(new Uint8Array(n));
  const total = result.values.reduce((t, v) => t + v, 0);
  const stderr = result.stderr.reduce((m, v) => Math.max(m, v), 0);
  return {
    method: 'shap',
    status: 'ok',
    unit: 'score',
    attributions: toAttributions(subject, result.values),
    evaluations: subject.scorer.evaluations - before,
    estimator: result.estimator,
    stderr,
    stderrPerItem: Array.from(result.stderr),
    permutations: result.permutations,
    samples: result.samples,
    efficiencyGap: Math.abs(total - (full - empty)),
    ms: performance.now() - started,
  };
}

interface Estimate {
  estimator: ShapResult['estimator'];
  values: Float64Array;
  stderr: Float64Array;
  permutations: number;
  /** Samples (coalitions) the kernel estimator fitted on; 0 otherwise. */
  samples: number;
}

async function exactShapley(subject: ExplainSubject): Promise<Estimate> {
  const n = subject.read.length;
  const coalitions = 1 << n;
  const masks: Mask[] = Array.from({ length: coalitions }, (_, bits) =>
    Uint8Array.from({ length: n }, (_, i) => (bits >> i) & 1),
  );
  const v = await subject.scorer.targets(masks);
  // weight[s] = s! (n − s − 1)! / n!
  const weight = new Float64Array(n);
  for (let s = 0; s < n; s++) weight[s] = 1 / (n * binomial(n - 1, s));
  const values = new Float64Array(n);
  for (let bits = 0; bits < coalitions; bits++) {
    const size = popcount(bits);
    for (let i = 0; i < n; i++) {
      if (bits & (1 << i)) continue;
      values[i] += weight[size] * (v[bits | (1 << i)] - v[bits]);
    }
  }
  return { estimator: 'exact', values, stderr: new Float64Array(n), permutations: 0, samples: 0 };
}

/** Samples drawn per seed and round (LIME's round, so both walk the same streams alike). */
const KERNEL_ROUND = 250;

async function kernelShapley(subject: ExplainSubject): Promise<Estimate> {
  const n = subject.read.length;
  const { seeds, samples } = subject.options.lime;
  const { relativeStderr, maxEvaluations } = subject.options.shap;
  const scorer = subject.scorer;
  const full = await scorer.target(scorer.full());
  const empty = await scorer.target(new Uint8Array(n));
  const delta = full - empty;
  const streams = Array.from({ length: seeds }, (_, s) => removalStream(subject.options.seed, s));
  const perSeed = streams.map(() => new BinaryRidgeAccumulator(n));
  // LIME's first sample of every seed is the unedited history; the draws start after it.
  let drawn = 1;
  const start = scorer.evaluations;
  for (;;) {
    subject.signal?.throwIfAborted();
    const round = Math.min(KERNEL_ROUND, samples - drawn);
    if (round <= 0) break;
    drawn += round;
    const batch: Mask[] = [];
    for (const rng of streams) {
      for (let i = 0; i < round; i++) batch.push(randomRemoval(rng, n));
    }
    const values = await scorer.targets(batch);
    batch.forEach((mask, k) => {
      const kept: number[] = [];
      for (let i = 0; i < n; i++) if (mask[i]) kept.push(i);
      // Shapley kernel over LIME's uniform-size sampling probability: ∝ 1 / (s (n − s)).
      if (kept.length === 0 || kept.length === n) return;
      perSeed[Math.floor(k / round)].add(kept, values[k], 1 / (kept.length * (n - kept.length)));
    });
    if (drawn - 1 < 2 * KERNEL_ROUND && seeds > 1) continue;
    const stderr = fitStderr(perSeed.map((acc) => acc.fitShapley(empty, delta)));
    const worst = stderr.reduce((m, v) => Math.max(m, v), 0);
    const spent = scorer.evaluations - start;
    if (worst < relativeStderr * Math.max(Math.abs(delta), 1e-12) || spent >= maxEvaluations) break;
  }
  const all = new BinaryRidgeAccumulator(n);
  for (const acc of perSeed) all.merge(acc);
  return {
    estimator: 'kernel',
    values: all.fitShapley(empty, delta),
    stderr: fitStderr(perSeed.map((acc) => acc.fitShapley(empty, delta))),
    permutations: 0,
    samples: all.samples,
  };
}

/** Standard error of the mean of per-seed estimates (Infinity with one seed). */
function fitStderr(fits: Float64Array[]): Float64Array {
  const n = fits[0]?.length ?? 0;
  return Float64Array.from({ length: n }, (_, i) => {
    if (fits.length < 2) return Number.POSITIVE_INFINITY;
    const mean = fits.reduce((t, f) => t + f[i], 0) / fits.length;
    const variance = fits.reduce((t, f) => t + (f[i] - mean) ** 2, 0) / (fits.length - 1);
    return Math.sqrt(variance / fits.length);
  });
}

async function permutationShapley(subject: ExplainSubject): Promise<Estimate> {
  const n = subject.read.length;
  const { maxEvaluations, relativeStderr } = subject.options.shap;
  const rng = new SeededRandom(subject.options.seed, 'shap');
  const scorer = subject.scorer;
  const full = await scorer.target(scorer.full());
  const empty = await scorer.target(new Uint8Array(n));
  const scale = Math.max(Math.abs(full - empty), 1e-12);
  const sum = new Float64Array(n);
  const sumSq = new Float64Array(n);
  let pairs = 0;
  const start = scorer.evaluations;
  for (;;) {
    subject.signal?.throwIfAborted();
    const orders: Int32Array[] = [];
    for (let p = 0; p < PAIRS_PER_ROUND; p++) {
      const order = shuffled(rng, n);
      orders.push(order, order.slice().reverse());
    }
    // Prefix masks of every order: [∅, {o0}, {o0, o1}, ..., all]; ∅ and all come from the cache.
    const masks: Mask[] = [];
    for (const order of orders) {
      const mask = new Uint8Array(n);
      masks.push(mask.slice());
      for (const i of order) {
        mask[i] = 1;
        masks.push(mask.slice());
      }
    }
    const v = await scorer.targets(masks);
    for (let p = 0; p < orders.length; p += 2) {
      const pair = new Float64Array(n);
      for (const which of [p, p + 1]) {
        const base = which * (n + 1);
        orders[which].forEach((i, k) => {
          pair[i] += (v[base + k + 1] - v[base + k]) / 2;
        });
      }
      for (let i = 0; i < n; i++) {
        sum[i] += pair[i];
        sumSq[i] += pair[i] * pair[i];
      }
      pairs++;
    }
    const stderr = standardErrors(sum, sumSq, pairs);
    const worst = stderr.reduce((m, s) => Math.max(m, s), 0);
    const spent = scorer.evaluations - start;
    if ((pairs >= MIN_PAIRS && worst < relativeStderr * scale) || spent >= maxEvaluations) {
      return {
        estimator: 'permutation',
        values: Float64Array.from(sum, (t) => t / pairs),
        stderr,
        permutations: 2 * pairs,
        samples: 0,
      };
    }
  }
}

function standardErrors(sum: Float64Array, sumSq: Float64Array, pairs: number): Float64Array {
  return Float64Array.from(sum, (t, i) => {
    if (pairs < 2) return Number.POSITIVE_INFINITY;
    const mean = t / pairs;
    const variance = Math.max(0, (sumSq[i] - pairs * mean * mean) / (pairs - 1));
    return Math.sqrt(variance / pairs);
  });
}

function shuffled(rng: SeededRandom, n: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

function binomial(n: number, k: number): number {
  let out = 1;
  for (let i = 1; i <= k; i++) out = (out * (n - k + i)) / i;
  return out;
}

function popcount(bits: number): number {
  let count = 0;
  for (let b = bits; b; b &= b - 1) count++;
  return count;
}
