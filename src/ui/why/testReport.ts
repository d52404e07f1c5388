/**
 * A small, hand-written explanation report for the UI's unit tests: six read items over a
 * week (one title starts with `=`, one holds a comma and quotes), four methods that ran (three
 * in score units, attention in weights), one that did not, faithfulness curves, a found
 * counterfactual and roll-ups summed here the way the engine sums them.
 */
import type { ExplanationReport, ReportHistoryItem, ReportMethod } from '../../core/explain/report';
import type { FaithfulnessCurves, RollupEntry } from '../../core/explain/types';

const DAY = 86_400_000;
const LATEST = Date.UTC(2025, 2, 10, 12);

export const HISTORY: ReportHistoryItem[] = [
  { item: 'm1', title: 'Solaris', categories: ['Sci-Fi'], position: 4, days: 20 },
  { item: 'm2', title: '=HYPERLINK("http://x")', categories: ['Drama'], position: 5, days: 12 },
  { item: 'm3', title: 'Alien', categories: ['Sci-Fi', 'Horror'], position: 6, days: 5 },
  { item: 'm4', title: 'Love, "Actually"', categories: ['Comedy'], position: 7, days: 3 },
  { item: 'm5', title: 'Dune', categories: ['Sci-Fi'], position: 8, days: 1 },
  { item: 'm6', title: null, categories: [], position: 9, days: 0 },
].map(({ days, ...h }) => ({ ...h, time: new Date(LATEST - days * DAY).toISOString() }));

/** Values per method, oldest first (positions 4..9). */
const VALUES = {
  exact: [0.3, -0.2, 0.5, 0.1, 0.8, 0],
  shap: [0.28, -0.25, 0.55, 0.05, 0.75, 0.02],
  occlusion: [0.1, 0.2, 0.3, -0.1, 0.6, 0.05],
  attention: [0.1, 0.1, 0.2, 0.1, 0.4, 0.1],
};

function okMethod(method: keyof typeof VALUES): ReportMethod {
  return {
    method,
    status: 'ok',
    unit: method === 'attention' ? 'weight' : 'score',
    attributions: VALUES[method].map((value, k) => ({
      item: HISTORY[k].item,
      position: HISTORY[k].position,
      value,
    })),
    evaluations: 10,
    ms: 1,
    ...(method === 'attention' ? { source: 'pooling' } : {}),
  } as ReportMethod;
}

function curves(deletionAuc: number, insertionAuc: number): FaithfulnessCurves {
  const fractions = Array.from({ length: 11 }, (_, b) => b / 10);
  return {
    fractions,
    deletion: fractions.map((f) => 2 - 2 * f * (deletionAuc < 1 ? 1.5 : 1)),
    insertion: fractions.map((f) => 2 * f),
    deletionAuc,
    insertionAuc,
    posAtK: {
      deletion: { '5': 0.3, '10': 0.5, '20': 0.9 },
      insertion: { '5': 0.6, '10': 0.8, '20': 1 },
    },
  };
}

/** Category sums (a multi-category item split evenly), largest |sum| first. */
function categoryRollup(values: number[]): RollupEntry[] {
  const sums = new Map<string, RollupEntry>();
  HISTORY.forEach((h, k) => {
    const cats = h.categories.length ? h.categories : [''];
    for (const c of cats) {
      const entry = sums.get(c) ?? { key: c, label: c || '(no category)', value: 0, items: 0 };
      entry.value += values[k] / cats.length;
      entry.items += 1;
      sums.set(c, entry);
    }
  });
  return [...sums.values()].sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
}

/** Window sums as the engine's time windows: day, week, month. */
function windowRollup(values: number[]): RollupEntry[] {
  const windows = [
    { key: 'day', label: 'last 24 hours', value: 0, items: 0 },
    { key: 'week', label: '1–7 days before', value: 0, items: 0 },
    { key: 'month', label: '1–4 weeks before', value: 0, items: 0 },
  ];
  const ages = [20, 12, 5, 3, 1, 0];
  values.forEach((v, k) => {
    const w = ages[k] < 1 ? 0 : ages[k] < 7 ? 1 : 2;
    windows[w].value += v;
    windows[w].items += 1;
  });
  return windows;
}

/** The fixture report; `patch` overrides top-level fields. */
export function testReport(patch: Partial<ExplanationReport> = {}): ExplanationReport {
  const ok = ['exact', 'shap', 'occlusion', 'attention'] as const;
  return {
    format: 'interest-lens-explanation',
    version: 1,
    model: 'weighted',
    modelName: null,
    user: 'u1',
    item: 'm99',
    title: 'Interstellar',
    categories: ['Sci-Fi'],
    score: 2,
    rank: 3,
    target: { kind: 'score', competitor: null, k: null, value: 2, empty: 0 },
    read: 6,
    unread: 2,
    heldFixed: 0,
    removal: 'close-up',
    historyIndependent: false,
    history: HISTORY,
    methods: {
      exact: okMethod('exact'),
      attention: okMethod('attention'),
      ig: {
        method: 'ig',
        status: 'unavailable',
        reason: 'weighted has no history embeddings to integrate gradients over.',
        ms: 0,
      },
      occlusion: okMethod('occlusion'),
      shap: okMethod('shap'),
    },
    faithfulness: { exact: curves(0.5, 1.4), shap: curves(0.55, 1.35), random: curves(1.2, 0.9) },
    counterfactual: {
      status: 'found',
      removed: ['m3', 'm5'],
      removedPositions: [6, 8],
      newRank: 41,
      k: 10,
      minimal: true,
      exhaustiveUpTo: 2,
      candidatesScored: 20,
      order: 'shap',
      reason: null,
    },
    rollups: {
      category: Object.fromEntries(ok.map((m) => [m, categoryRollup(VALUES[m])])),
      window: Object.fromEntries(ok.map((m) => [m, windowRollup(VALUES[m])])),
    },
    evaluations: 100,
    latencyMs: { total: 5 },
    ...patch,
  };
}
