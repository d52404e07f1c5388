/**
 * An {@link Explanation} in the dataset's own words: item indices become the original ids (with
 * titles and category names beside them), so the CLI's `--json`, the worker's answer to the
 * page and the page's JSON export are one format. Plain JSON: no typed arrays, no NaN (a
 * missing timestamp is null).
 */
import type {
  AttentionResult,
  AttributionMethod,
  AttributionResult,
  CounterfactualResult,
  ExactResult,
  Explanation,
  FaithfulnessCurves,
  GradientResult,
  IgResult,
  LimeResult,
  MethodOutcome,
  OcclusionResult,
  RollupEntry,
  ShapResult,
  UnavailableMethod,
} from './types';

/** What the report needs of a dataset: ids, titles and categories per item. */
export interface ItemCatalogue {
  itemIds: readonly string[];
  itemTitle: readonly (string | null)[];
  itemCategories: readonly (readonly number[])[];
  categoryNames: readonly string[];
}

export interface ReportAttribution {
  item: string;
  position: number;
  value: number;
}

export interface ReportHistoryItem {
  item: string;
  title: string | null;
  categories: string[];
  position: number;
  /** ISO 8601 (UTC); null when the data has no timestamps. */
  time: string | null;
}

/** One method's result with ids instead of item indices; every diagnostic typed as in the engine. */
export type ReportResult<T extends AttributionResult> = Omit<T, 'attributions' | 'rollout'> & {
  attributions: ReportAttribution[];
  rollout?: ReportAttribution[];
};

/** A method's result: its attributions and diagnostics, or why it is unavailable. */
export type ReportMethod =
  | ReportResult<ExactResult>
  | ReportResult<AttentionResult>
  | ReportResult<GradientResult>
  | ReportResult<IgResult>
  | ReportResult<OcclusionResult>
  | ReportResult<LimeResult>
  | ReportResult<ShapResult>
  | UnavailableMethod;

export interface ReportCounterfactual {
  status: CounterfactualResult['status'];
  removed: string[];
  removedPositions: number[];
  newRank: number | null;
  k: number;
  minimal: boolean;
  exhaustiveUpTo: number;
  candidatesScored: number;
  order: AttributionMethod | null;
  reason: string | null;
}

export interface ExplanationReport {
  format: 'interest-lens-explanation';
  version: 1;
  model: string;
  /** The model's key or saved name, where the caller knows it. */
  modelName: string | null;
  user: string | null;
  item: string;
  title: string | null;
  categories: string[];
  score: number;
  rank: number;
  target: {
    kind: 'score' | 'margin';
    competitor: string | null;
    k: number | null;
    value: number;
    empty: number;
  };
  read: number;
  unread: number;
  heldFixed: number;
  removal: Explanation['removal'];
  historyIndependent: boolean;
  history: ReportHistoryItem[];
  methods: Partial<Record<AttributionMethod, ReportMethod>>;
  faithfulness: Partial<Record<AttributionMethod | 'random', FaithfulnessCurves>>;
  counterfactual: ReportCounterfactual | null;
  rollups: { category: Record<string, RollupEntry[]>; window: Record<string, RollupEntry[]> };
  evaluations: number;
  latencyMs: Record<string, number>;
}

/** The report of `e` over `catalogue`, for `user` (null for an edited, anonymous history). */
export function explanationReport(
  e: Explanation,
  catalogue: ItemCatalogue,
  user: string | null,
  modelName: string | null = null,
): ExplanationReport {
  const id = (i: number) => catalogue.itemIds[i];
  const categories = (i: number) => categoryNamesOf(catalogue, i);
  const methods: Partial<Record<AttributionMethod, ReportMethod>> = {};
  for (const [name, outcome] of Object.entries(e.methods) as [AttributionMethod, MethodOutcome][]) {
    methods[name] = reportMethod(outcome, catalogue);
  }
  const cf = e.counterfactual;
  return {
    format: 'interest-lens-explanation',
    version: 1,
    model: e.model,
    modelName,
    user,
    item: id(e.item),
    title: catalogue.itemTitle[e.item] ?? null,
    categories: categories(e.item),
    score: e.score,
    rank: e.rank,
    target: {
      ...e.target,
      competitor: e.target.competitor === null ? null : id(e.target.competitor),
    },
    read: e.read,
    unread: e.unread,
    heldFixed: e.heldFixed,
    removal: e.removal,
    historyIndependent: e.historyIndependent,
    history: e.history.map((h) => ({
      item: id(h.item),
      title: catalogue.itemTitle[h.item] ?? null,
      categories: categories(h.item),
      position: h.position,
      time: validTime(h.timestamp) ? new Date(h.timestamp).toISOString() : null,
    })),
    methods,
    faithfulness: e.faithfulness,
    counterfactual: cf ? reportCounterfactual(cf, catalogue) : null,
    rollups: e.rollups,
    evaluations: e.evaluations,
    latencyMs: Object.fromEntries(
      Object.entries(e.latencyMs).map(([k, v]) => [k, Math.round((v as number) * 100) / 100]),
    ),
  };
}

/** One method's outcome with ids (the worker streams these as methods finish). */
export function reportMethod(outcome: MethodOutcome, catalogue: ItemCatalogue): ReportMethod {
  if (outcome.status === 'unavailable') return outcome;
  const convert = (list: { item: number; position: number; value: number }[]) =>
    list.map((a) => ({ item: catalogue.itemIds[a.item], position: a.position, value: a.value }));
  const { attributions, rollout, ...diagnostics } = outcome as AttributionResult & {
    rollout?: AttentionResult['rollout'];
  };
  const out = { ...diagnostics, attributions: convert(attributions) } as ReportMethod & {
    rollout?: ReportAttribution[];
  };
  if (rollout) out.rollout = convert(rollout);
  return out;
}

/** The counterfactual with ids. */
export function reportCounterfactual(
  cf: CounterfactualResult,
  catalogue: ItemCatalogue,
): ReportCounterfactual {
  return {
    status: cf.status,
    removed: cf.removed.map((a) => catalogue.itemIds[a.item]),
    removedPositions: cf.removed.map((a) => a.position),
    newRank: cf.newRank,
    k: cf.k,
    minimal: cf.minimal,
    exhaustiveUpTo: cf.exhaustiveUpTo,
    candidatesScored: cf.candidatesScored,
    order: cf.order,
    reason: cf.reason ?? null,
  };
}

function categoryNamesOf(catalogue: ItemCatalogue, i: number): string[] {
  return (catalogue.itemCategories[i] ?? []).map(
    (c) => catalogue.categoryNames[c] ?? `category ${c}`,
  );
}

/** A timestamp a Date can hold (finite, within ±8.64e15 ms); anything else is reported as none. */
function validTime(t: number): boolean {
  return Number.isFinite(t) && Math.abs(t) <= 8.64e15;
}
