/**
 * Paired per-user comparisons of two predictors' scores (the held-out heads check): wins,
 * losses and ties, the mean difference with a paired-bootstrap interval, and the exact sign
 * test.
 */
import { SeededRandom } from '../random';

/** Differences smaller than this count as ties. */
export const TIE = 1e-9;

/** One predictor against a reference, paired per user (differences in bits: it − reference). */
export interface PairedComparison {
  /** Users where it has the lower cross-entropy, the higher, the same. */
  wins: number;
  losses: number;
  ties: number;
  /** wins / users. */
  winShare: number;
  /** Mean of (its bits − the reference's bits): negative = better than the reference. */
  meanDifference: number;
  /** Paired-bootstrap 95 % interval of that mean (percentile, seeded). */
  ci95: [number, number];
  /** Exact two-sided sign test of wins against losses (ties left out). */
  signP: number;
}

/** Two-sided exact binomial (p = ½) test of `wins` vs `losses`. */
export function signTestP(wins: number, losses: number): number {
  const n = wins + losses;
  if (n === 0) return 1;
  const k = Math.min(wins, losses);
  // log C(n, i) built up term by term; the tail Σ_{i ≤ k} C(n, i) / 2^n, doubled.
  let logC = 0;
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log((n - i + 1) / i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

export /** Wins, losses, ties, mean and sign test of per-user differences (negative = a win). */
function paired(d: Float64Array, ci95: [number, number]): PairedComparison {
  let wins = 0;
  let losses = 0;
  let sum = 0;
  for (const x of d) {
    if (x < -TIE) wins++;
    else if (x > TIE) losses++;
    sum += x;
  }
  const n = d.length;
  return {
    wins,
    losses,
    ties: n - wins - losses,
    winShare: n > 0 ? wins / n : Number.NaN,
    meanDifference: n > 0 ? sum / n : Number.NaN,
    ci95,
    signP: signTestP(wins, losses),
  };
}

/**
 * Percentile 95 % intervals of the mean of each row of `rows` (same users in each), from
 * `resamples` draws of the users with replacement, one draw shared by every row (paired).
 */
export function pairedBootstrap(
  rows: readonly Float64Array[],
  resamples: number,
  seed: number,
): [number, number][] {
  const n = rows[0]?.length ?? 0;
  if (n === 0 || resamples < 1) return rows.map(() => [Number.NaN, Number.NaN]);
  const rng = new SeededRandom(seed, 'heads-held-out-bootstrap');
  const means = rows.map(() => new Float64Array(resamples));
  const sums = new Float64Array(rows.length);
  for (let b = 0; b < resamples; b++) {
    sums.fill(0);
    for (let k = 0; k < n; k++) {
      const r = Math.floor(rng.next() * n);
      for (let i = 0; i < rows.length; i++) sums[i] += rows[i][r];
    }
    for (let i = 0; i < rows.length; i++) means[i][b] = sums[i] / n;
  }
  return means.map((m) => {
    m.sort();
    return [m[Math.floor(0.025 * resamples)], m[Math.ceil(0.975 * resamples) - 1]];
  });
}
