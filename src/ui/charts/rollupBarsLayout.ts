/**
 * Roll-up bars: attributions summed by category or time window (the engine's roll-ups), in the
 * order given (categories by |sum|, windows newest first), with each entry's item count.
 * Pure: tested in Node.
 */
import type { RollupEntry } from '../../core/explain/types';
import { formatSigned } from './palette';
import { type SignedBarsLayout, signedBarsLayout } from './signedBarsLayout';

export interface RollupBarsLayout extends SignedBarsLayout {
  shown: RollupEntry[];
  /** "and 4 more (−0.012 in total)" when the limit left entries out; null otherwise. */
  rest: string | null;
  description: string;
}

/** Signed bars for the first `limit` roll-up entries; the rest counted and summed. */
export function rollupBarsLayout(
  title: string,
  entries: readonly RollupEntry[],
  options: { width: number; limit: number },
): RollupBarsLayout {
  const shown = entries.slice(0, Math.max(0, options.limit));
  const rows = shown.map((entry) => ({
    key: entry.key || entry.label,
    label: entry.label,
    detail: `${entry.items} item${entry.items === 1 ? '' : 's'}`,
    value: entry.value,
  }));
  const layout = signedBarsLayout(rows, { width: options.width, labelWidth: 150 });
  const left = entries.slice(shown.length);
  const restSum = left.reduce((sum, entry) => sum + entry.value, 0);
  const rest = left.length ? `and ${left.length} more (${formatSigned(restSum)} in total)` : null;
  const description = shown.length
    ? `${title}: ${shown.map((entry) => `${entry.label} ${formatSigned(entry.value)} over ${entry.items} item${entry.items === 1 ? '' : 's'}`).join('; ')}${rest ? `; ${rest}` : ''}.`
    : `${title}: nothing to sum.`;
  return { ...layout, shown, rest, description };
}
