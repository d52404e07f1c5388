/**
 * The explanation as the charts take it while it is still streaming: the whole report once it
 * has arrived, before that a report-shaped object assembled from the parts that did (score and
 * rank, finished methods, counterfactual, faithfulness) with the read history taken from the
 * (edited) history the page sent. So every chart draws as soon as its part is in. Pure.
 */
import type { ExplanationReport, ReportHistoryItem } from '../../core/explain/report';
import type { EditedEntry } from '../../state/whatIf';
import type { ExplanationState } from '../../state/whySlice';

export interface LiveReportContext {
  /** The history that was explained (the user's own, or the edited one), oldest first. */
  entries: readonly EditedEntry[];
  /** The explained model's id (e.g. `sasrec`) and key. */
  modelId: string;
  modelKey: string;
  userId: string | null;
  /** Title and categories of the explained item where the page knows them (the top-K list). */
  itemInfo?: (itemId: string) => { title: string | null; categories: string[] } | null;
}

/** The read history items: every position an attribution names, with the entry's details. */
function streamedHistory(
  explanation: ExplanationState,
  entries: readonly EditedEntry[],
): ReportHistoryItem[] {
  const positions = new Map<number, string>();
  for (const m of Object.values(explanation.methods)) {
    if (m?.status !== 'ok') continue;
    for (const a of m.attributions) positions.set(a.position, a.item);
  }
  if (positions.size === 0 && explanation.read !== null) {
    // No method yet: the last `read` entries are what the model reads.
    const first = Math.max(0, entries.length - explanation.read);
    for (let p = first; p < entries.length; p++) positions.set(p, entries[p].itemId);
  }
  return [...positions.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([position, item]) => {
      const entry = entries[position];
      const known = entry?.itemId === item ? entry : undefined;
      return {
        item,
        title: known?.title ?? null,
        categories: known?.categories ?? [],
        position,
        time: known?.time != null ? new Date(known.time).toISOString() : null,
      };
    });
}

/**
 * The report to draw: the final one, or the streamed parts in its shape (null until the
 * worker has said which item it explains).
 */
export function liveReport(
  explanation: ExplanationState,
  context: LiveReportContext,
): ExplanationReport | null {
  if (explanation.report) return explanation.report;
  if (explanation.item === null || explanation.score === null || explanation.rank === null) {
    return null;
  }
  const history = streamedHistory(explanation, context.entries);
  const explained =
    context.itemInfo?.(explanation.item) ??
    context.entries.find((e) => e.itemId === explanation.item) ??
    null;
  return {
    format: 'interest-lens-explanation',
    version: 1,
    model: context.modelId,
    modelName: context.modelKey,
    user: context.userId,
    item: explanation.item,
    title: explained?.title ?? null,
    categories: explained?.categories ?? [],
    score: explanation.score,
    rank: explanation.rank,
    target: {
      kind: 'score',
      competitor: null,
      k: null,
      value: explanation.score,
      empty: Number.NaN,
    },
    read: explanation.read ?? history.length,
    unread: explanation.unread ?? 0,
    heldFixed: 0,
    removal: 'close-up',
    historyIndependent: false,
    history,
    methods: explanation.methods,
    faithfulness: explanation.faithfulness ?? {},
    counterfactual: explanation.counterfactual,
    rollups: { category: {}, window: {} },
    evaluations: 0,
    latencyMs: {},
  };
}
