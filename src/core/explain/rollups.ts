/**
 * Roll-ups of per-item attributions: summed by item category (a multi-category item's value is
 * split evenly, so a roll-up sums to the same total as its attributions) and by time window
 * before the most recent read interaction (last day, week, month, quarter, year, older), or by
 * recency rank when the data has no timestamps.
 */
import type { Attribution, RollupEntry } from './types';

const DAY = 86_400_000;
const TIME_WINDOWS: { key: string; label: string; until: number }[] = [
  { key: 'day', label: 'last 24 hours', until: DAY },
  { key: 'week', label: '1–7 days before', until: 7 * DAY },
  { key: 'month', label: '1–4 weeks before', until: 30 * DAY },
  { key: 'quarter', label: '1–3 months before', until: 91 * DAY },
  { key: 'year', label: '3–12 months before', until: 365 * DAY },
  { key: 'older', label: 'over a year before', until: Number.POSITIVE_INFINITY },
];
const RANK_WINDOWS: { key: string; label: string; until: number }[] = [
  { key: 'last5', label: 'most recent 5', until: 5 },
  { key: 'last20', label: '6th–20th most recent', until: 20 },
  { key: 'last50', label: '21st–50th most recent', until: 50 },
  { key: 'older', label: 'older than the 50 most recent', until: Number.POSITIVE_INFINITY },
];

export interface RollupContext {
  /** Per dataset item: category indices. */
  itemCategories: readonly (readonly number[])[];
  categoryNames: readonly string[];
  /** Timestamp (ms) of each read item, oldest first; NaN without timestamps. */
  timestamps: readonly number[];
}

/** Attribution sums per category, largest |sum| first. */
export function categoryRollup(attributions: Attribution[], ctx: RollupContext): RollupEntry[] {
  const sums = new Map<string, RollupEntry>();
  const add = (key: string, label: string, value: number) => {
    const entry = sums.get(key) ?? { key, label, value: 0, items: 0 };
    entry.value += value;
    entry.items += 1;
    sums.set(key, entry);
  };
  for (const a of attributions) {
    const cats = ctx.itemCategories[a.item] ?? [];
    if (cats.length === 0) add('', '(no category)', a.value);
    for (const c of cats)
      add(String(c), ctx.categoryNames[c] ?? `category ${c}`, a.value / cats.length);
  }
  return [...sums.values()].sort((a, b) => Math.abs(b.value) - Math.abs(a.value));
}

/** Attribution sums per time window before the most recent read item, newest window first. */
export function windowRollup(attributions: Attribution[], ctx: RollupContext): RollupEntry[] {
  const timed = ctx.timestamps.length > 0 && ctx.timestamps.every((t) => Number.isFinite(t));
  const latest = timed ? ctx.timestamps.reduce((m, t) => Math.max(m, t), -Infinity) : 0;
  const windows = timed ? TIME_WINDOWS : RANK_WINDOWS;
  const entries = windows.map((w) => ({ key: w.key, label: w.label, value: 0, items: 0 }));
  const n = attributions.length;
  attributions.forEach((a, k) => {
    const age = timed ? latest - ctx.timestamps[k] : n - k;
    const w = windows.findIndex((win) => (timed ? age < win.until : age <= win.until));
    entries[w].value += a.value;
    entries[w].items += 1;
  });
  return entries.filter((e) => e.items > 0);
}
