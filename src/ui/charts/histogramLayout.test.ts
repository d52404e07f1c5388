import { describe, expect, it } from 'vitest';
import { binRangeLabel, histogramLayout } from './histogramLayout';

const size = { width: 320, height: 160, margin: { top: 10, right: 10, bottom: 30, left: 40 } };

describe('histogramLayout', () => {
  it('empty bins: no bars, no ticks, flagged empty', () => {
    const layout = histogramLayout([], size);
    expect(layout.empty).toBe(true);
    expect(layout.bars).toEqual([]);
    expect(layout.xTicks).toEqual([]);
    expect(layout.yTicks).toEqual([]);
    expect(layout.plot).toEqual({ left: 40, top: 10, right: 310, bottom: 130 });
  });

  it('single bin: one bar filling the plot width, height on a nice count axis (7 of 8)', () => {
    const layout = histogramLayout([{ x0: 5, x1: 6, count: 7 }], size);
    expect(layout.empty).toBe(false);
    expect(layout.bars).toEqual([
      { x: 40.5, y: 25, width: 269, height: 105, count: 7, x0: 5, x1: 6, rangeLabel: '5' },
    ]);
    expect(layout.xTicks.map((t) => t.label)).toEqual(['5', '6']);
    expect(layout.xTicks.map((t) => t.position)).toEqual([40, 310]);
  });

  it('log-spaced bins: equal widths on a log scale, heights proportional to counts', () => {
    const bins = [
      { x0: 1, x1: 2, count: 40 },
      { x0: 2, x1: 4, count: 20 },
      { x0: 4, x1: 8, count: 10 },
      { x0: 8, x1: 16, count: 0 },
    ];
    const layout = histogramLayout(bins, size);
    expect(layout.xScale).toBe('log');
    expect(layout.bars.map((b) => b.width)).toEqual([66.5, 66.5, 66.5, 66.5]);
    expect(layout.bars.map((b) => b.x)).toEqual([40.5, 108, 175.5, 243]);
    expect(layout.bars.map((b) => b.height)).toEqual([120, 60, 30, 0]);
    expect(layout.bars.map((b) => b.rangeLabel)).toEqual(['1', '2–3', '4–7', '8–15']);
    expect(layout.xTicks.map((t) => t.label)).toEqual(['1', '2', '4', '8', '16']);
    expect(layout.yTicks.map((t) => [t.label, t.position])).toEqual([
      ['0', 130],
      ['10', 100],
      ['20', 70],
      ['30', 40],
      ['40', 10],
    ]);
  });

  it('thins bin-edge ticks to at most maxXTicks, keeping the first edge', () => {
    const bins = Array.from({ length: 20 }, (_, i) => ({ x0: 2 ** i, x1: 2 ** (i + 1), count: i }));
    const layout = histogramLayout(bins, { ...size, maxXTicks: 5 });
    expect(layout.xTicks.length).toBeLessThanOrEqual(5);
    expect(layout.xTicks[0]).toEqual({ position: 40, label: '1' });
    expect(layout.xTicks.map((t) => t.label)).toContain('1k');
  });

  it('bins starting at zero use a linear scale instead of an undefined log', () => {
    const layout = histogramLayout(
      [
        { x0: 0, x1: 10, count: 3 },
        { x0: 10, x1: 20, count: 6 },
      ],
      size,
    );
    expect(layout.xScale).toBe('linear');
    expect(layout.bars.map((b) => [b.x, b.width])).toEqual([
      [40.5, 134],
      [175.5, 134],
    ]);
  });
});

describe('binRangeLabel', () => {
  it('names whole-count ranges inclusively', () => {
    expect(binRangeLabel(1, 2)).toBe('1');
    expect(binRangeLabel(1000, 2000)).toBe('1,000–1,999');
    expect(binRangeLabel(0.5, 2)).toBe('0.5–2');
  });
});
