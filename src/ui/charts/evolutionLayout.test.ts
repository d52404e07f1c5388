import { describe, expect, it } from 'vitest';
import {
  type EvolutionLayoutInput,
  type EvolutionWindowInput,
  evolutionLayout,
  windowAt,
  windowLabel,
  windowsInRange,
} from './evolutionLayout';
import { CATEGORICAL, OTHER_COLOUR } from './palette';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 6);

function win(i: number, distribution: number[], events = 10): EvolutionWindowInput {
  return { start: T0 + i * 7 * DAY, end: T0 + (i + 1) * 7 * DAY, events, distribution };
}

const size = { width: 446, height: 260 };

function input(overrides: Partial<EvolutionLayoutInput> = {}): EvolutionLayoutInput {
  return {
    windows: [win(0, [0.5, 0.3, 0.2]), win(1, [0.2, 0.6, 0.2]), win(2, [0.1, 0.7, 0.2])],
    categories: ['Drama', 'Comedy', 'Horror'],
    unit: 'week',
    changePoints: [],
    drift: [],
    forecast: null,
    ...overrides,
  };
}

/** The top of the stack (smallest y) per non-empty column. */
function stackTops(layout: ReturnType<typeof evolutionLayout>): number[] {
  return layout.columns.filter((c) => !c.empty).map((c) => c.segments[c.segments.length - 1].y1);
}

describe('evolutionLayout', () => {
  it('empty input: no series, no columns, flagged empty', () => {
    const layout = evolutionLayout(input({ windows: [] }), size);
    expect(layout.empty).toBe(true);
    expect(layout.series).toEqual([]);
    expect(layout.columns).toEqual([]);
    expect(layout.xTicks).toEqual([]);
    expect(layout.forecastColumn).toBeNull();
    expect(layout.windowCount).toBe(0);
    expect(windowsInRange(layout, [0, 1000])).toBeNull();
  });

  it('stacks every non-empty window to the full plot height, segments contiguous', () => {
    const layout = evolutionLayout(input(), size);
    const { plot } = layout;
    expect(layout.empty).toBe(false);
    for (const col of layout.columns) {
      expect(col.segments[0].y0).toBe(plot.bottom);
      expect(col.segments[col.segments.length - 1].y1).toBe(plot.top);
      for (let s = 1; s < col.segments.length; s++) {
        expect(col.segments[s].y0).toBe(col.segments[s - 1].y1);
      }
      let sum = 0;
      for (const seg of col.segments) sum += seg.share;
      expect(sum).toBeCloseTo(1, 10);
    }
  });

  it('normalises windows whose distribution does not sum to 1', () => {
    const layout = evolutionLayout(
      input({ windows: [win(0, [2, 2, 0]), win(1, [0, 0, 5])] }),
      size,
    );
    expect(stackTops(layout)).toEqual([layout.plot.top, layout.plot.top]);
    // Horror (total 1) stacks first, then Drama and Comedy (0.5 each, input order).
    expect(layout.series.map((s) => s.category)).toEqual(['Horror', 'Drama', 'Comedy']);
    expect(layout.columns[0].segments.map((s) => s.share)).toEqual([0, 0.5, 0.5]);
  });

  it('orders series by total share, largest at the bottom, palette colours in order', () => {
    const layout = evolutionLayout(input(), size);
    expect(layout.series.map((s) => s.category)).toEqual(['Comedy', 'Drama', 'Horror']);
    expect(layout.series.map((s) => s.total)).toEqual([
      expect.closeTo(1.6),
      expect.closeTo(0.8),
      expect.closeTo(0.6),
    ]);
    expect(layout.series[0].meanShare).toBeCloseTo(1.6 / 3);
    expect(layout.series.map((s) => s.colour)).toEqual(CATEGORICAL.slice(0, 3));
    expect(layout.legend.map((e) => e.label)).toEqual(['Comedy', 'Drama', 'Horror']);
    // Comedy is the bottom segment of every column.
    expect(layout.columns[0].segments[0].category).toBe('Comedy');
    for (const s of layout.series) expect(s.path.startsWith('M')).toBe(true);
  });

  it('colourOf overrides the palette for named series, never for "other"', () => {
    const layout = evolutionLayout(
      input({ maxSeries: 2, colourOf: (c) => (c === 'Comedy' ? '#123456' : '#abcdef') }),
      size,
    );
    expect(layout.series.map((s) => s.colour)).toEqual(['#123456', '#abcdef', OTHER_COLOUR]);
  });

  it('merges the tail beyond maxSeries into "other", whose total is the merged total', () => {
    const categories = ['a', 'b', 'c', 'd', 'e'];
    const windows = [win(0, [0.4, 0.3, 0.15, 0.1, 0.05]), win(1, [0.3, 0.4, 0.1, 0.15, 0.05])];
    const layout = evolutionLayout(input({ categories, windows, maxSeries: 2 }), size);
    expect(layout.series.map((s) => s.key)).toEqual(['c:a', 'c:b', 'other']);
    const other = layout.series[2];
    expect(other.isOther).toBe(true);
    expect(other.members).toEqual(['c', 'd', 'e']);
    expect(other.colour).toBe(OTHER_COLOUR);
    expect(other.total).toBeCloseTo(0.25 + 0.25 + 0.1);
    expect(layout.columns[0].segments[2].share).toBeCloseTo(0.3);
    expect(layout.legend[2].fullLabel).toBe('other (3 categories)');
    expect(stackTops(layout)).toEqual([layout.plot.top, layout.plot.top]);
  });

  it('drops categories that never occur', () => {
    const layout = evolutionLayout(input({ windows: [win(0, [1, 0, 0])] }), size);
    expect(layout.series.map((s) => s.category)).toEqual(['Drama']);
  });

  it('empty windows are gaps: no segments, hatched, each path split into runs', () => {
    const windows = [
      win(0, [1, 0, 0]),
      win(1, [0, 0, 0], 0),
      win(2, [0, 1, 0]),
      win(3, [0, 0, 0], 4), // events, but none with a category
      win(4, [0.5, 0.5, 0]),
    ];
    const layout = evolutionLayout(input({ windows }), size);
    expect(layout.columns.map((c) => c.empty)).toEqual([false, true, false, true, false]);
    expect(layout.gaps.map((g) => [g.index, g.reason])).toEqual([
      [1, 'no events'],
      [3, 'no categorised events'],
    ]);
    expect(layout.columns[1].segments).toEqual([]);
    for (const s of layout.series) expect(s.path.match(/M/g)?.length).toBe(3);
    // A run starts at its column's left edge and stops at its right edge.
    const drama = layout.series.find((s) => s.category === 'Drama');
    expect(drama?.path.startsWith(`M${layout.columns[0].x0},`)).toBe(true);
    expect(drama?.path).toContain(`M${layout.columns[2].x0},`);
    expect(layout.columns[1].summary).toBe('week of 2025-01-13 · no events');
    expect(layout.columns[3].summary).toContain('none with a category');
    expect(layout.note).toContain('2 windows without categorised events are left as hatched gaps');
    expect(layout.legend.some((e) => e.kind === 'gap')).toBe(true);
  });

  it('all windows empty: flagged empty, but columns and ticks remain', () => {
    const layout = evolutionLayout(input({ windows: [win(0, [0, 0, 0], 0)] }), size);
    expect(layout.empty).toBe(true);
    expect(layout.series).toEqual([]);
    expect(layout.columns).toHaveLength(1);
  });

  it('lays out equal columns across the plot, ticks at their centres', () => {
    const layout = evolutionLayout(input(), size);
    // Plot 46..432: 3 columns of 128.67 px.
    expect(layout.columns.map((c) => [c.x0, c.x1])).toEqual([
      [46, 174.67],
      [174.67, 303.33],
      [303.33, 432],
    ]);
    expect(layout.xTicks.map((t) => t.position)).toEqual(layout.columns.map((c) => c.cx));
    expect(layout.yTicks.map((t) => t.label)).toEqual(['0%', '25%', '50%', '75%', '100%']);
    expect(layout.yTicks[0].position).toBe(layout.plot.bottom);
    expect(layout.yTicks[4].position).toBe(layout.plot.top);
  });

  it('thins tick labels that would overlap', () => {
    const windows = Array.from({ length: 40 }, (_, i) => win(i, [1, 0, 0]));
    const layout = evolutionLayout(input({ windows }), size);
    expect(layout.xTicks.length).toBeLessThan(40);
    expect(layout.xTicks[0].label).toBe('2025-01-06');
    const gap = layout.xTicks[1].position - layout.xTicks[0].position;
    expect(gap).toBeGreaterThanOrEqual(62);
  });

  it('places change points at the left edge of their window, skipping invalid indices', () => {
    const layout = evolutionLayout(
      input({ changePoints: [2, 1, 7, -1, 1.5], drift: [0, 0.2, 0.61] }),
      size,
    );
    expect(layout.changePointMarks.map((m) => [m.index, m.x])).toEqual([
      [1, layout.columns[1].x0],
      [2, layout.columns[2].x0],
    ]);
    expect(layout.changePointMarks[0].y1).toBe(layout.plot.top);
    expect(layout.changePointMarks[0].y2).toBe(layout.plot.bottom);
    expect(layout.changePointMarks[1].title).toBe(
      'change point: week of 2025-01-20, drift 0.61 bits',
    );
  });

  it('draws drift in a strip under the axis, split at empty windows', () => {
    const windows = [win(0, [1, 0, 0]), win(1, [0, 0, 0], 0), win(2, [0, 1, 0]), win(3, [0, 1, 0])];
    const layout = evolutionLayout(input({ windows, drift: [0, 0, 1, 0.5] }), size);
    const strip = layout.driftStrip;
    expect(strip).not.toBeNull();
    expect(strip?.top).toBeGreaterThan(layout.xLabelY);
    expect(strip?.bottom).toBeLessThanOrEqual(size.height);
    // Window 0 alone (a point), then windows 2-3 as a line.
    expect(strip?.path.match(/M/g)?.length).toBe(2);
    expect(strip?.path).toContain(`${layout.columns[2].cx},${strip?.top}`);
    expect(evolutionLayout(input(), size).driftStrip).toBeNull();
  });

  it('adds a forecast column only when a forecast is given, stacked to the full height', () => {
    const without = evolutionLayout(input(), size);
    expect(without.forecastColumn).toBeNull();
    const layout = evolutionLayout(input({ forecast: [0.2, 0.5, 0.3] }), size);
    const f = layout.forecastColumn;
    expect(f).not.toBeNull();
    expect(layout.columns).toHaveLength(3);
    expect(f?.x0).toBeGreaterThanOrEqual(layout.columns[2].x1);
    expect(f?.x1).toBe(layout.plot.right);
    expect(f?.label).toBe('predicted');
    // Centred over its column, unless that would run off the chart's right edge.
    expect(f?.labelAnchor).toBe('middle');
    expect(f?.labelX).toBe(f?.cx);
    const narrow = evolutionLayout(
      input({ windows: Array.from({ length: 12 }, (_, i) => win(i, [1, 0, 0])), forecast: [1] }),
      size,
    ).forecastColumn;
    expect(narrow?.labelAnchor).toBe('end');
    expect(narrow?.labelX).toBe(size.width - 2);
    expect(f?.segments.map((s) => s.category)).toEqual(['Comedy', 'Drama', 'Horror']);
    expect(f?.segments[0].y0).toBe(layout.plot.bottom);
    expect(f?.segments[2].y1).toBe(layout.plot.top);
    expect(f?.summary).toBe('predicted (next window) · Comedy 50%, Horror 30%, Drama 20%');
    expect(layout.legend.some((e) => e.kind === 'forecast')).toBe(true);
    // The windows narrow to leave room for it; the brush covers only the windows.
    expect(layout.columns[2].x1).toBeLessThan(without.columns[2].x1);
    expect(layout.brushExtent[1][0]).toBe(layout.columns[2].x1);
    expect(
      evolutionLayout(input({ forecast: [0, 0, 0], forecastLabel: 'x' }), size).forecastColumn,
    ).toBeNull();
    expect(
      evolutionLayout(input({ forecast: [1, 0, 0], forecastLabel: 'GRU forecast' }), size)
        .forecastColumn?.label,
    ).toBe('GRU forecast');
  });

  it('labels windows per unit', () => {
    const w = { start: Date.UTC(2025, 0, 6), end: Date.UTC(2025, 0, 13) };
    expect(windowLabel(w, 'day')).toBe('2025-01-06');
    expect(windowLabel(w, 'week')).toBe('2025-01-06');
    expect(windowLabel({ start: Date.UTC(2025, 0, 1), end: Date.UTC(2025, 1, 1) }, 'month')).toBe(
      '2025-01',
    );
    expect(windowLabel({ start: 0, end: 10 }, 'count')).toBe('events 1-10');
    expect(windowLabel({ start: 10, end: 20 }, 'count')).toBe('events 11-20');

    const byCount = evolutionLayout(
      input({
        unit: 'count',
        windows: [
          { start: 0, end: 10, events: 10, distribution: [1, 0, 0] },
          { start: 10, end: 17, events: 7, distribution: [0, 1, 0] },
        ],
      }),
      size,
    );
    expect(byCount.xTicks.map((t) => t.label)).toEqual(['events 1-10', 'events 11-17']);
    const months = evolutionLayout(
      input({
        unit: 'month',
        windows: [
          { start: Date.UTC(2025, 0, 1), end: Date.UTC(2025, 1, 1), events: 3, distribution: [1] },
          { start: Date.UTC(2025, 1, 1), end: Date.UTC(2025, 2, 1), events: 3, distribution: [1] },
        ],
      }),
      size,
    );
    expect(months.xTicks.map((t) => t.label)).toEqual(['2025-01', '2025-02']);
    const days = evolutionLayout(input({ unit: 'day', windows: [win(0, [1])] }), size);
    expect(days.xTicks.map((t) => t.label)).toEqual(['2025-01-06']);
    expect(days.columns[0].summary).toBe('2025-01-06 · 10 events · Drama 100%');
  });

  it('labels areas only where the band is thick enough', () => {
    const layout = evolutionLayout(input(), size);
    for (const label of layout.labels) {
      const index = layout.series.findIndex((s) => s.key === label.key);
      const col = layout.columns.find((c) => c.x0 <= label.x && label.x < c.x1);
      expect(col).toBeDefined();
      const seg = col?.segments[index];
      expect(label.y - 4).toBeGreaterThan(seg?.y1 ?? 0);
      expect(label.y - 4).toBeLessThan(seg?.y0 ?? 0);
    }
    expect(layout.labels.map((l) => l.text)).toContain('Comedy');
  });

  it('grows the chart for the legend rows under it', () => {
    const layout = evolutionLayout(input(), size);
    expect(layout.height).toBeGreaterThan(size.height);
    for (const entry of layout.legend) expect(entry.y).toBeGreaterThan(size.height);
  });
});

describe('windowsInRange', () => {
  const layout = evolutionLayout(
    input({ windows: [0, 1, 2, 3].map((i) => win(i, [1, 0, 0])), forecast: [1, 0, 0] }),
    size,
  );
  const [c0, c1, c2, c3] = layout.columns;

  it('returns the windows whose columns the range overlaps, in any order', () => {
    expect(windowsInRange(layout, [c1.x0 + 1, c2.x0 + 1])).toEqual([1, 2]);
    expect(windowsInRange(layout, [c2.x0 + 1, c1.x0 + 1])).toEqual([1, 2]);
    expect(windowsInRange(layout, [c0.x0, c3.x1])).toEqual([0, 3]);
    expect(windowsInRange(layout, [c2.x0 + 2, c2.x0 + 3])).toEqual([2, 2]);
  });

  it('touching a column edge does not select it; outside or on the forecast gives null', () => {
    expect(windowsInRange(layout, [c1.x0, c1.x1])).toEqual([1, 1]);
    expect(windowsInRange(layout, [0, layout.plot.left])).toBeNull();
    const f = layout.forecastColumn;
    expect(f).not.toBeNull();
    expect(windowsInRange(layout, [(f?.x0 ?? 0) + 1, f?.x1 ?? 0])).toBeNull();
  });

  it('a zero-width range selects the window it is in', () => {
    expect(windowsInRange(layout, [c3.cx, c3.cx])).toEqual([3, 3]);
  });

  it('windowAt finds the window or the forecast under a pixel', () => {
    expect(windowAt(layout, c0.cx)).toBe(0);
    expect(windowAt(layout, c3.x1 - 0.5)).toBe(3);
    expect(windowAt(layout, layout.forecastColumn?.cx ?? 0)).toBe('forecast');
    expect(windowAt(layout, 1)).toBeNull();
  });
});
