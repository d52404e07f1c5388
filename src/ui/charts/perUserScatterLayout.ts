/**
 * Lays out a per-user scatter of two models' scores (x: model A, y: model B, both in [0, 1],
 * e.g. NDCG@10). Such scores are heavily discrete (0, or 1/log2(rank + 1)), so users with
 * identical (x, y) share one circle whose area grows with their count. The y = x diagonal
 * splits the users into "B better" (above), "A better" (below) and ties (on it), counted in
 * the corners. `pointsInBox` hit-tests a brush selection. Pure (no DOM): tested in Node.
 */
import { scaleLinear } from 'd3';
import { formatCount } from '../format';
import { type AxisTick, type PlotArea, plotArea, roundPixel as round } from './chartFrame';

export interface ScatterPoint {
  id: string;
  x: number;
  y: number;
}

export interface PerUserScatterOptions {
  width: number;
  /** Defaults to a square plot. */
  height?: number;
  /** Short names of the models in titles and corner counts (default "A" and "B"). */
  aName?: string;
  bName?: string;
}

export type ScatterSide = 'a' | 'b' | 'tie';

export interface ScatterGroup {
  /** `${x},${y}` of the shared values. */
  key: string;
  /** The shared scores. */
  x: number;
  y: number;
  cx: number;
  cy: number;
  r: number;
  count: number;
  /** The points' ids, in input order. */
  ids: string[];
  /** Which model scores higher: B above the diagonal, A below, tie on it. */
  side: ScatterSide;
  /** "12 users: A 0.63, B 0.00". */
  title: string;
}

export interface CornerCount {
  x: number;
  y: number;
  anchor: 'start' | 'end';
  text: string;
  count: number;
}

export interface PerUserScatterLayout {
  width: number;
  height: number;
  /** The plot frame (axes on its left and bottom edges). */
  plot: PlotArea;
  /** Largest group first, so smaller circles are drawn on top. */
  groups: ScatterGroup[];
  xTicks: AxisTick[];
  yTicks: AxisTick[];
  /** The y = x line from (0, 0) to (1, 1). */
  diagonal: { x1: number; y1: number; x2: number; y2: number };
  counts: { a: number; b: number; tie: number };
  corners: { b: CornerCount; a: CornerCount; tie: CornerCount };
  /** Points drawn (users with finite scores). */
  pointCount: number;
  /** Points left out for a non-finite score. */
  skipped: number;
  maxCount: number;
  empty: boolean;
}

export const MIN_RADIUS = 3;
export const MAX_RADIUS = 16;
const MARGIN = { top: 12, right: 14, bottom: 44, left: 52 };

/** "12 users: A 0.63, B 0.00" (scores to 2 decimals). */
export function groupTitle(count: number, x: number, y: number, aName = 'A', bName = 'B'): string {
  const users = count === 1 ? 'user' : 'users';
  return `${formatCount(count)} ${users}: ${aName} ${x.toFixed(2)}, ${bName} ${y.toFixed(2)}`;
}

/**
 * A circle's radius, its area proportional to `count`: a user is worth MIN_RADIUS unless that
 * would make the largest group (`maxCount`) wider than MAX_RADIUS, when the largest group gets
 * MAX_RADIUS instead; small groups never go below MIN_RADIUS.
 */
export function groupRadius(count: number, maxCount: number): number {
  const perUser = Math.min(MIN_RADIUS, MAX_RADIUS / Math.sqrt(Math.max(1, maxCount)));
  return round(Math.max(MIN_RADIUS, Math.min(MAX_RADIUS, perUser * Math.sqrt(count))));
}

const clamp01 = (v: number) => Math.max(0, Math.min(1, v));

/**
 * Groups `points` with identical (x, y) into circles on 0..1 axes (positions clamp to the
 * axes; the scores in titles and sides stay as given), and counts users per side of y = x.
 * Points with a non-finite score are skipped.
 */
export function perUserScatterLayout(
  points: readonly ScatterPoint[],
  options: PerUserScatterOptions,
): PerUserScatterLayout {
  const { width, aName = 'A', bName = 'B' } = options;
  const height = options.height ?? width - MARGIN.left - MARGIN.right + MARGIN.top + MARGIN.bottom;
  const plot = plotArea(width, height, MARGIN);
  // Inset the 0..1 range by the largest radius, so circles on the edges stay inside the frame.
  const x = scaleLinear()
    .domain([0, 1])
    .range([plot.left + MAX_RADIUS, Math.max(plot.left + MAX_RADIUS, plot.right - MAX_RADIUS)]);
  const y = scaleLinear()
    .domain([0, 1])
    .range([Math.max(plot.top + MAX_RADIUS, plot.bottom - MAX_RADIUS), plot.top + MAX_RADIUS]);

  const byKey = new Map<string, ScatterGroup>();
  const counts = { a: 0, b: 0, tie: 0 };
  let skipped = 0;
  let maxCount = 0;
  for (const point of points) {
    if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) {
      skipped++;
      continue;
    }
    const side: ScatterSide = point.y > point.x ? 'b' : point.y < point.x ? 'a' : 'tie';
    counts[side]++;
    const key = `${point.x},${point.y}`;
    let group = byKey.get(key);
    if (!group) {
      group = {
        key,
        x: point.x,
        y: point.y,
        cx: round(x(clamp01(point.x))),
        cy: round(y(clamp01(point.y))),
        r: MIN_RADIUS,
        count: 0,
        ids: [],
        side,
        title: '',
      };
      byKey.set(key, group);
    }
    group.count++;
    group.ids.push(point.id);
    if (group.count > maxCount) maxCount = group.count;
  }
  const groups = [...byKey.values()];
  for (const group of groups) {
    group.r = groupRadius(group.count, maxCount);
    group.title = groupTitle(group.count, group.x, group.y, aName, bName);
  }
  groups.sort((p, q) => q.count - p.count);

  const format = x.tickFormat(5);
  const xTicks = x.ticks(5).map((t) => ({ position: round(x(t)), label: format(t) }));
  const yTicks = y.ticks(5).map((t) => ({ position: round(y(t)), label: format(t) }));
  const pointCount = points.length - skipped;
  const cornerText = (label: string, n: number) => `${label}: ${formatCount(n)}`;
  return {
    width,
    height,
    plot,
    groups,
    xTicks,
    yTicks,
    diagonal: { x1: round(x(0)), y1: round(y(0)), x2: round(x(1)), y2: round(y(1)) },
    counts,
    corners: {
      // In bands NDCG@10 never takes: between 0 and 1/log2(11) ≈ 0.29, and between
      // 1/log2(3) ≈ 0.63 and 1, clear of the x = 0 column and the y = 0 row.
      b: {
        x: round(x(0) + MAX_RADIUS + 6),
        y: round(y(0.82) + 4),
        anchor: 'start',
        text: cornerText(`${bName} better`, counts.b),
        count: counts.b,
      },
      a: {
        x: round(x(1)),
        y: round(y(0) - MAX_RADIUS - 6),
        anchor: 'end',
        text: cornerText(`${aName} better`, counts.a),
        count: counts.a,
      },
      tie: {
        x: round(x(1) - MAX_RADIUS - 6),
        y: round(y(1) + 4),
        anchor: 'end',
        text: cornerText('tie', counts.tie),
        count: counts.tie,
      },
    },
    pointCount,
    skipped,
    maxCount,
    empty: pointCount === 0,
  };
}

type Box = readonly [readonly [number, number], readonly [number, number]];

/**
 * The groups whose circle's centre lies inside `box` (two opposite corners in the chart's
 * pixels, in any order, edges included), in drawing order.
 */
export function groupsInBox(
  layout: Pick<PerUserScatterLayout, 'groups'>,
  box: Box,
): ScatterGroup[] {
  const [[ax, ay], [bx, by]] = box;
  const x0 = Math.min(ax, bx);
  const x1 = Math.max(ax, bx);
  const y0 = Math.min(ay, by);
  const y1 = Math.max(ay, by);
  return layout.groups.filter(
    (group) => group.cx >= x0 && group.cx <= x1 && group.cy >= y0 && group.cy <= y1,
  );
}

/** The ids of every point whose group lies inside `box` (see {@link groupsInBox}). */
export function pointsInBox(layout: Pick<PerUserScatterLayout, 'groups'>, box: Box): string[] {
  const ids: string[] = [];
  for (const group of groupsInBox(layout, box)) {
    for (const id of group.ids) ids.push(id);
  }
  return ids;
}

/** The ids of every point on one side of the diagonal (a keyboard alternative to brushing). */
export function pointsOnSide(
  layout: Pick<PerUserScatterLayout, 'groups'>,
  side: ScatterSide,
): string[] {
  const ids: string[] = [];
  for (const group of layout.groups) {
    if (group.side === side) for (const id of group.ids) ids.push(id);
  }
  return ids;
}
