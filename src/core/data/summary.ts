/**
 * What the UI shows about a loaded dataset: counts, density, time range, how interactions
 * spread over users and items (log-spaced histograms), top categories and action types.
 */
import type {
  CountBin,
  Dataset,
  DatasetSummary,
  Detection,
  IngestReport,
  ItemMetadataSummary,
  NamedCount,
} from './types';

const TOP_CATEGORIES = 20;

/**
 * Bin edges 1, 2, 5, 10, 20, 50, ... (unit bins when the largest count is at most 20): the
 * long tail of per-user and per-item counts stays readable, and the same data always gives
 * the same bins.
 */
export function countHistogram(counts: Int32Array): {
  bins: CountBin[];
  min: number;
  median: number;
  max: number;
} {
  if (counts.length === 0) return { bins: [], min: 0, median: 0, max: 0 };
  const sorted = Int32Array.from(counts).sort();
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const edges: number[] = [];
  if (max <= 20) {
    for (let e = Math.max(0, min); e <= max + 1; e++) edges.push(e);
  } else {
    if (min < 1) edges.push(0);
    let k = 0;
    while (logEdge(k + 1) <= Math.max(1, min)) k++;
    for (; ; k++) {
      edges.push(logEdge(k));
      if (logEdge(k) > max) break;
    }
  }
  const bins: CountBin[] = [];
  for (let b = 0; b + 1 < edges.length; b++)
    bins.push({ x0: edges[b], x1: edges[b + 1], count: 0 });
  let b = 0;
  for (let k = 0; k < sorted.length; k++) {
    while (b < bins.length - 1 && sorted[k] >= bins[b].x1) b++;
    bins[b].count++;
  }
  return { bins, min, median, max };
}

/** The k-th edge of 1, 2, 5, 10, 20, 50, ... */
function logEdge(k: number): number {
  return [1, 2, 5][k % 3] * 10 ** Math.floor(k / 3);
}

function countBy(names: string[], counts: Float64Array): NamedCount[] {
  const out: NamedCount[] = [];
  for (let i = 0; i < names.length; i++)
    if (counts[i] > 0) out.push({ name: names[i], count: counts[i] });
  return out.sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Summarises a dataset for the UI; per-row data stays behind in the worker. */
export function summarizeDataset(
  dataset: Dataset,
  report: IngestReport,
  detection: Detection,
  fileName: string,
  metadata: ItemMetadataSummary | null,
): DatasetSummary {
  const users = dataset.userIds.length;
  const items = dataset.itemIds.length;
  const interactions = dataset.user.length;
  const perUser = new Int32Array(users);
  for (let u = 0; u < users; u++) perUser[u] = dataset.userOffsets[u + 1] - dataset.userOffsets[u];
  const perItem = new Int32Array(items);
  for (let k = 0; k < interactions; k++) perItem[dataset.item[k]]++;

  let timeRange: DatasetSummary['timeRange'] = null;
  if (dataset.hasTimestamps && interactions > 0) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < interactions; k++) {
      const t = dataset.timestamp[k];
      if (t < min) min = t;
      if (t > max) max = t;
    }
    timeRange = { min, max };
  }

  const categoryCounts = new Float64Array(dataset.categoryNames.length);
  for (let i = 0; i < items; i++) {
    for (const c of dataset.itemCategories[i]) categoryCounts[c] += perItem[i];
  }
  const actionCounts = new Float64Array(dataset.actionNames.length);
  for (let k = 0; k < interactions; k++)
    if (dataset.action[k] >= 0) actionCounts[dataset.action[k]]++;

  let itemsWithTitle = 0;
  for (const title of dataset.itemTitle) if (title !== null) itemsWithTitle++;

  return {
    fileName,
    users,
    items,
    interactions,
    density: users > 0 && items > 0 ? interactions / (users * items) : 0,
    timeRange,
    perUser: countHistogram(perUser),
    perItem: countHistogram(perItem),
    topCategories: countBy(dataset.categoryNames, categoryCounts).slice(0, TOP_CATEGORIES),
    actionTypes: countBy(dataset.actionNames, actionCounts),
    itemsWithTitle,
    report,
    detection,
    metadata,
  };
}
