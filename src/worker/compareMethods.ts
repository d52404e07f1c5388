/**
 * The compare view in the worker: profiles each chosen live model once (test ranks and top-10
 * lists from one scoring pass, cached per model object, so switching cohorts is instant),
 * compares them (src/core/compare) and, on request, runs the explanation agreement over a
 * seeded sample of users. Everything reaches the page in the dataset's ids. One comparison and
 * one agreement run at a time; a new call or `cancelComparison` aborts the running one, and
 * the models it uses stay alive (leased) until it has stopped.
 */
import {
  type AgreementReport,
  DEFAULT_AGREEMENT_USERS,
  explanationAgreement,
} from '../core/compare/agreement';
import { type Cohort, isCohort, selectCohort } from '../core/compare/cohorts';
import {
  compareProfiles,
  MAX_COMPARED_MODELS,
  MIN_COMPARED_MODELS,
  perUserNdcg,
} from '../core/compare/compare';
import {
  COMPARE_TOP_K,
  type ModelProfile,
  profileModel,
  weightBytes,
} from '../core/compare/profile';
import { SeededRandom } from '../core/random';
import type {
  CompareAgreement,
  CompareCallOptions,
  CompareLists,
  CompareProgress,
  LensWorkerApi,
  PageComparison,
} from './api';
import type { DataContext } from './dataContext';
import { LensError } from './errors';
import type { LiveModel, LiveModels } from './liveModels';
import type { ModelServiceDeps } from './modelServiceDeps';
import { sendSafely, throttleProgress } from './progress';

export type CompareMethods = Pick<
  LensWorkerApi,
  'compareModels' | 'compareLists' | 'compareExplanations' | 'cancelComparison'
>;

/** Most per-user points sent for the scatter (a seeded sample above it, said in `total`). */
export const MAX_SCATTER_USERS = 5000;

const profiles = new WeakMap<object, ModelProfile>();

const KINDS = ['compare', 'lists', 'agreement', 'userAgreement'] as const;
type Kind = (typeof KINDS)[number];

export function createCompareMethods(deps: ModelServiceDeps, models: LiveModels): CompareMethods {
  /** One call of each kind at a time; a newer call of the same kind aborts the older. */
  const running: Record<Kind, AbortController | null> = {
    compare: null,
    lists: null,
    agreement: null,
    userAgreement: null,
  };

  /** The live models of `keys` (2 to 4, distinct), or a clear refusal. */
  function chosen(keys: unknown): LiveModel[] {
    if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) {
      throw new LensError('invalid-options', 'Name the models to compare by their keys.');
    }
    if (new Set(keys).size !== keys.length) {
      throw new LensError('invalid-options', 'A model is listed twice.');
    }
    if (keys.length < MIN_COMPARED_MODELS || keys.length > MAX_COMPARED_MODELS) {
      throw new LensError(
        'invalid-options',
        `Choose ${MIN_COMPARED_MODELS} to ${MAX_COMPARED_MODELS} models to compare; got ${keys.length}.`,
      );
    }
    return keys.map((k) => models.get(k));
  }

  function cohortOf(value: unknown): Cohort {
    const cohort = value ?? 'all';
    if (typeof cohort !== 'string' || !isCohort(cohort)) {
      throw new LensError('invalid-options', `There is no cohort ${String(cohort)}.`);
    }
    return cohort;
  }

  /** Runs `work` with the models leased and a fresh controller of `kind` (aborting the old). */
  async function exclusive<T>(
    kind: Kind,
    entries: LiveModel[],
    ctx: DataContext,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    running[kind]?.abort(new LensError('cancelled', 'A newer comparison replaced this one.'));
    const controller = new AbortController();
    running[kind] = controller;
    const releases = entries.map((entry) =>
      models.lease(entry, () => {
        if (controller.signal.aborted) return;
        controller.abort(
          new LensError(
            'cancelled',
            `The model ${entry.card.key} was replaced or its dataset changed: compare again.`,
          ),
        );
      }),
    );
    try {
      const result = await work(controller.signal);
      controller.signal.throwIfAborted();
      if (!models.isCurrent(ctx)) {
        throw new LensError(
          'no-dataset',
          'The dataset changed during the comparison: compare again.',
        );
      }
      return result;
    } catch (error) {
      if (controller.signal.aborted) throw controller.signal.reason;
      throw error;
    } finally {
      for (const release of releases) release();
      if (running[kind] === controller) running[kind] = null;
    }
  }

  async function profileOf(
    entry: LiveModel,
    ctx: DataContext,
    signal: AbortSignal,
    onUsers: (done: number, total: number) => void,
  ): Promise<ModelProfile> {
    const known = profiles.get(entry.model);
    if (known && known.key === entry.card.key) return known;
    const source = entry.card.source;
    const profile = await profileModel(entry.model, ctx.split, {
      key: entry.card.key,
      trainSeconds: entry.card.record.trainSeconds,
      sizeBytes: source.kind === 'int8' ? source.int8Bytes : weightBytes(entry.model),
      signal,
      onProgress: onUsers,
    });
    profiles.set(entry.model, profile);
    return profile;
  }

  async function profilesOf(
    entries: LiveModel[],
    ctx: DataContext,
    signal: AbortSignal,
    onProgress: ((p: CompareProgress) => unknown) | null | undefined,
  ): Promise<ModelProfile[]> {
    const progress = throttleProgress<CompareProgress>(onProgress);
    const out: ModelProfile[] = [];
    for (let m = 0; m < entries.length; m++) {
      const entry = entries[m];
      out.push(
        await profileOf(entry, ctx, signal, (usersDone, usersTotal) =>
          progress.update({
            model: entry.card.key,
            modelsDone: m,
            modelsTotal: entries.length,
            usersDone,
            usersTotal,
          }),
        ),
      );
    }
    progress.flush();
    return out;
  }

  return {
    async compareModels(keys, options: CompareCallOptions = {}, onProgress) {
      const ctx = models.data();
      const entries = chosen(keys);
      const cohort = cohortOf(options?.cohort);
      const resamples = options?.resamples ?? 1000;
      if (!Number.isInteger(resamples) || resamples < 100 || resamples > 100_000) {
        throw new LensError('invalid-options', `Resamples must be 100..100000; got ${resamples}.`);
      }
      const seed = options?.seed ?? 42;
      if (!Number.isSafeInteger(seed)) {
        throw new LensError('invalid-options', `The seed must be a safe integer; got ${seed}.`);
      }
      return exclusive('compare', entries, ctx, async (signal): Promise<PageComparison> => {
        const list = await profilesOf(entries, ctx, signal, onProgress);
        const { report, selection } = compareProfiles(list, ctx.split, {
          cohort,
          resamples,
          seed,
          itemCategories: ctx.dataset.itemCategories,
        });
        const perUser = perUserNdcg(list, selection);
        const total = perUser.users.length;
        let keep = Int32Array.from({ length: total }, (_, i) => i);
        if (total > MAX_SCATTER_USERS) {
          const rng = new SeededRandom(seed, 'compare-scatter');
          for (let i = 0; i < MAX_SCATTER_USERS; i++) {
            const j = rng.int(i, total - 1);
            const t = keep[i];
            keep[i] = keep[j];
            keep[j] = t;
          }
          keep = keep.subarray(0, MAX_SCATTER_USERS).sort();
        }
        const ndcg10: Record<string, number[]> = {};
        for (const p of list) ndcg10[p.key] = Array.from(keep, (i) => perUser.ndcg10[p.key][i]);
        return {
          report,
          perUser: {
            userIds: Array.from(keep, (i) => ctx.base.userIds[perUser.users[i]]),
            ndcg10,
            total,
          },
        };
      });
    },

    async compareLists(keys, userId) {
      const ctx = models.data();
      const entries = chosen(keys);
      const user = ctx.userIndex.get(String(userId));
      if (user === undefined) {
        throw new LensError('unknown-user', `There is no user ${userId} in the loaded dataset.`);
      }
      return exclusive('lists', entries, ctx, async (signal): Promise<CompareLists> => {
        const list = await profilesOf(entries, ctx, signal, null);
        const row = findRow(ctx.split.test.users, user);
        if (row < 0) {
          throw new LensError(
            'unknown-user',
            `User ${userId} has too few interactions to be evaluated, so no model was tested on them.`,
          );
        }
        const { itemIds, itemTitle } = ctx.dataset;
        const target = ctx.split.test.items[row];
        const lists: CompareLists['lists'] = {};
        for (const p of list) {
          const items = Array.from(p.top.subarray(row * COMPARE_TOP_K, (row + 1) * COMPARE_TOP_K));
          lists[p.key] = items
            .filter((i) => i >= 0)
            .map((i) => ({ itemId: itemIds[i], title: itemTitle[i] ?? null, hit: i === target }));
        }
        return {
          userId: String(userId),
          testItem: { itemId: itemIds[target], title: itemTitle[target] ?? null },
          ranks: Object.fromEntries(list.map((p) => [p.key, finiteOrNull(p.ranks[row])])),
          lists,
        };
      });
    },

    async compareExplanations(keys, options = {}, onProgress) {
      const ctx = models.data();
      const entries = chosen(keys);
      const cohort = cohortOf(options?.cohort);
      const users = options?.users ?? DEFAULT_AGREEMENT_USERS;
      const seed = options?.seed ?? 7;
      if (!Number.isSafeInteger(seed)) {
        throw new LensError('invalid-options', `The seed must be a safe integer; got ${seed}.`);
      }
      const userIndex = options?.userId == null ? null : ctx.userIndex.get(String(options.userId));
      if (options?.userId != null && userIndex === undefined) {
        throw new LensError(
          'unknown-user',
          `There is no user ${options.userId} in the loaded dataset.`,
        );
      }
      const kind: Kind = userIndex != null ? 'userAgreement' : 'agreement';
      return exclusive(kind, entries, ctx, async (signal): Promise<CompareAgreement> => {
        let rows: Int32Array;
        if (userIndex != null) {
          const row = findRow(ctx.split.test.users, userIndex);
          if (row < 0) {
            throw new LensError(
              'unknown-user',
              `User ${options.userId} has too few interactions to be evaluated.`,
            );
          }
          rows = Int32Array.of(row);
        } else {
          rows = selectCohort(ctx.split, cohort).rows;
        }
        if (rows.length === 0) {
          throw new LensError('invalid-options', `The ${cohort} cohort has no users.`);
        }
        let report: AgreementReport;
        try {
          report = await explanationAgreement(
            entries.map((e) => ({ key: e.card.key, model: e.model })),
            ctx.split,
            rows,
            {
              explain: deps.explain,
              users: Math.min(users, rows.length),
              seed,
              itemCategories: ctx.dataset.itemCategories,
              categoryNames: ctx.dataset.categoryNames,
              signal,
              onProgress: (done, total) => {
                if (onProgress) sendSafely(onProgress, { done, total });
              },
            },
          );
        } catch (error) {
          if (error instanceof RangeError) throw new LensError('invalid-options', error.message);
          throw error;
        }
        const { itemIds, userIds } = { itemIds: ctx.dataset.itemIds, userIds: ctx.base.userIds };
        return {
          cohort,
          users: report.users,
          seed: report.seed,
          methods: report.methods,
          pairs: report.pairs,
          faithfulness: report.faithfulness,
          ms: report.ms,
          samples: report.samples.map((s) => ({
            userId: userIds[s.user],
            itemId: itemIds[s.item],
            models: Object.fromEntries(
              Object.entries(s.models).map(([key, m]) => [
                key,
                {
                  rank: m.rank,
                  methods: Object.fromEntries(
                    Object.entries(m.methods).map(([method, triples]) => [
                      method,
                      (triples ?? []).map(([position, item, value]) => ({
                        position,
                        itemId: itemIds[item],
                        title: ctx.dataset.itemTitle[item] ?? null,
                        value,
                      })),
                    ]),
                  ),
                },
              ]),
            ),
          })),
        };
      });
    },

    cancelComparison() {
      for (const kind of KINDS) {
        running[kind]?.abort(new LensError('cancelled', 'The comparison was cancelled.'));
      }
    },
  };
}

/** The test row of `user` (test users are ascending), or -1 when the user is not evaluated. */
function findRow(users: Int32Array, user: number): number {
  let lo = 0;
  let hi = users.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (users[mid] === user) return mid;
    if (users[mid] < user) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);
