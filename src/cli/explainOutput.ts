/**
 * `lens explain` as text: the explained item and the history the model reads, one table per
 * method (top history items by |attribution|) with its diagnostics, faithfulness against a
 * random order, the counterfactual as a sentence, and the time each step took. Reads the same
 * report `--json` prints, so the two never disagree.
 */
import type { ExplanationReport, ReportMethod } from '../core/explain/report';
import type {
  AttentionResult,
  AttributionMethod,
  IgResult,
  LimeResult,
  ShapResult,
} from '../core/explain/types';
import { count, table } from './output';

/** History items listed per method. */
export const TOP_ATTRIBUTIONS = 10;

type OkMethod = Extract<ReportMethod, { status: 'ok' }>;
/** A method's diagnostics as the engine typed them (the report keeps every field but these). */
type Diagnostics<T> = Omit<T, 'attributions' | 'rollout' | 'method' | 'status'>;

/** A number for people: 4 decimals, or 3 significant digits when smaller than 0.001. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  return Math.abs(v) >= 0.001 ? v.toFixed(4) : v.toExponential(2);
}

const signed = (v: number) => (v > 0 ? `+${num(v)}` : num(v));
const percent = (share: number) => `${(100 * share).toFixed(share < 0.01 ? 2 : 1)} %`;
const ms = (v: number) => `${v.toFixed(1)} ms`;
const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

function clip(text: string, width = 40): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** `i12 "Title"`, or the id alone. */
function label(id: string, title: string | null): string {
  return title ? `${id} "${clip(title)}"` : id;
}

function list(names: string[]): string {
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

const UNIT_NAMES: Record<string, string> = {
  score: 'share of the target',
  weight: 'attention weight',
  'gradient-norm': 'gradient norm',
};

/** One line of what a method reports about itself, beyond the attributions. */
function diagnostics(method: AttributionMethod, m: OkMethod): string | null {
  switch (method) {
    case 'attention': {
      const d = m as unknown as Diagnostics<AttentionResult>;
      const shape =
        d.blocks !== undefined
          ? `, ${d.blocks} block${d.blocks === 1 ? '' : 's'} x ${d.heads ?? 1} head${d.heads === 1 ? '' : 's'} (heads averaged; rollout across blocks beside)`
          : '';
      return `source ${d.source}${shape}`;
    }
    case 'ig': {
      const d = m as unknown as Diagnostics<IgResult>;
      const converged = d.converged ? 'converged' : 'not converged at the step limit';
      return (
        `${d.steps} steps, completeness gap ${percent(d.completenessGap)} of |f(x) - f(baseline)| ` +
        `(${num(d.completenessGapAbsolute)} absolute; ${converged}); baseline ${d.baseline}, f(baseline) ${num(d.baselineValue)}`
      );
    }
    case 'lime': {
      const d = m as unknown as Diagnostics<LimeResult>;
      return (
        `weighted R² ${d.r2.toFixed(4)}; spread across ${d.seeds} seeds ${percent(d.seedSpread)} ` +
        `of mean |coefficient|, rank agreement >= ${d.seedRankAgreement.toFixed(3)}; ` +
        `samples per seed ${d.samplesPerSeed.join(', ')}`
      );
    }
    case 'shap': {
      const d = m as unknown as Diagnostics<ShapResult>;
      const how =
        d.estimator === 'exact'
          ? 'exact Shapley values'
          : d.estimator === 'kernel'
            ? `KernelSHAP on ${count(d.samples)} of LIME's samples, largest standard error ${num(d.stderr)} (from the per-seed fits)`
            : `permutation estimate (${count(d.permutations)} permutations), largest standard error ${num(d.stderr)}`;
      return `${how}; efficiency gap |sum - (f(x) - f(empty))| ${num(d.efficiencyGap)}`;
    }
    default:
      return null;
  }
}

/** A method's heading, its diagnostics and its table of the top items by |value|. */
function methodSection(
  method: AttributionMethod,
  m: OkMethod,
  titles: Map<number, string | null>,
): string {
  const unit = UNIT_NAMES[String(m.unit)] ?? String(m.unit);
  const lines = [
    `${method} (${unit}; ${plural(Number(m.evaluations), 'model evaluation')}, ${ms(Number(m.ms))})`,
  ];
  const extra = diagnostics(method, m);
  if (extra) lines.push(`  ${extra}`);
  if (typeof m.note === 'string') lines.push(`  note: ${m.note}`);
  const rollout = new Map((m.rollout ?? []).map((a) => [a.position, a.value]));
  const top = [...m.attributions]
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || b.position - a.position)
    .slice(0, TOP_ATTRIBUTIONS);
  const withTitles = top.some((a) => titles.get(a.position));
  const header = ['#', 'item', ...(withTitles ? ['title'] : []), 'position', 'value'];
  if (m.rollout) header.push('rollout');
  const rows = top.map((a, i) => {
    const row = [String(i + 1), a.item];
    if (withTitles) row.push(clip(titles.get(a.position) ?? ''));
    row.push(String(a.position), signed(a.value));
    if (m.rollout) row.push(num(rollout.get(a.position) ?? 0));
    return row;
  });
  lines.push(table([header, ...rows], '  '));
  const more = m.attributions.length - top.length;
  if (more > 0) lines.push(`  (${count(more)} more with smaller |value|)`);
  return lines.join('\n');
}

function faithfulnessSection(r: ExplanationReport): string | null {
  const entries = Object.entries(r.faithfulness);
  if (entries.length === 0) return null;
  const pos = (p: Record<string, number>) =>
    Object.values(p)
      .map((v) => `${Math.round(100 * v)}%`)
      .join(' / ');
  const rows = entries
    .sort(([a], [b]) => (a === 'random' ? 1 : b === 'random' ? -1 : 0))
    .map(([name, c]) => [
      name,
      num(c?.deletionAuc ?? Number.NaN),
      num(c?.insertionAuc ?? Number.NaN),
      pos(c?.posAtK.deletion ?? {}),
    ]);
  const ks = Object.keys(entries[0][1]?.posAtK.deletion ?? {}).join('/');
  return [
    'faithfulness: the target as history items are deleted (kept) in 10 % bins, most important first;',
    'a faithful order has a lower deletion AUC and a higher insertion AUC than random (mean of seeded orders)',
    table(
      [['method', 'deletion AUC', 'insertion AUC', `bins still in top ${ks} (deletion)`], ...rows],
      '  ',
    ),
  ].join('\n');
}

function counterfactualSection(r: ExplanationReport, titles: Map<number, string | null>): string {
  const cf = r.counterfactual;
  if (!cf) return '';
  const explained = label(r.item, r.title);
  if (cf.status === 'found') {
    // A repeated item is named once, with how many of its interactions go.
    const times = new Map<string, number>();
    for (const id of cf.removed) times.set(id, (times.get(id) ?? 0) + 1);
    const removed = [...times].map(([id, n]) => {
      const title = titles.get(cf.removedPositions[cf.removed.indexOf(id)]) ?? null;
      return `${label(id, title)}${n > 1 ? ` (${n} interactions)` : ''}`;
    });
    const how = cf.minimal
      ? 'no smaller set exists'
      : `found along the ${cf.order ?? 'attribution'} order; sets of up to ${cf.exhaustiveUpTo} checked exhaustively`;
    return (
      `counterfactual: Without ${list(removed)}, ${explained} would fall from rank ${r.rank} ` +
      `to rank ${cf.newRank} (out of the top ${cf.k}; ${how}; ${plural(cf.candidatesScored, 'candidate set')} re-scored).`
    );
  }
  return `counterfactual (top ${cf.k}): ${cf.status}: ${cf.reason ?? ''}`.trimEnd();
}

/** Summed attributions by category of the method the counterfactual searched along. */
function categoryLine(r: ExplanationReport): string | null {
  if (r.history.every((h) => h.categories.length === 0)) return null;
  const method = r.counterfactual?.order ?? Object.keys(r.rollups.category)[0];
  const entries = method ? r.rollups.category[method] : undefined;
  if (!method || !entries || entries.length === 0) return null;
  const top = entries.slice(0, 5).map((e) => `${e.label} ${signed(e.value)} (${e.items})`);
  return `by category (${method}, summed; items): ${top.join(', ')}`;
}

/** The whole explanation as text. */
export function formatExplain(r: ExplanationReport): string {
  const titles = new Map(r.history.map((h) => [h.position, h.title]));
  const total = r.read + r.unread;
  const reads = [`the model reads ${count(r.read)} of ${count(total)} interactions`];
  if (r.unread > 0) reads.push(`${count(r.unread)} older ones are not read and have no influence`);
  if (r.heldFixed > 0) {
    reads.push(`${count(r.heldFixed)} older read ones are held fixed, not attributed`);
  }
  const target =
    r.target.kind === 'score'
      ? `score: ${num(r.target.value)} with the history, ${num(r.target.empty)} without it`
      : `margin over ${r.target.competitor} (rank ${(r.target.k ?? 0) + 1}): ${num(r.target.value)} with the history, ${num(r.target.empty)} without it`;
  const categories = r.categories.length > 0 ? ` [${r.categories.join(', ')}]` : '';
  const head = table([
    ['model', r.modelName ? `${r.model} "${r.modelName}"` : r.model],
    ['user', `${r.user ?? '(edited history)'}: ${reads.join('; ')}`],
    ['item', `${label(r.item, r.title)}${categories}: score ${num(r.score)}, rank ${r.rank}`],
    ['target', target],
    ['removal', r.removal],
  ]);
  const parts = [head];
  if (r.historyIndependent) {
    parts.push(`note: ${r.model}'s score does not depend on the history: every attribution is 0.`);
  }
  const unavailable: string[][] = [];
  for (const [method, m] of Object.entries(r.methods) as [AttributionMethod, ReportMethod][]) {
    if (m.status === 'unavailable') unavailable.push([method, m.reason]);
    else parts.push(methodSection(method, m, titles));
  }
  if (unavailable.length > 0) {
    parts.push(`not available for ${r.model} here:\n${table(unavailable, '  ')}`);
  }
  const faith = faithfulnessSection(r);
  if (faith) parts.push(faith);
  const cf = counterfactualSection(r, titles);
  if (cf) parts.push(cf);
  const byCategory = categoryLine(r);
  if (byCategory) parts.push(byCategory);
  const latency = Object.entries(r.latencyMs)
    .filter(
      ([name]) =>
        name !== 'total' && r.methods[name as AttributionMethod]?.status !== 'unavailable',
    )
    .map(([name, v]) => `${name} ${v.toFixed(1)}`);
  parts.push(
    `latency (ms): ${latency.join(', ')}; total ${(r.latencyMs.total ?? 0).toFixed(1)} ` +
      `(${plural(r.evaluations, 'model evaluation')})`,
  );
  return `${parts.join('\n\n')}\n`;
}
