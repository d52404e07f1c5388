/**
 * A one-paragraph, plain-language summary of an explanation, generated from its numbers: which
 * category and which items pushed the item up (the category roll-up and the top attributions),
 * when (the time-window roll-up), what pulls it down, and the counterfactual ("without A and B
 * it would fall from rank 3 to rank 41"). The cases with nothing to attribute are said in
 * words: a history-independent model (pop), no history, no method that ran. Pure: tested in Node.
 */

import { max, min } from 'd3';
import type {
  ExplanationReport,
  ReportAttribution,
  ReportHistoryItem,
  ReportMethod,
} from '../../core/explain/report';
import type { RollupEntry } from '../../core/explain/types';
import { formatSigned } from '../charts/palette';

type OkMethod = Extract<ReportMethod, { status: 'ok' }>;

/** Methods the summary prefers, best first: additive score attributions before weights. */
const PREFERENCE = [
  'shap',
  'exact',
  'occlusion',
  'ig',
  'lime',
  'gradxinput',
  'attention',
  'saliency',
  'neighbours',
];

const DAY = 86_400_000;

const WINDOW_PHRASES: Record<string, string> = {
  'last 24 hours': 'from the last 24 hours of your history',
  '1–7 days before': 'from 1–7 days before your latest interaction',
  '1–4 weeks before': 'from 1–4 weeks before your latest interaction',
  '1–3 months before': 'from 1–3 months before your latest interaction',
  '3–12 months before': 'from 3–12 months before your latest interaction',
  'over a year before': 'from over a year before your latest interaction',
  'most recent 5': 'among your 5 most recent interactions',
  '6th–20th most recent': 'among your 6th to 20th most recent interactions',
  '21st–50th most recent': 'among your 21st to 50th most recent interactions',
  'older than the 50 most recent': 'older than your 50 most recent interactions',
};

const quote = (text: string) => `“${text}”`;

/** The method the summary speaks for: `method` when it ran, else the first preferred one. */
export function summaryMethod(
  report: Pick<ExplanationReport, 'methods'>,
  method?: string,
): OkMethod | null {
  const methods = report.methods as Record<string, ReportMethod | undefined>;
  const asked = method ? methods[method] : undefined;
  if (asked?.status === 'ok') return asked;
  const preferred = PREFERENCE.map((m) => methods[m]).find((m) => m?.status === 'ok');
  const any = Object.values(methods).find((m) => m?.status === 'ok');
  return (preferred ?? any ?? null) as OkMethod | null;
}

/** "“A” and “B”", "“A”, “B”, “C” and 2 more items"; a repeated item is named once with its count. */
export function listNames(names: readonly string[], most = 3): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  const named = [...counts.entries()].map(([name, n]) =>
    n > 1 ? `${quote(name)} (${n} interactions)` : quote(name),
  );
  const shown = named.slice(0, most);
  const rest = named.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more item${rest === 1 ? '' : 's'}`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/**
 * When `items` happened relative to the latest read interaction, if they are close to it:
 * "all in the last week of your history", "all among your 5 most recent interactions"; '' when
 * they are spread out.
 */
export function recencyPhrase(
  items: readonly ReportHistoryItem[],
  history: readonly ReportHistoryItem[],
): { phrase: string; recent: boolean } {
  if (items.length === 0) return { phrase: '', recent: false };
  const all = items.length > 1 ? 'all ' : '';
  const times = history.map((h) => (h.time === null ? Number.NaN : Date.parse(h.time)));
  if (times.length && times.every(Number.isFinite)) {
    const latest = max(times) ?? Number.NaN;
    const oldest = min(items, (h) => Date.parse(h.time as string)) ?? Number.NaN;
    const age = latest - oldest;
    if (age < DAY) return { phrase: `${all}in the last day of your history`, recent: true };
    if (age < 7 * DAY) return { phrase: `${all}in the last week of your history`, recent: true };
    if (age < 31 * DAY) return { phrase: `${all}in the last month of your history`, recent: false };
    return { phrase: '', recent: false };
  }
  const newest = max(history, (h) => h.position) ?? 0;
  const positions = new Set(history.map((h) => h.position));
  const recency = (p: number) => {
    let rank = 1;
    for (let q = p + 1; q <= newest; q++) if (positions.has(q)) rank++;
    return rank;
  };
  const worst = max(items, (h) => recency(h.position)) ?? 0;
  if (worst <= 5) return { phrase: `${all}among your 5 most recent interactions`, recent: true };
  if (worst <= 20) return { phrase: `${all}among your 20 most recent interactions`, recent: false };
  return { phrase: '', recent: false };
}

/** The category roll-up of `m`: the report's, or summed here (even split) when not there yet. */
function categoryRollup(
  report: ExplanationReport,
  m: OkMethod,
  byPosition: Map<number, ReportHistoryItem>,
) {
  const given = report.rollups?.category?.[m.method];
  if (given) return given;
  const sums = new Map<string, RollupEntry>();
  for (const a of m.attributions) {
    const cats = byPosition.get(a.position)?.categories ?? [];
    for (const c of cats) {
      const entry = sums.get(c) ?? { key: c, label: c, value: 0, items: 0 };
      entry.value += a.value / cats.length;
      entry.items += 1;
      sums.set(c, entry);
    }
  }
  return [...sums.values()];
}

/** The summary sentences about what pushed the item up, by `m`. */
function driverSentences(report: ExplanationReport, m: OkMethod): string[] {
  const byPosition = new Map(report.history.map((h) => [h.position, h]));
  const nameAt = (a: ReportAttribution) => byPosition.get(a.position)?.title ?? a.item;
  const score = m.unit === 'score';
  const byText = ` (by ${m.method})`;
  const sentences: string[] = [];
  if (!score) {
    sentences.push(
      m.unit === 'weight'
        ? `Its ${m.method} values are weights: what the model looked at, not how much each item moved the score.`
        : m.unit === 'similarity'
          ? `Its ${m.method} values are similarities: which items the model sees as alike, not how much each item moved the score.`
          : `Its ${m.method} values are gradient sizes: how sensitive the score is to each item, not which way it moved.`,
    );
  }
  const ranked = m.attributions
    .filter((a) => Number.isFinite(a.value) && a.value > 0)
    .sort((a, b) => b.value - a.value || b.position - a.position);
  if (ranked.length === 0) {
    sentences.push(
      score
        ? `According to ${m.method}, no item in your history pushes it up.`
        : `According to ${m.method}, no item in your history stands out.`,
    );
    return sentences;
  }
  const top = ranked.slice(0, 5);
  const topItems = top.map((a) => byPosition.get(a.position)).filter((h) => h !== undefined);
  const most = `${top.length === 1 ? 'the most influential item' : `the ${top.length} most influential items`}${byText}`;

  const category = categoryRollup(report, m, byPosition)
    .filter((e) => e.key !== '' && e.value > 0)
    .sort((a, b) => b.value - a.value)[0];
  const inCategory = category ? topItems.filter((h) => h.categories.includes(category.label)) : [];
  if (category && inCategory.length > 0) {
    const when = recencyPhrase(inCategory, report.history);
    const verb = inCategory.length === 1 ? 'is' : 'are';
    const count =
      top.length === 1 ? 'the most influential item' : `${inCategory.length} of ${most}`;
    sentences.push(
      `Recommended mostly because of your ${when.recent ? 'recent ' : ''}${category.label}: ${count}${top.length === 1 ? byText : ''} ${verb} ${category.label}${when.phrase ? `, ${when.phrase}` : ''}.`,
    );
  } else {
    const when = recencyPhrase(topItems, report.history);
    const first = top[0];
    sentences.push(
      `Recommended mostly because of ${quote(nameAt(first))}, the most influential item in your history${byText}${top.length > 1 && when.phrase ? `; ${most.replace(byText, '')} are ${when.phrase}` : ''}.`,
    );
  }

  const windows = report.rollups?.window?.[m.method] ?? [];
  if (score && windows.length >= 2) {
    const best = [...windows].sort((a, b) => b.value - a.value)[0];
    const total = windows.reduce((sum, w) => sum + w.value, 0);
    if (best.value > 0) {
      const phrase = WINDOW_PHRASES[best.label] ?? `in ${quote(best.label)}`;
      sentences.push(
        `By time, items ${phrase} push it up the most (${formatSigned(best.value)} of ${formatSigned(total)} in all).`,
      );
    }
  }

  if (score) {
    const lowest = m.attributions
      .filter((a) => Number.isFinite(a.value) && a.value < 0)
      .sort((a, b) => a.value - b.value || b.position - a.position)[0];
    if (lowest && -lowest.value >= 0.2 * top[0].value) {
      sentences.push(
        `${quote(nameAt(lowest))} pulls it down the most (${formatSigned(lowest.value)}).`,
      );
    }
  }
  return sentences;
}

/** The counterfactual in one sentence, or '' when there is none to tell. */
export function counterfactualSentence(report: ExplanationReport): string {
  const cf = report.counterfactual;
  if (!cf) return '';
  const item = quote(report.title ?? report.item);
  if (cf.status === 'found' && cf.newRank !== null) {
    const byPosition = new Map(report.history.map((h) => [h.position, h]));
    const names = cf.removed.map((id, k) => byPosition.get(cf.removedPositions[k])?.title ?? id);
    return `Without ${listNames(names)}, ${item} would fall from rank ${report.rank} to rank ${cf.newRank}.`;
  }
  if (cf.status === 'none') {
    // The engine's reasons are whole sentences about "it" (the item), e.g. "Removing up to 10 of
    // the most influential items (by shap) keeps it in the top 10."
    return (
      cf.reason ??
      `No small set of history items was found whose removal pushes ${item} out of the top ${cf.k}.`
    );
  }
  return cf.reason ?? '';
}

/**
 * The summary of `report` in one paragraph, from `method`'s attributions when it ran (else
 * the best method that did: SHAP, exact, occlusion, IG, LIME, gradient × input, attention).
 */
export function explanationSummary(report: ExplanationReport, method?: string): string {
  const item = quote(report.title ?? report.item);
  const lead = `${item} is at rank ${report.rank} in ${report.model}'s recommendations.`;
  if (report.historyIndependent) {
    const near = report.methods.neighbours;
    if (near?.status === 'ok') {
      // A per-user model (ids in, stored user factors): who you are decides, not your history.
      const byPosition = new Map(report.history.map((h) => [h.position, h]));
      const alike = near.attributions
        .filter((a) => a.value > 0)
        .sort((a, b) => b.value - a.value || b.position - a.position)
        .slice(0, 3)
        .map((a) => byPosition.get(a.position)?.title ?? a.item);
      const tail =
        alike.length > 0
          ? ` In its item space, the items of your history most like it are ${listNames(alike)} (by the cosine of its item vectors).`
          : '';
      return `${lead} ${report.model}'s score depends on who you are, not on your history, so no item in your history pushed it up or down.${tail}`;
    }
    return `${lead} ${report.model}'s score does not depend on your history (it ranks items the same way for everyone), so no item in your history pushed it up or down.`;
  }
  if (report.read === 0 || report.history.length === 0) {
    return `${lead} The model reads no items of this history, so nothing in it can explain the recommendation.`;
  }
  const parts = [lead];
  if (report.target.kind === 'margin') {
    const rival = report.target.competitor;
    parts.push(
      `This explains its lead over the item ranked ${(report.target.k ?? 0) + 1}${rival ? ` (${quote(rival)})` : ''}, which decides whether it stays in the top ${report.target.k}, not its raw score.`,
    );
  }
  const m = summaryMethod(report, method);
  const methods = report.methods as Record<string, ReportMethod | undefined>;
  const asked = method ? methods[method] : undefined;
  if (asked && asked.status === 'unavailable' && m) {
    parts.push(
      `${method} is not available here (${asked.reason.replace(/\.$/, '')}); using ${m.method}.`,
    );
  }
  if (!m) {
    const reasons = [
      ...new Set(
        Object.values(methods)
          .filter((r) => r?.status === 'unavailable')
          .map((r) => (r as Extract<ReportMethod, { status: 'unavailable' }>).reason),
      ),
    ];
    parts.push(
      reasons.length
        ? `No attribution method could explain it: ${reasons.slice(0, 2).join(' ')}`
        : 'No attribution method has finished yet.',
    );
  } else {
    parts.push(...driverSentences(report, m));
  }
  const cf = counterfactualSentence(report);
  if (cf) parts.push(cf);
  return parts.join(' ');
}
