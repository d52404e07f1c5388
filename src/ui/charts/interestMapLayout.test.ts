import { describe, expect, it } from 'vitest';
import {
  highlightTooltip,
  type InterestMapInput,
  interestMapLayout,
  MAP_PADDING,
  type MapPointInput,
  mapCategoryColours,
} from './interestMapLayout';
import { CATEGORICAL, NO_CATEGORY_COLOUR, OTHER_COLOUR } from './palette';

const size = { width: 412, height: 312 };
// Plot 6..406 x 6..306; points inside MAP_PADDING: x 16..396, y 296 (min) .. 16 (max).

function point(itemId: string, x: number, y: number, categories: string[] = []): MapPointInput {
  return { itemId, title: `Title ${itemId}`, categories, x, y };
}

function input(overrides: Partial<InterestMapInput> = {}): InterestMapInput {
  return {
    points: [
      point('a', -2, 10, ['Drama']),
      point('b', 2, 30, ['Comedy', 'Drama']),
      point('c', 0, 20, ['Drama']),
      point('d', 1, 25),
    ],
    highlights: [],
    categories: ['Comedy', 'Drama'],
    ...overrides,
  };
}

describe('interestMapLayout', () => {
  it('maps the extent to the padded edges of the plot (y up)', () => {
    const layout = interestMapLayout(input(), size);
    const { plot } = layout;
    expect(layout.empty).toBe(false);
    expect(layout.xDomain).toEqual([-2, 2]);
    expect(layout.yDomain).toEqual([10, 30]);
    const [a, b, c] = layout.points;
    expect([a.x, a.y]).toEqual([plot.left + MAP_PADDING, plot.bottom - MAP_PADDING]);
    expect([b.x, b.y]).toEqual([plot.right - MAP_PADDING, plot.top + MAP_PADDING]);
    expect([c.x, c.y]).toEqual([206, 156]);
    expect(layout.points.map((p) => p.itemId)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a single point (or all equal) lands in the middle', () => {
    const layout = interestMapLayout(input({ points: [point('a', 5, 5), point('b', 5, 5)] }), size);
    expect(layout.points.map((p) => [p.x, p.y])).toEqual([
      [206, 156],
      [206, 156],
    ]);
  });

  it('colours points by their first category; uncategorised get their own grey', () => {
    const layout = interestMapLayout(input(), size);
    // Drama is the first category of 2 points, Comedy of 1.
    expect(layout.points.map((p) => p.colour)).toEqual([
      CATEGORICAL[0],
      CATEGORICAL[1],
      CATEGORICAL[0],
      NO_CATEGORY_COLOUR,
    ]);
    expect(layout.legend.map((e) => e.label)).toEqual(['Comedy', 'Drama', 'no category']);
  });

  it('the top categories by item count get the palette, the rest OTHER_COLOUR', () => {
    const points: MapPointInput[] = [];
    // Category k has 20 - k items: c0 is the largest.
    for (let k = 0; k < 10; k++) {
      for (let j = 0; j < 20 - k; j++) points.push(point(`i${k}-${j}`, j, k, [`c${k}`]));
    }
    const layout = interestMapLayout(input({ points, categories: [] }), size);
    for (let k = 0; k < 10; k++) {
      expect(layout.colours.get(`c${k}`)).toBe(k < 7 ? CATEGORICAL[k] : OTHER_COLOUR);
    }
    const other = layout.legend.find((e) => e.kind === 'other');
    expect(other?.label).toBe('3 other categories');
    expect(layout.legend.filter((e) => e.kind === 'category')).toHaveLength(7);
    // One path per colour, the largest group first, one zero-length segment per point.
    expect(layout.pointGroups).toHaveLength(8);
    const counts = layout.pointGroups.map((g) => g.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const otherGroup = layout.pointGroups.find((g) => g.colour === OTHER_COLOUR);
    expect(otherGroup?.count).toBe(12 + 11 + 13);
    expect(otherGroup?.path.match(/h0/g)?.length).toBe(36);
  });

  it('colourOf recolours the palette categories, ties follow the legend order', () => {
    const { colours, ranked } = mapCategoryColours(
      [{ categories: ['b'] }, { categories: ['a'] }, { categories: [] }],
      ['b', 'a'],
      (c) => (c === 'a' ? '#aaaaaa' : '#bbbbbb'),
    );
    expect(ranked).toEqual(['b', 'a']);
    expect(colours.get('a')).toBe('#aaaaaa');
    expect(colours.get('b')).toBe('#bbbbbb');
  });

  it('legend lists coloured categories in the given order', () => {
    const layout = interestMapLayout(
      input({
        categories: ['Zebra', 'Drama', 'Comedy'],
        points: [
          point('a', 0, 0, ['Comedy']),
          point('b', 1, 1, ['Drama']),
          point('c', 2, 2, ['Drama']),
        ],
      }),
      size,
    );
    expect(layout.legend.map((e) => e.label)).toEqual(['Drama', 'Comedy']);
    expect(layout.height).toBeGreaterThan(size.height);
  });

  it('skips points with non-finite coordinates, counting them', () => {
    const layout = interestMapLayout(
      input({ points: [point('a', 0, 0), point('b', Number.NaN, 1), point('c', 1, 1)] }),
      size,
    );
    expect(layout.points.map((p) => p.itemId)).toEqual(['a', 'c']);
    expect(layout.skippedPoints).toBe(1);
  });

  it('highlights: shapes by role, merged per item, unknown ids skipped and counted', () => {
    const layout = interestMapLayout(
      input({
        highlights: [
          { itemId: 'a', role: 'history' },
          { itemId: 'c', role: 'history' },
          { itemId: 'c', role: 'recent' },
          { itemId: 'nope', role: 'recommended' },
          { itemId: 'b', role: 'recommended' },
          { itemId: 'd', role: 'explained' },
          { itemId: 'gone', role: 'history' },
        ],
      }),
      size,
    );
    expect(layout.skippedHighlights).toBe(2);
    expect(layout.highlights.map((h) => [h.itemId, h.role, h.shape])).toEqual([
      ['d', 'explained', 'star'],
      ['b', 'recommended', 'diamond'],
      ['c', 'recent', 'filled-ring'],
      ['a', 'history', 'ring'],
    ]);
    const c = layout.highlights[2];
    expect(c.roles).toEqual(['history', 'recent']);
    expect([c.x, c.y]).toEqual([layout.points[2].x, layout.points[2].y]);
    expect(c.colour).toBe(layout.points[2].colour);
    expect(c.tooltip).toBe('Title c (c) — Drama — in your history, one of your latest items');
    expect(layout.highlights[0].labelled).toBe(true);
    expect(layout.highlights[0].symbol.startsWith('M')).toBe(true);
    expect(layout.highlights[3].symbol).toBe('');
    expect(layout.roleCounts).toEqual({ history: 2, recent: 1, recommended: 1, explained: 1 });
    expect(layout.legend.map((e) => e.kind).slice(-4)).toEqual([
      'history',
      'recent',
      'recommended',
      'explained',
    ]);
  });

  it('labels near the right edge go to the left of the mark', () => {
    const layout = interestMapLayout(
      input({
        highlights: [
          { itemId: 'b', role: 'explained' },
          { itemId: 'a', role: 'recommended' },
        ],
      }),
      size,
    );
    const [b, a] = layout.highlights;
    expect(b.labelAnchor).toBe('end');
    expect(b.labelDx).toBeLessThan(0);
    expect(a.labelAnchor).toBe('start');
  });

  it('tooltips use the id when there is no title and say when there is no category', () => {
    expect(highlightTooltip({ itemId: 'i9', title: null, categories: [] }, ['recommended'])).toBe(
      'i9 — no category — recommended',
    );
    expect(
      highlightTooltip({ itemId: 'i9', title: 'Heat', categories: ['A', 'B'] }, ['explained']),
    ).toBe('Heat (i9) — A, B — explained');
  });

  it('empty input: no points, every highlight skipped, flagged empty', () => {
    const layout = interestMapLayout(
      input({ points: [], highlights: [{ itemId: 'a', role: 'history' }] }),
      size,
    );
    expect(layout.empty).toBe(true);
    expect(layout.points).toEqual([]);
    expect(layout.pointGroups).toEqual([]);
    expect(layout.highlights).toEqual([]);
    expect(layout.skippedHighlights).toBe(1);
    expect(layout.legend).toEqual([]);
  });

  it('lays out 20,000 points quickly, in a few paths', () => {
    const points: MapPointInput[] = [];
    for (let i = 0; i < 20_000; i++) {
      points.push(point(`i${i}`, Math.sin(i) * 50, Math.cos(i * 1.3) * 30, [`c${i % 12}`]));
    }
    const started = performance.now();
    const layout = interestMapLayout(input({ points, categories: [] }), size);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(layout.points).toHaveLength(20_000);
    expect(layout.pointGroups.length).toBe(8);
    let total = 0;
    for (const g of layout.pointGroups) total += g.count;
    expect(total).toBe(20_000);
  });
});
