/**
 * The candidates of the large-catalogue sampled softmax: negatives drawn once per batch from a
 * proposal that mixes uniform and popularity (training-target counts^0.75), plus the batch's own
 * targets as in-batch negatives, each with the log-Q correction that makes the sampled softmax
 * estimate the whole-catalogue softmax.
 *
 * The estimate (Bengio & Senecal 2008; Jean et al. 2015; for in-batch candidates Yi et al.
 * 2019): for an example with target t, the softmax normaliser over the other items,
 * Σ_{j≠t} exp(s_j), is estimated without bias by Σ_c m_c exp(s_c) / E[m_c] over the distinct
 * candidates c ≠ t, where m_c is how often c was drawn and E[m_c] = K q_c + B u_c its expected
 * count (K proposal draws from q, B in-batch targets from the target distribution u: the
 * balance heuristic of multiple importance sampling). So each candidate's logit gets
 * `log m_c - log E[m_c]` added, the example's own target is masked out of its row, and the
 * target's own logit is left as it is; the loss is then a softmax cross-entropy over
 * [target, candidates] whose gradient is a self-normalised importance-sampling estimate of the
 * exact softmax's gradient (consistent; its bias shrinks as 1 / (K + B)).
 *
 * Plain typed arrays, no tensors: the model's loss turns them into tensors.
 */
import type { CandidateSampling, SampledCandidates } from '../models/types';
import type { SeededRandom } from '../random';
import type { TrainingWindows } from './batches';

/** Exponent of the popularity part of the proposal (word2vec's unigram^0.75). */
export const POPULARITY_POWER = 0.75;

/** The sampling distributions of one training set, for draws of {@link drawCandidates}. */
export interface CandidateProposal {
  numItems: number;
  /** Share of the proposal drawn by popularity (the rest is uniform). */
  popularity: number;
  /** Proposal probability q of item index i (token i + 1). */
  proposal: Float64Array;
  /** Cumulative sums of `proposal` (last = 1) for inverse-CDF draws. */
  cumulative: Float64Array;
  /** Probability u of item i among training targets (what an in-batch candidate is drawn from). */
  targetShare: Float64Array;
}

/** How often each item (index) is a training target in `windows`: one count per transition. */
export function targetCounts(windows: TrainingWindows, numItems: number): Float64Array {
  const counts = new Float64Array(numItems);
  for (let w = 0; w < windows.start.length; w++) {
    for (let p = windows.start[w] + 1; p < windows.end[w]; p++) counts[windows.items[p]]++;
  }
  return counts;
}

/**
 * The proposal `q = (1 - popularity) / numItems + popularity * c^0.75 / Σ c^0.75` and the target
 * distribution `u = c / Σ c` from per-item target counts `counts`. Every item keeps a non-zero
 * proposal (the uniform part), so every item can be drawn as a negative.
 */
export function candidateProposal(
  counts: ArrayLike<number>,
  popularityShare: number,
): CandidateProposal {
  const numItems = counts.length;
  if (numItems < 1) throw new RangeError('A proposal needs at least one item.');
  if (!(popularityShare >= 0 && popularityShare <= 1)) {
    throw new RangeError(`The popularity share must lie in [0, 1]; got ${popularityShare}.`);
  }
  let total = 0;
  let powered = 0;
  for (let i = 0; i < numItems; i++) {
    total += counts[i];
    powered += counts[i] ** POPULARITY_POWER;
  }
  const popularity = powered > 0 ? popularityShare : 0;
  const proposal = new Float64Array(numItems);
  const targetShare = new Float64Array(numItems);
  const cumulative = new Float64Array(numItems);
  let running = 0;
  for (let i = 0; i < numItems; i++) {
    const popular = powered > 0 ? counts[i] ** POPULARITY_POWER / powered : 0;
    proposal[i] = (1 - popularity) / numItems + popularity * popular;
    targetShare[i] = total > 0 ? counts[i] / total : 0;
    running += proposal[i];
    cumulative[i] = running;
  }
  cumulative[numItems - 1] = Math.max(running, 1);
  return { numItems, popularity, proposal, cumulative, targetShare };
}

const cache = new WeakMap<TrainingWindows, Map<string, CandidateProposal>>();

/**
 * {@link candidateProposal} of the targets of `windows`, computed once per windows and
 * popularity share (the trainer asks for it at every batch).
 */
export function proposalFor(
  windows: TrainingWindows,
  numItems: number,
  popularityShare: number,
): CandidateProposal {
  const key = `${numItems}/${popularityShare}`;
  let byKey = cache.get(windows);
  if (!byKey) {
    byKey = new Map();
    cache.set(windows, byKey);
  }
  let found = byKey.get(key);
  if (!found) {
    found = candidateProposal(targetCounts(windows, numItems), popularityShare);
    byKey.set(key, found);
  }
  return found;
}

/** One item index drawn from the proposal (inverse CDF, binary search). */
function drawItem(p: CandidateProposal, rng: SeededRandom): number {
  const x = rng.next() * p.cumulative[p.numItems - 1];
  let lo = 0;
  let hi = p.numItems - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (p.cumulative[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The distinct candidates of one batch and their log-Q corrections: `sampling.negatives` draws
 * from the proposal `p`, plus `inBatchTargets` (tokens; the batch's targets) when
 * `sampling.inBatch`. Candidates are in first-drawn order (proposal draws first), so the same
 * generator state gives the same candidates.
 */
export function drawCandidates(
  p: CandidateProposal,
  sampling: CandidateSampling,
  inBatchTargets: Int32Array,
  rng: SeededRandom,
): SampledCandidates {
  const k = sampling.negatives;
  const b = sampling.inBatch ? inBatchTargets.length : 0;
  const multiplicity = new Map<number, number>();
  for (let i = 0; i < k; i++) {
    const token = drawItem(p, rng) + 1;
    multiplicity.set(token, (multiplicity.get(token) ?? 0) + 1);
  }
  for (let i = 0; i < b; i++) {
    const token = inBatchTargets[i];
    multiplicity.set(token, (multiplicity.get(token) ?? 0) + 1);
  }
  const tokens = new Int32Array(multiplicity.size);
  const logCorrection = new Float32Array(multiplicity.size);
  let c = 0;
  for (const [token, count] of multiplicity) {
    const expected = k * p.proposal[token - 1] + b * p.targetShare[token - 1];
    tokens[c] = token;
    // An in-batch token the counts never saw (a batch from other windows) counts as drawn once.
    logCorrection[c] = Math.log(count) - Math.log(expected > 0 ? expected : count);
    c++;
  }
  return { tokens, logCorrection };
}
