/**
 * "Why this item?" for any trained model: the item's score and rank, then every attribution
 * method the model can offer (fast ones first, each streamed as it finishes), a verified
 * counterfactual, faithfulness curves against a random order, and roll-ups by category and
 * time window. The same function serves the worker (a user's history, or an edited one for
 * what-if), the CLI and the benchmarks.
 */
import type { HistoryBatch } from '../models/baseline-types';
import type { TrainedRecommender } from '../models/trained';
import { historyTokens } from '../train/batches';
import { attention } from './attention';
import { counterfactual } from './counterfactual';
import { exactContributions } from './exact';
import { faithfulness } from './faithfulness';
import { integratedGradients } from './integratedGradients';
import { lime } from './lime';
import { neighbours } from './neighbours';
import { occlusion } from './occlusion';
import { PerturbationScorer, rankIn } from './perturbation';
import { categoryRollup, windowRollup } from './rollups';
import { gradientAttributions } from './saliency';
import { shap } from './shap';
import type { ExplainSubject } from './subject';
import {
  ATTRIBUTION_METHODS,
  type AttributionMethod,
  type AttributionResult,
  DEFAULT_EXPLAIN_OPTIONS,
  EXPLAIN_METHODS,
  type ExplainMethod,
  type ExplainOptions,
  type ExplainOptionsInput,
  type ExplainProgress,
  type Explanation,
  type MethodOutcome,
} from './types';

/**
 * Most read items a model without a window (itemknn reads every interaction) is explained
 * over: LIME's surrogate costs features³ and SHAP's permutations features² evaluations, so
 * longer histories keep their older items as fixed context (present in every edited history,
 * not attributed) and the result says how many (`heldFixed`).
 */
export const MAX_EXPLAINED_ITEMS = 512;

export interface ExplainRequest {
  model: TrainedRecommender;
  /** The user's whole history (one row), oldest first; an edited one for what-if. */
  history: HistoryBatch;
  /** Dataset item index to explain; null = the user's top-1 recommendation. */
  item: number | null;
  /** Categories per dataset item and their names, for the roll-ups. */
  itemCategories: readonly (readonly number[])[];
  categoryNames: readonly string[];
}

export interface ExplainHooks {
  signal?: AbortSignal;
  onProgress?: (progress: ExplainProgress) => void;
}

/** Thrown for a request that cannot be explained (an unknown item, an empty catalogue). */
export class ExplainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExplainError';
  }
}

/** Options with defaults filled in; out-of-range values refused in one sentence. */
export function resolveExplainOptions(input: ExplainOptionsInput = {}): ExplainOptions {
  const d = DEFAULT_EXPLAIN_OPTIONS;
  const options: ExplainOptions = {
    ...d,
    ...input,
    ig: { ...d.ig, ...input.ig },
    lime: { ...d.lime, ...input.lime },
    shap: { ...d.shap, ...input.shap },
  };
  const problems: string[] = [];
  const int = (name: string, v: number, min: number, max: number) => {
    if (!Number.isInteger(v) || v < min || v > max)
      problems.push(`${name} must be an integer in ${min}..${max}; got ${v}`);
  };
  for (const m of options.methods) {
    if (!(EXPLAIN_METHODS as readonly string[]).includes(m)) {
      problems.push(`unknown method ${m} (known: ${EXPLAIN_METHODS.join(', ')})`);
    }
  }
  int('k', options.k, 1, 1000);
  int('ig.minSteps', options.ig.minSteps, 1, 4096);
  int('ig.maxSteps', options.ig.maxSteps, options.ig.minSteps, 4096);
  int('lime.samples', options.lime.samples, 10, 20_000);
  int('lime.seeds', options.lime.seeds, 1, 10);
  int('shap.exactMaxItems', options.shap.exactMaxItems, 0, 16);
  int('shap.maxEvaluations', options.shap.maxEvaluations, 10, 1_000_000);
  int('maxRemovals', options.maxRemovals, 1, 100);
  int('randomOrders', options.randomOrders, 1, 100);
  if (!Number.isSafeInteger(options.seed))
    problems.push(`seed must be a safe integer; got ${options.seed}`);
  if (!(options.ig.tolerance > 0)) problems.push('ig.tolerance must be positive');
  if (!(options.lime.kernelWidth > 0)) problems.push('lime.kernelWidth must be positive');
  if (!(options.lime.alpha > 0)) problems.push('lime.alpha must be positive');
  if (!(options.shap.relativeStderr > 0)) problems.push('shap.relativeStderr must be positive');
  if (!['auto', 'kernel', 'permutation'].includes(options.shap.estimator)) {
    problems.push('shap.estimator must be auto, kernel or permutation');
  }
  if (!['score', 'margin'].includes(options.target))
    problems.push('target must be score or margin');
  if (!['close-up', 'in-place'].includes(options.removal)) {
    problems.push('removal must be close-up or in-place');
  }
  if (problems.length > 0)
    throw new RangeError(`Invalid explanation options: ${problems.join('; ')}.`);
  return options;
}

/** Explains why `request.model` scores `request.item` as it does for `request.history`. */
export async function explainRecommendation(
  request: ExplainRequest,
  input: ExplainOptionsInput = {},
  hooks: ExplainHooks = {},
): Promise<Explanation> {
  const started = performance.now();
  const resolved = resolveExplainOptions(input);
  // SHAP's sampling estimator: KernelSHAP costs nothing when LIME's samples are scored anyway.
  const options: ExplainOptions =
    resolved.shap.estimator === 'auto'
      ? {
          ...resolved,
          shap: {
            ...resolved.shap,
            estimator: resolved.methods.includes('lime') ? 'kernel' : 'permutation',
          },
        }
      : resolved;
  const { model, history } = request;
  const { signal } = hooks;
  const emit = (p: ExplainProgress) => {
    try {
      hooks.onProgress?.(p);
    } catch {
      // Progress is advisory.
    }
  };
  if (history.offsets.length !== 2) {
    throw new ExplainError(`An explanation takes one history; got ${history.offsets.length - 1}.`);
  }
  const all = history.items.subarray(history.offsets[0], history.offsets[1]);
  const times = history.timestamps.subarray(history.offsets[0], history.offsets[1]);
  const numItems = model.numItems;
  for (const i of all) {
    if (!(i >= 0 && i < numItems))
      throw new ExplainError(`History item index ${i} is outside 0..${numItems - 1}.`);
  }
  signal?.throwIfAborted();

  // Score and rank on the unedited history: the full ranking, seen items excluded.
  const scores = await model.score(Int32Array.of(-1), history);
  const seen = new Uint8Array(numItems);
  for (const i of all) seen[i] = 1;
  const item = request.item ?? bestUnseen(scores, seen);
  if (item === null)
    throw new ExplainError('Every item is in this history: there is nothing to recommend.');
  if (!(Number.isInteger(item) && item >= 0 && item < numItems)) {
    throw new ExplainError(`Item index ${item} is outside 0..${numItems - 1}.`);
  }
  if (scores[item] === Number.NEGATIVE_INFINITY) {
    throw new ExplainError(
      'This model does not know the item (it was mapped from other data): it can never recommend it.',
    );
  }
  const wasSeen = seen[item];
  seen[item] = 0;
  const rank = rankIn(scores, 0, numItems, item, seen);
  const competitor = options.target === 'margin' ? kthOther(scores, seen, item, options.k) : null;
  seen[item] = wasSeen;

  // The items the model reads; older ones are unread (no influence) or, for a model without a
  // window and a very long history, held fixed.
  const readCount = Math.min(all.length, model.readLimit);
  const explained = Math.min(readCount, MAX_EXPLAINED_ITEMS);
  const firstRead = all.length - explained;
  const heldFixed = readCount - explained;
  const read = all.slice(firstRead);
  const unread = all.slice(0, all.length - readCount);
  const context = all.slice(all.length - readCount, firstRead);
  const scorer = new PerturbationScorer({
    model,
    read,
    unread,
    context,
    item,
    competitor,
    removal: options.removal,
    signal,
  });
  const positions = Int32Array.from({ length: explained }, (_, k) => firstRead + k);
  const tokens =
    model.neural !== null
      ? historyTokens(
          {
            offsets: Int32Array.of(0, explained),
            items: read,
            timestamps: new Float64Array(explained),
          },
          model.neural.maxLen,
        )
      : null;
  const subject: ExplainSubject = {
    model,
    read,
    context,
    positions,
    item,
    competitor,
    scorer,
    tokens,
    options,
    signal,
  };
  const full = await scorer.target(scorer.full());
  const empty = await scorer.target(new Uint8Array(explained));
  emit({
    kind: 'started',
    item,
    score: scores[item],
    rank,
    read: readCount,
    unread: unread.length,
  });

  const wanted = new Set<ExplainMethod>(options.methods);
  const attributionMethods = ATTRIBUTION_METHODS.filter((m) => wanted.has(m));
  const outcomes: Partial<Record<AttributionMethod, MethodOutcome>> = {};
  const latency: Explanation['latencyMs'] = { total: 0 };
  let done = 0;
  const record = (outcome: MethodOutcome) => {
    outcomes[outcome.method] = outcome;
    latency[outcome.method] = outcome.ms;
    done++;
    emit({
      kind: 'method',
      method: outcome.method,
      result: outcome,
      done,
      total: attributionMethods.length,
    });
  };
  const noHistory = (method: AttributionMethod): MethodOutcome => ({
    method,
    status: 'unavailable',
    reason: 'There are no history items the model reads: nothing to attribute.',
    ms: 0,
  });
  for (const method of attributionMethods) {
    await scorer.pause();
    signal?.throwIfAborted();
    if (outcomes[method]) continue;
    if (explained === 0) {
      record(noHistory(method));
      continue;
    }
    if (method === 'saliency' || method === 'gradxinput') {
      const both = await gradientAttributions(subject);
      if ('status' in both) {
        for (const m of ['saliency', 'gradxinput'] as const) {
          if (wanted.has(m)) record({ ...both, method: m });
        }
      } else {
        for (const m of ['saliency', 'gradxinput'] as const) if (wanted.has(m)) record(both[m]);
      }
      continue;
    }
    const outcome = await runMethod(method, subject);
    if (model.historyIndependent && outcome.status === 'ok' && !OWN_MEANING.has(method)) {
      outcome.note = `${model.id}'s score does not depend on the history: every attribution is zero.`;
    }
    record(outcome);
  }

  const ok = Object.values(outcomes).filter((o): o is AttributionResult => o?.status === 'ok');
  let cf: Explanation['counterfactual'] = null;
  if (wanted.has('counterfactual')) {
    await scorer.pause();
    signal?.throwIfAborted();
    const order =
      (['shap', 'occlusion', 'exact', 'ig', 'lime', 'gradxinput'] as const)
        .map((m) => ok.find((o) => o.method === m))
        .find((o) => o !== undefined) ?? null;
    cf = await counterfactual(subject, rank, order);
    latency.counterfactual = cf.ms;
    emit({ kind: 'counterfactual', result: cf });
  }
  signal?.throwIfAborted();
  const faithStarted = performance.now();
  const curves =
    options.faithfulness && explained > 0 && !model.historyIndependent
      ? await faithfulness(subject, ok)
      : {};
  latency.faithfulness = performance.now() - faithStarted;
  emit({ kind: 'faithfulness', result: curves });

  const rollupContext = {
    itemCategories: request.itemCategories,
    categoryNames: request.categoryNames,
    timestamps: Array.from(times.subarray(firstRead)),
  };
  const rollups: Explanation['rollups'] = { category: {}, window: {} };
  for (const o of ok) {
    rollups.category[o.method] = categoryRollup(o.attributions, rollupContext);
    rollups.window[o.method] = windowRollup(o.attributions, rollupContext);
  }
  latency.total = performance.now() - started;
  return {
    model: model.id,
    item,
    score: scores[item],
    rank,
    target: {
      kind: options.target,
      competitor,
      k: options.target === 'margin' ? options.k : null,
      value: full,
      empty,
    },
    read: readCount,
    unread: unread.length,
    heldFixed,
    history: Array.from(read, (i, k) => ({
      item: i,
      position: positions[k],
      timestamp: times[firstRead + k],
    })),
    removal: options.removal,
    historyIndependent: model.historyIndependent,
    methods: outcomes,
    faithfulness: curves,
    counterfactual: cf,
    rollups,
    evaluations: scorer.evaluations,
    latencyMs: latency,
  };
}

/** Methods whose values stand for themselves on a history-independent model (no zero note). */
const OWN_MEANING = new Set<AttributionMethod>(['exact', 'neighbours']);

async function runMethod(
  method: AttributionMethod,
  subject: ExplainSubject,
): Promise<MethodOutcome> {
  switch (method) {
    case 'exact':
      return exactContributions(subject);
    case 'attention':
      return attention(subject);
    case 'neighbours':
      return neighbours(subject);
    case 'ig':
      return integratedGradients(subject);
    case 'occlusion':
      return occlusion(subject);
    case 'lime':
      return lime(subject);
    case 'shap':
      return shap(subject);
    case 'saliency':
    case 'gradxinput':
      throw new Error('Gradient methods run together (gradientAttributions).');
  }
}

/** The best-scoring unseen item (lowest index on ties), or null when every item is seen. */
function bestUnseen(scores: Float32Array, seen: Uint8Array): number | null {
  let best: number | null = null;
  for (let j = 0; j < seen.length; j++) {
    if (seen[j] || scores[j] === Number.NEGATIVE_INFINITY) continue;
    if (best === null || scores[j] > scores[best]) best = j;
  }
  return best;
}

/**
 * The K-th best unseen item other than `item`: the item ranked K+1 when `item` is in the top K,
 * the one it must overtake to enter it otherwise (the margin's fixed competitor).
 */
function kthOther(scores: Float32Array, seen: Uint8Array, item: number, k: number): number {
  const others: number[] = [];
  for (let j = 0; j < seen.length; j++) {
    // An item the model cannot score (mapped from other data) is no competitor.
    if (j !== item && !seen[j] && scores[j] !== Number.NEGATIVE_INFINITY) others.push(j);
  }
  if (others.length < k)
    throw new ExplainError(
      `There are fewer than ${k} other unseen items: no rank ${k + 1} to compare with.`,
    );
  others.sort((a, b) => scores[b] - scores[a] || a - b);
  return others[k - 1];
}
