/**
 * "Why this item?" in the worker: explains a live model's score for a user's whole history or
 * for an edited one (what-if), streaming each part to the page in the dataset's ids as the
 * engine (src/core/explain, injected as `deps.explain` so this module loads no TF.js) finishes
 * it. One explanation runs at a time: a new call or `cancelExplanation` aborts the running one,
 * which stops between two steps and rejects with `cancelled`; the model it explains stays
 * alive (leased) until it has stopped.
 */
import type { ExplainRequest } from '../core/explain/engine';
import {
  type ExplanationReport,
  explanationReport,
  type ItemCatalogue,
  reportCounterfactual,
  reportMethod,
} from '../core/explain/report';
import type { ExplainOptionsInput, ExplainProgress } from '../core/explain/types';
import type { HistoryBatch } from '../core/models/baseline-types';
import { userHistory } from '../core/train/split';
import type { ExplainCallOptions, ExplainEvent, LensWorkerApi, WhatIfHistory } from './api';
import type { DataContext } from './dataContext';
import { LensError } from './errors';
import type { LiveModel, LiveModels } from './liveModels';
import type { ModelServiceDeps } from './modelServiceDeps';
import { sendSafely } from './progress';

export type ExplainMethods = Pick<
  LensWorkerApi,
  'explain' | 'explainHistory' | 'cancelExplanation'
>;

/** The options the page may set (see {@link ExplainCallOptions}). */
const OPTION_KEYS = [
  'methods',
  'target',
  'k',
  'removal',
  'lime',
  'seed',
  'ig',
  'faithfulness',
] as const;
const LIME_KEYS = ['samples'] as const;
const IG_KEYS = ['minSteps', 'maxSteps'] as const;

/** Longest what-if history accepted (the engine holds older read items fixed anyway). */
const MAX_WHATIF_ITEMS = 100_000;

/** The largest time a JavaScript Date holds (±8.64e15 ms, about ±275,000 years). */
const MAX_TIME_MS = 8.64e15;

/** Unknown ids named in a refusal before "and N more". */
const NAMED_UNKNOWN = 5;

export function createExplainMethods(deps: ModelServiceDeps, models: LiveModels): ExplainMethods {
  let running: { controller: AbortController; done: Promise<unknown> } | null = null;

  /**
   * Runs one explanation: aborts the running one and waits until it has stopped (so two never
   * compete for the backend), then explains unless it was itself cancelled meanwhile. Only the
   * newest call can resolve; an aborted one rejects with the reason it was aborted for.
   */
  async function exclusive(
    work: (signal: AbortSignal) => Promise<ExplanationReport>,
  ): Promise<ExplanationReport> {
    const previous = running;
    previous?.controller.abort(
      new LensError('cancelled', 'A newer explanation replaced this one.'),
    );
    const controller = new AbortController();
    const { signal } = controller;
    const task = (async () => {
      if (previous) await previous.done.catch(() => undefined);
      signal.throwIfAborted();
      const report = await work(signal);
      signal.throwIfAborted();
      return report;
    })();
    const mine = { controller, done: task };
    running = mine;
    try {
      return await task;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw error;
    } finally {
      if (running === mine) running = null;
    }
  }

  /** Explains `history` with the live model `key`; `user` names it in the report (or null). */
  async function run(
    key: string,
    entry: LiveModel,
    ctx: DataContext,
    history: HistoryBatch,
    item: number | null,
    input: ExplainOptionsInput,
    user: string | null,
    onProgress: ((event: ExplainEvent) => unknown) | null | undefined,
    signal: AbortSignal,
  ): Promise<ExplanationReport> {
    const controller = new AbortController();
    const stop = () => {
      if (!controller.signal.aborted) controller.abort(signal.reason);
    };
    signal.addEventListener('abort', stop);
    if (signal.aborted) stop();
    const release = models.lease(entry, () => {
      if (controller.signal.aborted) return;
      controller.abort(
        models.isCurrent(ctx)
          ? new LensError(
              'cancelled',
              `The model ${key} was replaced while it was being explained: explain it again.`,
            )
          : datasetChanged(),
      );
    });
    const catalogue: ItemCatalogue = ctx.dataset;
    // A model scored per user (ids-in imports) is explained as seen for this user.
    const bound =
      user !== null && entry.model.forUser
        ? entry.model.forUser(ctx.userIndex.get(user) ?? -1)
        : entry.model;
    const request: ExplainRequest = {
      model: bound,
      history,
      item,
      itemCategories: ctx.dataset.itemCategories,
      categoryNames: ctx.dataset.categoryNames,
    };
    const forward = (progress: ExplainProgress) => {
      if (controller.signal.aborted || !onProgress) return;
      sendSafely(onProgress, pageEvent(progress, catalogue));
    };
    try {
      const explanation = await deps.explain(request, input, {
        signal: controller.signal,
        onProgress: forward,
      });
      controller.signal.throwIfAborted();
      // A new file drops the live models lazily (on the next model call): check it here too.
      if (!models.isCurrent(ctx)) throw datasetChanged();
      return explanationReport(explanation, catalogue, user, key);
    } catch (error) {
      if (controller.signal.aborted) throw controller.signal.reason;
      throw error;
    } finally {
      signal.removeEventListener('abort', stop);
      release();
    }
  }

  return {
    explain: (key, userId, itemId, options, onProgress) =>
      exclusive(async (signal) => {
        const input = explainInput(deps, options);
        const ctx = models.data();
        const entry = models.get(key);
        const user = ctx.userIndex.get(userId);
        if (user === undefined) {
          throw new LensError('unknown-user', `There is no user ${userId} in the loaded dataset.`);
        }
        const item = itemIndexOf(ctx, itemId);
        const history = userHistory(ctx.base, user);
        return run(key, entry, ctx, history, item, input, userId, onProgress, signal);
      }),

    explainHistory: (key, history, itemId, options, onProgress) =>
      exclusive(async (signal) => {
        const input = explainInput(deps, options);
        const ctx = models.data();
        const entry = models.get(key);
        const batch = whatIfBatch(ctx, history);
        const item = itemIndexOf(ctx, itemId);
        return run(key, entry, ctx, batch, item, input, null, onProgress, signal);
      }),

    cancelExplanation() {
      running?.controller.abort(new LensError('cancelled', 'The explanation was cancelled.'));
    },
  };
}

const datasetChanged = () =>
  new LensError('no-dataset', 'The dataset changed during the explanation: explain again.');

/** The dataset index of `itemId` (null stays null: the top-1 recommendation). */
function itemIndexOf(ctx: DataContext, itemId: string | null): number | null {
  if (itemId === null || itemId === undefined) return null;
  const item = ctx.itemIndex.get(itemId);
  if (item === undefined) {
    throw new LensError('unknown-item', `There is no item ${itemId} in the loaded dataset.`);
  }
  return item;
}

/** A what-if history as the engine's one-row batch; unknown ids and bad times refused. */
export function whatIfBatch(ctx: DataContext, history: WhatIfHistory): HistoryBatch {
  const items: unknown = history?.items;
  if (!Array.isArray(items) || items.some((id) => typeof id !== 'string')) {
    throw new LensError('invalid-options', 'A what-if history is a list of item ids (strings).');
  }
  if (items.length > MAX_WHATIF_ITEMS) {
    throw new LensError(
      'invalid-options',
      `A what-if history may have at most ${MAX_WHATIF_ITEMS.toLocaleString('en')} items; got ${items.length.toLocaleString('en')}.`,
    );
  }
  const times: unknown = history.times;
  if (times !== undefined && times !== null) {
    const valid =
      Array.isArray(times) &&
      times.length === items.length &&
      times.every((t) => t === null || (typeof t === 'number' && Math.abs(t) <= MAX_TIME_MS));
    if (!valid) {
      throw new LensError(
        'invalid-options',
        `The what-if history's times must be one epoch-millisecond number within ±8.64e15 (or null) per item (${items.length}).`,
      );
    }
  }
  const indices = new Int32Array(items.length);
  // A Set, and names only for the first few: a 100,000-id history of unknown ids stays linear.
  const unknown = new Set<string>();
  items.forEach((id: string, k) => {
    const item = ctx.itemIndex.get(id);
    if (item === undefined) unknown.add(id);
    else indices[k] = item;
  });
  if (unknown.size > 0) {
    const named = [...unknown].slice(0, NAMED_UNKNOWN).join(', ');
    const more = unknown.size > NAMED_UNKNOWN ? ` and ${unknown.size - NAMED_UNKNOWN} more` : '';
    throw new LensError(
      'unknown-item',
      `The what-if history names ${unknown.size === 1 ? 'an item' : 'items'} not in the loaded dataset: ${named}${more}.`,
    );
  }
  const timeList = times as (number | null)[] | undefined | null;
  return {
    offsets: Int32Array.of(0, items.length),
    items: indices,
    timestamps: Float64Array.from(items, (_, k) => timeList?.[k] ?? Number.NaN),
  };
}

/**
 * The engine's options from the page's: only the keys the page may set (an unknown one is
 * refused, so a typo does not silently fall back to a default), checked by the engine's own
 * validation before anything runs.
 */
export function explainInput(
  deps: Pick<ModelServiceDeps, 'resolveExplainOptions'>,
  options: ExplainCallOptions | null | undefined,
): ExplainOptionsInput {
  const invalid = (why: string) =>
    new LensError('invalid-options', `Invalid explanation options: ${why}.`);
  if (options === null || options === undefined) return {};
  if (typeof options !== 'object' || Array.isArray(options)) throw invalid('not an object');
  const unknownKeys = Object.keys(options).filter(
    (name) => !(OPTION_KEYS as readonly string[]).includes(name),
  );
  if (unknownKeys.length > 0) {
    throw invalid(`unknown option ${unknownKeys.join(', ')} (known: ${OPTION_KEYS.join(', ')})`);
  }
  const input: ExplainOptionsInput = {};
  if (options.methods !== undefined) {
    if (!Array.isArray(options.methods)) throw invalid('methods must be a list of method names');
    input.methods = [...options.methods];
  }
  if (options.target !== undefined) input.target = options.target;
  if (options.k !== undefined) input.k = options.k;
  if (options.removal !== undefined) input.removal = options.removal;
  if (options.seed !== undefined) {
    if (!Number.isSafeInteger(options.seed)) {
      throw invalid(`seed must be a safe integer; got ${String(options.seed)}`);
    }
    input.seed = options.seed;
  }
  if (options.lime !== undefined) {
    const lime = options.lime;
    if (lime === null || typeof lime !== 'object') throw invalid('lime must be an object');
    const unknownLime = Object.keys(lime).filter(
      (name) => !(LIME_KEYS as readonly string[]).includes(name),
    );
    if (unknownLime.length > 0) {
      throw invalid(`unknown option lime.${unknownLime.join(', lime.')} (known: lime.samples)`);
    }
    if (lime.samples !== undefined) input.lime = { samples: lime.samples };
  }
  if (options.ig !== undefined) {
    const ig = options.ig;
    if (ig === null || typeof ig !== 'object') throw invalid('ig must be an object');
    const unknownIg = Object.keys(ig).filter(
      (name) => !(IG_KEYS as readonly string[]).includes(name),
    );
    if (unknownIg.length > 0) {
      throw invalid(
        `unknown option ig.${unknownIg.join(', ig.')} (known: ig.minSteps, ig.maxSteps)`,
      );
    }
    input.ig = {
      ...(ig.minSteps !== undefined ? { minSteps: ig.minSteps } : {}),
      ...(ig.maxSteps !== undefined ? { maxSteps: ig.maxSteps } : {}),
    };
  }
  if (options.faithfulness !== undefined) input.faithfulness = options.faithfulness;
  try {
    deps.resolveExplainOptions(input);
  } catch (error) {
    if (error instanceof LensError) throw error;
    throw new LensError('invalid-options', (error as Error).message);
  }
  return input;
}

/**
 * A progress event in the page's terms: the engine's parts converted by the same functions as
 * the final report, so a streamed method and the same method in the report are one shape.
 */
function pageEvent(progress: ExplainProgress, catalogue: ItemCatalogue): ExplainEvent {
  switch (progress.kind) {
    case 'started':
      return {
        kind: 'started',
        item: catalogue.itemIds[progress.item],
        score: progress.score,
        rank: progress.rank,
        read: progress.read,
        unread: progress.unread,
      };
    case 'method':
      return {
        kind: 'method',
        method: progress.method,
        result: reportMethod(progress.result, catalogue),
        done: progress.done,
        total: progress.total,
      };
    case 'counterfactual':
      return { kind: 'counterfactual', result: reportCounterfactual(progress.result, catalogue) };
    case 'faithfulness':
      return { kind: 'faithfulness', result: progress.result };
  }
}
