/**
 * Lays out the interest map: a model's item embeddings projected to 2-D, the catalogue as small
 * faint dots coloured by each item's first category (the most frequent categories get the
 * palette, the rest one grey, items without a category a lighter grey), and the user's items on
 * top, each role with its own shape: history a ring, the latest items a filled ring, the
 * recommendations a diamond, the explained item a labelled star. An item given several roles is
 * drawn once, with the shape of its strongest role (explained > recommended > recent > history)
 * and every role in its title.
 *
 * Up to ~20k catalogue points: they come back grouped by colour as one path each (a zero-length
 * segment per point, drawn with a round cap), so the page draws a handful of elements, not 20k.
 * Pure (no DOM): tested in Node; `InterestMap` renders what it returns and zooms it.
 */
import { scaleLinear, symbol, symbolDiamond, symbolStar } from 'd3';
import { type PlotArea, roundPixel as round } from './chartFrame';
import { legendLayout, type Placed } from './legendLayout';
import { CATEGORICAL, NO_CATEGORY_COLOUR, OTHER_COLOUR, textWidth, truncateText } from './palette';

export type HighlightRole = 'history' | 'recent' | 'recommended' | 'explained';

export interface MapPointInput {
  itemId: string;
  title: string | null;
  categories: readonly string[];
  x: number;
  y: number;
}

export interface MapHighlightInput {
  itemId: string;
  role: HighlightRole;
}

export interface InterestMapInput {
  /** The catalogue (projected items); points with a non-finite coordinate are skipped. */
  points: readonly MapPointInput[];
  highlights: readonly MapHighlightInput[];
  /** Legend order of the categories. */
  categories: readonly string[];
  /** A category's colour (default: the palette by item count). */
  colourOf?: (category: string) => string;
}

export interface InterestMapOptions {
  width: number;
  /** Height above the legend (the plot); the legend's rows come below it. */
  height?: number;
}

export interface MapPoint {
  /** Pixel coordinates (before any zoom). */
  x: number;
  y: number;
  colour: string;
  itemId: string;
}

/** The catalogue points of one colour, as one path of zero-length segments. */
export interface MapPointGroup {
  colour: string;
  count: number;
  path: string;
}

export type MapShape = 'ring' | 'filled-ring' | 'diamond' | 'star';

export interface MapHighlight {
  itemId: string;
  /** The strongest role (it decides the shape). */
  role: HighlightRole;
  /** Every role given for the item, in role order (history, recent, recommended, explained). */
  roles: HighlightRole[];
  /** Pixel coordinates (before any zoom). */
  x: number;
  y: number;
  /** The item's category colour (the fill of filled shapes). */
  colour: string;
  shape: MapShape;
  /** Radius of the ring shapes, and about the half-size of the others. */
  radius: number;
  /** The diamond or star, centred on 0,0; '' for rings. */
  symbol: string;
  /** The title, or the id when there is none. */
  name: string;
  /** `name` cut to fit beside the mark. */
  label: string;
  /** Where the label goes, relative to the mark. */
  labelDx: number;
  labelAnchor: 'start' | 'end';
  /** The explained item's label is always shown; the others on focus or hover. */
  labelled: boolean;
  /** "Title (id) — Category A, Category B — in your history, recommended". */
  tooltip: string;
}

export type MapLegendEntry = {
  kind: 'category' | 'other' | 'none' | HighlightRole;
  key: string;
  label: string;
  fullLabel: string;
  colour: string;
};

export interface InterestMapLayout {
  width: number;
  /** Total height, legend included. */
  height: number;
  plot: PlotArea;
  points: MapPoint[];
  /** Largest group first (small categories are drawn on top). */
  pointGroups: MapPointGroup[];
  /** Strongest role first (explained, recommended, recent, history): the focus order. */
  highlights: MapHighlight[];
  legend: Placed<MapLegendEntry>[];
  /** The data extents the scales map (before padding). */
  xDomain: [number, number];
  yDomain: [number, number];
  /** Colour per category that has a point as its first category. */
  colours: Map<string, string>;
  /** Items drawn per role (an item counts once per role). */
  roleCounts: Record<HighlightRole, number>;
  /** Points left out for a non-finite coordinate. */
  skippedPoints: number;
  /** Highlights left out: their item is not on the map. */
  skippedHighlights: number;
  empty: boolean;
}

export const MAP_WIDTH = 560;
export const MAP_HEIGHT = 400;
/** Pixels between the points' extent and the plot's edges. */
export const MAP_PADDING = 10;
/** Radius of a catalogue point. */
export const POINT_RADIUS = 2;
const MARGIN = { top: 6, right: 6, bottom: 6, left: 6 };

export const ROLES: readonly HighlightRole[] = ['history', 'recent', 'recommended', 'explained'];
const ROLE_TEXT: Record<HighlightRole, string> = {
  history: 'in your history',
  recent: 'one of your latest items',
  recommended: 'recommended',
  explained: 'explained',
};
const ROLE_KEY: Record<HighlightRole, string> = {
  history: 'your history (ring)',
  recent: 'your latest items (filled ring)',
  recommended: 'recommended (diamond)',
  explained: 'explained (star)',
};
const SHAPES: Record<HighlightRole, MapShape> = {
  history: 'ring',
  recent: 'filled-ring',
  recommended: 'diamond',
  explained: 'star',
};
const RADIUS: Record<HighlightRole, number> = {
  history: 4.5,
  recent: 4.5,
  recommended: 6,
  explained: 9,
};

/** The symbol path of a role's shape at its size, centred on 0,0; '' for the rings. */
export function roleSymbol(role: HighlightRole, scale = 1): string {
  if (role === 'recommended') return symbol(symbolDiamond, 90 * scale * scale)() ?? '';
  if (role === 'explained') return symbol(symbolStar, 230 * scale * scale)() ?? '';
  return '';
}

/** "Title (id) — Category A, Category B — in your history, recommended". */
export function highlightTooltip(
  point: Pick<MapPointInput, 'itemId' | 'title' | 'categories'>,
  roles: readonly HighlightRole[],
): string {
  const name = point.title?.trim() ? `${point.title} (${point.itemId})` : point.itemId;
  const categories = point.categories.length ? point.categories.join(', ') : 'no category';
  return `${name} — ${categories} — ${roles.map((r) => ROLE_TEXT[r]).join(', ')}`;
}

/**
 * A colour per first category: the palette (or `colourOf`) for the most frequent ones (as many
 * as the palette has colours; ties by legend order, then name), OTHER_COLOUR for the rest.
 */
export function mapCategoryColours(
  points: readonly Pick<MapPointInput, 'categories'>[],
  legendOrder: readonly string[],
  colourOf?: (category: string) => string,
): { colours: Map<string, string>; counts: Map<string, number>; ranked: string[] } {
  const counts = new Map<string, number>();
  for (const point of points) {
    const first = point.categories[0];
    if (first !== undefined) counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  const order = new Map(legendOrder.map((c, k) => [c, k]));
  const rank = (c: string) => order.get(c) ?? Number.POSITIVE_INFINITY;
  const ranked = [...counts.keys()].sort(
    (a, b) =>
      (counts.get(b) ?? 0) - (counts.get(a) ?? 0) ||
      rank(a) - rank(b) ||
      (a < b ? -1 : a > b ? 1 : 0),
  );
  const colours = new Map(
    ranked.map((c, k): [string, string] => [
      c,
      k < CATEGORICAL.length ? (colourOf?.(c) ?? CATEGORICAL[k]) : OTHER_COLOUR,
    ]),
  );
  return { colours, counts, ranked };
}

/** The map of `input` in a `width` x `height` plot (see the module comment). */
export function interestMapLayout(
  input: InterestMapInput,
  options: InterestMapOptions,
): InterestMapLayout {
  const { width } = options;
  const baseHeight = options.height ?? MAP_HEIGHT;
  const plot: PlotArea = {
    left: MARGIN.left,
    top: MARGIN.top,
    right: Math.max(MARGIN.left, width - MARGIN.right),
    bottom: Math.max(MARGIN.top, baseHeight - MARGIN.bottom),
  };

  // Extent of the finite points (a loop: no spreading 20k values into Math.min).
  const valid: MapPointInput[] = [];
  let x0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const point of input.points) {
    if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) continue;
    valid.push(point);
    if (point.x < x0) x0 = point.x;
    if (point.x > x1) x1 = point.x;
    if (point.y < y0) y0 = point.y;
    if (point.y > y1) y1 = point.y;
  }
  const skippedPoints = input.points.length - valid.length;
  const empty = valid.length === 0;
  const xDomain: [number, number] = empty ? [0, 1] : [x0, x1];
  const yDomain: [number, number] = empty ? [0, 1] : [y0, y1];
  const widen = ([a, b]: [number, number]): [number, number] => (a === b ? [a - 1, b + 1] : [a, b]);
  const pad = Math.min(MAP_PADDING, (plot.right - plot.left) / 4, (plot.bottom - plot.top) / 4);
  const xScale = scaleLinear()
    .domain(widen(xDomain))
    .range([plot.left + pad, plot.right - pad]);
  const yScale = scaleLinear()
    .domain(widen(yDomain))
    .range([plot.bottom - pad, plot.top + pad]);

  const { colours, ranked } = mapCategoryColours(valid, input.categories, input.colourOf);
  const colourOfPoint = (point: Pick<MapPointInput, 'categories'>) => {
    const first = point.categories[0];
    return first === undefined ? NO_CATEGORY_COLOUR : (colours.get(first) ?? OTHER_COLOUR);
  };

  const points: MapPoint[] = new Array(valid.length);
  const byId = new Map<string, { point: MapPointInput; at: MapPoint }>();
  const parts = new Map<string, string[]>();
  for (let i = 0; i < valid.length; i++) {
    const point = valid[i];
    const at: MapPoint = {
      x: round(xScale(point.x)),
      y: round(yScale(point.y)),
      colour: colourOfPoint(point),
      itemId: point.itemId,
    };
    points[i] = at;
    if (!byId.has(point.itemId)) byId.set(point.itemId, { point, at });
    let list = parts.get(at.colour);
    if (!list) {
      list = [];
      parts.set(at.colour, list);
    }
    list.push(`M${at.x},${at.y}h0`);
  }
  const pointGroups = [...parts.entries()]
    .map(([colour, list]) => ({ colour, count: list.length, path: list.join('') }))
    .sort((a, b) => b.count - a.count);

  // Highlights: one per item, its roles merged; unknown items skipped and counted.
  const rolesById = new Map<string, Set<HighlightRole>>();
  let skippedHighlights = 0;
  for (const h of input.highlights) {
    if (!byId.has(h.itemId) || !ROLES.includes(h.role)) {
      skippedHighlights++;
      continue;
    }
    let roles = rolesById.get(h.itemId);
    if (!roles) {
      roles = new Set();
      rolesById.set(h.itemId, roles);
    }
    roles.add(h.role);
  }
  const roleCounts: Record<HighlightRole, number> = {
    history: 0,
    recent: 0,
    recommended: 0,
    explained: 0,
  };
  const highlights: MapHighlight[] = [];
  for (const [itemId, set] of rolesById) {
    const found = byId.get(itemId);
    if (!found) continue;
    const roles = ROLES.filter((r) => set.has(r));
    for (const r of roles) roleCounts[r]++;
    const role = roles[roles.length - 1];
    const { point, at } = found;
    const name = point.title?.trim() ? point.title : point.itemId;
    const radius = RADIUS[role];
    const label = truncateText(name, 160);
    const right = at.x + radius + 4 + textWidth(label) > plot.right;
    highlights.push({
      itemId,
      role,
      roles,
      x: at.x,
      y: at.y,
      colour: at.colour,
      shape: SHAPES[role],
      radius,
      symbol: roleSymbol(role),
      name,
      label,
      labelDx: right ? -(radius + 4) : radius + 4,
      labelAnchor: right ? 'end' : 'start',
      labelled: role === 'explained',
      tooltip: highlightTooltip(point, roles),
    });
  }
  // Strongest role first; within a role, input order (a stable sort).
  highlights.sort((a, b) => ROLES.indexOf(b.role) - ROLES.indexOf(a.role));

  // Legend: the coloured categories in legend order, then "other", "no category", the roles.
  const entries: MapLegendEntry[] = [];
  const order = new Map(input.categories.map((c, k) => [c, k]));
  const named = ranked
    .filter((c) => colours.get(c) !== OTHER_COLOUR)
    .sort(
      (a, b) =>
        (order.get(a) ?? Number.POSITIVE_INFINITY) - (order.get(b) ?? Number.POSITIVE_INFINITY),
    );
  for (const c of named) {
    entries.push({
      kind: 'category',
      key: `c:${c}`,
      label: truncateText(c, 120),
      fullLabel: c,
      colour: colours.get(c) ?? OTHER_COLOUR,
    });
  }
  const others = ranked.length - named.length;
  if (others > 0) {
    const label = `${others} other categor${others === 1 ? 'y' : 'ies'}`;
    entries.push({ kind: 'other', key: 'other', label, fullLabel: label, colour: OTHER_COLOUR });
  }
  if (valid.some((p) => p.categories.length === 0)) {
    entries.push({
      kind: 'none',
      key: 'none',
      label: 'no category',
      fullLabel: 'no category',
      colour: NO_CATEGORY_COLOUR,
    });
  }
  for (const role of ROLES) {
    if (roleCounts[role] > 0) {
      entries.push({
        kind: role,
        key: `r:${role}`,
        label: ROLE_KEY[role],
        fullLabel: ROLE_KEY[role],
        colour: '#1d2330',
      });
    }
  }
  const legend = legendLayout(entries, {
    left: plot.left + 2,
    right: plot.right,
    top: baseHeight + 12,
    gap: 20,
  });

  return {
    width,
    height: Math.ceil(Math.max(baseHeight, legend.bottom) + 8),
    plot,
    points,
    pointGroups,
    highlights,
    legend: legend.entries,
    xDomain,
    yDomain,
    colours,
    roleCounts,
    skippedPoints,
    skippedHighlights,
    empty,
  };
}
