/**
 * The ranked attribution list of one method: history items ordered by |value| (ties: the more
 * recent first), cut to a limit, as signed bars with the title, categories and position as
 * text. Pure: tested in Node.
 */
import { formatSigned } from './palette';
import { type SignedBarInput, type SignedBarsLayout, signedBarsLayout } from './signedBarsLayout';

export interface AttributionBarItem {
  itemId: string;
  title: string | null;
  categories: string[];
  position: number;
  value: number;
}

export interface AttributionBarsLayout extends SignedBarsLayout {
  /** The items drawn, in rank order (parallel to `bars`). */
  ranked: AttributionBarItem[];
  /** Items left out by the limit. */
  hidden: number;
  description: string;
}

/** `items` by |value|, largest first; ties (and NaN) go to the more recent item. */
export function rankByMagnitude<T extends { value: number; position: number }>(
  items: readonly T[],
): T[] {
  const size = (v: number) => (Number.isFinite(v) ? Math.abs(v) : -1);
  return [...items].sort((a, b) => size(b.value) - size(a.value) || b.position - a.position);
}

/** The ranked bars of `method`'s attributions: the `limit` largest |values|, signed. */
export function attributionBarsLayout(
  method: string,
  unit: string,
  items: readonly AttributionBarItem[],
  options: { width: number; limit: number },
): AttributionBarsLayout {
  const ranked = rankByMagnitude(items).slice(0, Math.max(0, options.limit));
  const rows: SignedBarInput[] = ranked.map((item, k) => ({
    key: String(item.position),
    label: `${k + 1}. ${item.title ?? item.itemId}`,
    detail: `${item.categories.length ? item.categories.join(', ') : 'no category'} · #${item.position}`,
    value: item.value,
  }));
  const layout = signedBarsLayout(rows, { width: options.width, labelWidth: 210 });
  const hidden = items.length - ranked.length;
  const listed = ranked
    .slice(0, 5)
    .map((item, k) => `${k + 1}. ${item.title ?? item.itemId} ${formatSigned(item.value)}`)
    .join('; ');
  const description = ranked.length
    ? `${method} attributions (${unit}) of ${items.length} history item${items.length === 1 ? '' : 's'}, largest |value| first: ${listed}${ranked.length > 5 ? '; …' : ''}.`
    : `No ${method} attributions.`;
  return { ...layout, ranked, hidden, description };
}
