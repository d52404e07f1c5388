/**
 * Do two models explain alike? For a seeded sample of the cohort's test users, each model
 * explains the same (history, item) pair: the user's history before the held-out test item and
 * that item (the one neutral item every model is judged on). Per model pair and method, the
 * Spearman correlation of the two attributions over the history positions both models read;
 * per model and method, how faithful the attribution order is (normalised deletion AUC next to
 * a random order's). Runs the explanation engine, so it reports progress and honours a cancel
 * between explanations. The engine is passed in (the worker's injected one, the CLI's own), so
 * this module loads no TF.js.
 */
import type { ExplainHooks, ExplainRequest } from '../explain/engine';
import { spearman } from '../explain/stats';
import type {
  AttributionMethod,
  ExplainOptionsInput,
  Explanation,
  FaithfulnessCurves,
} from '../explain/types';
import type { TrainedRecommender } from '../models/trained';
import { SeededRandom } from '../random';
import { historyBatch } from '../train/evaluate';
import type { LeaveLastOutSplit } from '../train/split';
import type { ComparisonReport } from './compare';

/** Users explained by default (each by every model). */
export const DEFAULT_AGREEMENT_USERS = 50;
export const MAX_AGREEMENT_USERS = 1000;
/**
 * Methods compared: occlusion (every model offers it, and it is the headline agreement),
 * integrated gradients, attention and the glass boxes' exact contributions where a model has
 * them. LIME and SHAP are left out by default: they cost hundreds of evaluations each.
 */
export const AGREEMENT_METHODS: readonly AttributionMethod[] = [
  'occlusion',
  'ig',
  'attention',
  'exact',
];
/** Fewest shared positions for a correlation to mean anything. */
const MIN_SHARED_POSITIONS = 3;

export interface AgreementModel {
  key: string;
  model: TrainedRecommender;
}

/** The engine's entry point (src/core/explain's `explainRecommendation`), injected. */
export type ExplainFunction = (
  request: ExplainRequest,
  options: ExplainOptionsInput,
  hooks: ExplainHooks,
) => Promise<Explanation>;

export interface AgreementOptions {
  explain: ExplainFunction;
  /** Users to sample from `rows` (default 50; all of them when fewer). */
  users?: number;
  seed?: number;
  methods?: readonly AttributionMethod[];
  itemCategories: readonly (readonly number[])[];
  categoryNames: readonly string[];
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface MethodAgreement {
  a: string;
  b: string;
  method: AttributionMethod;
  /** Mean Spearman correlation over the users where both models offered the method; null if none. */
  rho: number | null;
  /** Users it is averaged over. */
  users: number;
}

export interface ModelFaithfulness {
  model: string;
  method: AttributionMethod;
  /**
   * Deletion AUC with the curve scaled so the full history is 1 and the empty one 0 (lower =
   * the order finds what matters sooner), mean over users; null if none.
   */
  deletionAuc: number | null;
  /** The same for random orders (the baseline a useful order must beat). */
  randomDeletionAuc: number | null;
  users: number;
}

/** One explained user: each model's attributions per method, by history position. */
export interface AgreementSample {
  user: number;
  item: number;
  /** Per model key: the item's rank, and each method's [position, item, value] triples. */
  models: Record<
    string,
    { rank: number; methods: Partial<Record<AttributionMethod, [number, number, number][]>> }
  >;
}

export interface AgreementReport {
  users: number;
  seed: number;
  methods: AttributionMethod[];
  pairs: MethodAgreement[];
  faithfulness: ModelFaithfulness[];
  samples: AgreementSample[];
  ms: number;
}

/** `count` rows drawn without replacement from `rows` (seeded), in ascending order. */
export function sampleRows(rows: Int32Array, count: number, seed: number): Int32Array {
  if (count >= rows.length) return rows.slice();
  const pool = rows.slice();
  const rng = new SeededRandom(seed, 'compare-agreement');
  for (let i = 0; i < count; i++) {
    const j = rng.int(i, pool.length - 1);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.subarray(0, count).sort();
}

function normalisedDeletion(curves: FaithfulnessCurves | undefined, full: number, empty: number) {
  if (!curves) return null;
  // Only where the history raises the target: otherwise "removing what matters most first"
  // has no direction to be judged by (and the scaled curve would flip).
  const span = full - empty;
  if (!(span > 1e-9 * Math.max(1, Math.abs(full)))) return null;
  return (curves.deletionAuc - empty) / span;
}

function varies(values: readonly number[]): boolean {
  for (const v of values) if (v !== values[0]) return true;
  return false;
}

function attributionsOf(e: Explanation, method: AttributionMethod): Map<number, number> | null {
  const outcome = e.methods[method];
  if (outcome?.status !== 'ok') return null;
  return new Map(outcome.attributions.map((a) => [a.position, a.value]));
}

/** Runs the explanations and aggregates their agreement (see the module comment). */
export async function explanationAgreement(
  models: readonly AgreementModel[],
  split: LeaveLastOutSplit,
  rows: Int32Array,
  options: AgreementOptions,
): Promise<AgreementReport> {
  const started = performance.now();
  const want = options.users ?? DEFAULT_AGREEMENT_USERS;
  if (!Number.isInteger(want) || want < 1 || want > MAX_AGREEMENT_USERS) {
    throw new RangeError(
      `The explanation sample must be 1..${MAX_AGREEMENT_USERS} users; got ${want}.`,
    );
  }
  const seed = options.seed ?? 7;
  const methods = [...(options.methods ?? AGREEMENT_METHODS)];
  const picked = sampleRows(rows, want, seed);
  const total = picked.length * models.length;
  let done = 0;
  options.onProgress?.(0, total);

  const rhoSums = new Map<string, { sum: number; n: number }>();
  const faith = new Map<string, { sum: number; n: number; rsum: number; rn: number }>();
  const samples: AgreementSample[] = [];
  const pairKey = (a: string, b: string, m: string) => `${a}\u0000${b}\u0000${m}`;

  for (const row of picked) {
    const history = historyBatch(split, split.test, row, row + 1);
    const item = split.test.items[row];
    const explained: Explanation[] = [];
    const sample: AgreementSample = { user: split.test.users[row], item, models: {} };
    for (const { key, model } of models) {
      options.signal?.throwIfAborted();
      const e = await options.explain(
        {
          // A per-user model (an ids-in import) is explained as seen for this test user.
          model: model.forUser?.(split.test.users[row]) ?? model,
          history,
          item,
          itemCategories: options.itemCategories,
          categoryNames: options.categoryNames,
        },
        { methods, faithfulness: true, seed },
        { signal: options.signal },
      );
      explained.push(e);
      const perMethod: AgreementSample['models'][string]['methods'] = {};
      for (const m of methods) {
        const outcome = e.methods[m];
        if (outcome?.status === 'ok') {
          perMethod[m] = outcome.attributions.map((a) => [a.position, a.item, a.value]);
        }
        const f = faith.get(`${key}\u0000${m}`) ?? { sum: 0, n: 0, rsum: 0, rn: 0 };
        const auc = normalisedDeletion(e.faithfulness[m], e.target.value, e.target.empty);
        if (auc !== null) {
          f.sum += auc;
          f.n++;
          const random = normalisedDeletion(e.faithfulness.random, e.target.value, e.target.empty);
          if (random !== null) {
            f.rsum += random;
            f.rn++;
          }
        }
        faith.set(`${key}\u0000${m}`, f);
      }
      sample.models[key] = { rank: e.rank, methods: perMethod };
      done++;
      options.onProgress?.(done, total);
    }
    samples.push(sample);
    for (let i = 0; i < models.length; i++) {
      for (let j = i + 1; j < models.length; j++) {
        for (const m of methods) {
          const x = attributionsOf(explained[i], m);
          const y = attributionsOf(explained[j], m);
          const entry = rhoSums.get(pairKey(models[i].key, models[j].key, m)) ?? { sum: 0, n: 0 };
          if (x && y) {
            const xs: number[] = [];
            const ys: number[] = [];
            for (const [position, value] of x) {
              const other = y.get(position);
              if (other !== undefined) {
                xs.push(value);
                ys.push(other);
              }
            }
            // A constant side (pop's zeros) has no order to agree on: not counted.
            if (xs.length >= MIN_SHARED_POSITIONS && varies(xs) && varies(ys)) {
              entry.sum += spearman(xs, ys);
              entry.n++;
            }
          }
          rhoSums.set(pairKey(models[i].key, models[j].key, m), entry);
        }
      }
    }
  }

  const pairs: MethodAgreement[] = [];
  for (let i = 0; i < models.length; i++) {
    for (let j = i + 1; j < models.length; j++) {
      for (const m of methods) {
        const s = rhoSums.get(pairKey(models[i].key, models[j].key, m)) ?? { sum: 0, n: 0 };
        pairs.push({
          a: models[i].key,
          b: models[j].key,
          method: m,
          rho: s.n > 0 ? s.sum / s.n : null,
          users: s.n,
        });
      }
    }
  }
  const faithfulness: ModelFaithfulness[] = [];
  for (const { key } of models) {
    for (const m of methods) {
      const f = faith.get(`${key}\u0000${m}`) ?? { sum: 0, n: 0, rsum: 0, rn: 0 };
      faithfulness.push({
        model: key,
        method: m,
        deletionAuc: f.n > 0 ? f.sum / f.n : null,
        randomDeletionAuc: f.rn > 0 ? f.rsum / f.rn : null,
        users: f.n,
      });
    }
  }
  return {
    users: picked.length,
    seed,
    methods,
    pairs,
    faithfulness,
    samples,
    ms: performance.now() - started,
  };
}

/**
 * `comparison` with each pair's attribution agreement filled in from `agreement` (occlusion's
 * mean rank correlation: the method every model offers); pairs it did not cover stay null.
 */
export function withAgreement(
  comparison: ComparisonReport,
  agreement: Pick<AgreementReport, 'pairs'>,
): ComparisonReport {
  const rho = (a: string, b: string) =>
    agreement.pairs.find(
      (p) => p.method === 'occlusion' && ((p.a === a && p.b === b) || (p.a === b && p.b === a)),
    )?.rho ?? null;
  return {
    ...comparison,
    pairwise: comparison.pairwise.map((p) => ({ ...p, attributionAgreement: rho(p.a, p.b) })),
  };
}
