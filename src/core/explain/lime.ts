/**
 * `lime`: a local linear surrogate over binary keep-masks of the read items (Ribeiro et al.,
 * 2016; LIME-text style). A sample removes a uniform number 1..n of items (the first sample is
 * the unedited history); its weight is LIME's kernel sqrt(exp(−d² / width²)) on d = 100 ×
 * cosine distance between the mask and the all-ones mask; the surrogate is a weighted ridge
 * (alpha 1, unpenalised intercept). Seeded.
 *
 * Instability is LIME's best-known weakness, so the fit is repeated for `seeds` seeds and the
 * spread of the coefficients is reported; the attributions are the mean over the seeds. Each
 * seed samples in rounds of 250 and stops early once a round moves the coefficients by under
 * 2 % (relative L2), so an easy explanation does not pay for 1,000 samples.
 */
import type { Mask } from './perturbation';
import { randomRemoval, removalStream } from './sampling';
import { BinaryRidgeAccumulator, type RidgeFit, spearman } from './stats';
import { type ExplainSubject, toAttributions } from './subject';
import type { LimeResult } from './types';

const ROUND = 250;
const STABLE_CHANGE = 0.02;

export async function lime(subject: ExplainSubject): Promise<LimeResult> {
  const started = performance.now();
  const { scorer } = subject;
  const before = scorer.evaluations;
  const n = subject.read.length;
  const { samples, seeds, kernelWidth, alpha } = subject.options.lime;
  const fits: { coefficients: Float64Array; intercept: number; r2: number; used: number }[] = [];
  for (let s = 0; s < seeds; s++) {
    const rng = removalStream(subject.options.seed, s);
    const surrogate = new BinaryRidgeAccumulator(n);
    let previous: Float64Array | null = null;
    let fit: RidgeFit | null = null;
    // The first sample is the unedited history, then rounds of random removals.
    let batch: Mask[] = [scorer.full()];
    while (batch.length > 0) {
      const values = await scorer.targets(batch);
      batch.forEach((mask, i) => {
        addSample(surrogate, mask, values[i], kernelWidth);
      });
      fit = surrogate.fit(alpha);
      if (previous && relativeChange(previous, fit.coefficients) < STABLE_CHANGE) break;
      previous = fit.coefficients;
      const round = Math.min(ROUND, samples - surrogate.samples);
      batch = Array.from({ length: Math.max(0, round) }, () => randomRemoval(rng, n));
    }
    if (!fit) throw new Error('LIME drew no samples.');
    fits.push({ ...fit, used: surrogate.samples });
  }
  const mean = new Float64Array(n);
  for (const f of fits) for (let i = 0; i < n; i++) mean[i] += f.coefficients[i] / fits.length;
  return {
    method: 'lime',
    status: 'ok',
    unit: 'score',
    attributions: toAttributions(subject, mean),
    evaluations: scorer.evaluations - before,
    r2: fits[0].r2,
    intercept: fits.reduce((t, f) => t + f.intercept, 0) / fits.length,
    seedSpread: seedSpread(fits.map((f) => f.coefficients)),
    seedRankAgreement: seedRankAgreement(fits.map((f) => f.coefficients)),
    seeds: fits.length,
    samplesPerSeed: fits.map((f) => f.used),
    ms: performance.now() - started,
  };
}

/** One sample into the surrogate, weighted by LIME's kernel on its cosine distance to the full mask. */
function addSample(surrogate: BinaryRidgeAccumulator, mask: Mask, y: number, width: number): void {
  const n = mask.length;
  const kept: number[] = [];
  for (let i = 0; i < n; i++) if (mask[i]) kept.push(i);
  const distance = (1 - Math.sqrt(kept.length / Math.max(1, n))) * 100;
  surrogate.add(kept, y, Math.sqrt(Math.exp(-(distance * distance) / (width * width))));
}

function relativeChange(a: Float64Array, b: Float64Array): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i] - b[i]) ** 2;
    norm += b[i] ** 2;
  }
  return norm > 0 ? Math.sqrt(diff / norm) : Math.sqrt(diff);
}

/** Mean over items of the coefficient's standard deviation across seeds, over mean |coefficient|. */
export function seedSpread(runs: Float64Array[]): number {
  if (runs.length < 2 || runs[0].length === 0) return 0;
  const n = runs[0].length;
  let sd = 0;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    const values = runs.map((r) => r[i]);
    const mean = values.reduce((t, v) => t + v, 0) / values.length;
    sd += Math.sqrt(values.reduce((t, v) => t + (v - mean) ** 2, 0) / (values.length - 1));
    scale += Math.abs(mean);
  }
  return scale > 0 ? sd / scale : 0;
}

function seedRankAgreement(runs: Float64Array[]): number {
  let worst = 1;
  for (let a = 0; a < runs.length; a++) {
    for (let b = a + 1; b < runs.length; b++) worst = Math.min(worst, spearman(runs[a], runs[b]));
  }
  return worst;
}
