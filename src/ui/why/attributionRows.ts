/**
 * The report in the shapes the charts take: the read history as timeline items, one strip row
 * per method that ran, and one method's attributions with their items' titles and categories.
 * Pure: tested in Node.
 */
import type { ExplanationReport, ReportMethod } from '../../core/explain/report';
import type { TimelineItem } from '../../worker/api';
import type { AttributionBarItem } from '../charts/attributionBarsLayout';
import type { AttributionRow } from '../charts/attributionStripLayout';

type Methods = ExplanationReport['methods'];
type OkMethod = Extract<ReportMethod, { status: 'ok' }>;

/** The methods that ran (status `ok`), in the report's order. */
export function okMethods(methods: Methods): OkMethod[] {
  return Object.values(methods).filter((m): m is OkMethod => m?.status === 'ok');
}

/** The report's read history as timeline items (all read; times parsed from ISO 8601). */
export function readTimelineItems(report: Pick<ExplanationReport, 'history'>): TimelineItem[] {
  return report.history.map((h) => {
    const time = h.time === null ? Number.NaN : Date.parse(h.time);
    return {
      itemId: h.item,
      title: h.title,
      categories: h.categories,
      time: Number.isFinite(time) ? time : null,
      position: h.position,
      read: true,
    };
  });
}

/** One heat-strip row per method that ran: attribution per history position. */
export function attributionRows(methods: Methods): AttributionRow[] {
  return okMethods(methods).map((m) => ({
    method: m.method,
    unit: m.unit,
    values: new Map(m.attributions.map((a) => [a.position, a.value])),
  }));
}

/** `method`'s attributions with each item's title and categories (empty when it did not run). */
export function attributionBarItems(
  report: Pick<ExplanationReport, 'methods' | 'history'>,
  method: string,
): AttributionBarItem[] {
  const result = report.methods[method as keyof Methods];
  if (result?.status !== 'ok') return [];
  const byPosition = new Map(report.history.map((h) => [h.position, h]));
  return result.attributions.map((a) => {
    const h = byPosition.get(a.position);
    return {
      itemId: a.item,
      title: h?.title ?? null,
      categories: h?.categories ?? [],
      position: a.position,
      value: a.value,
    };
  });
}
