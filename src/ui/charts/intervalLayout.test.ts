import { describe, expect, it } from 'vitest';
import { type IntervalInput, intervalLayout, intervalText } from './intervalLayout';
import { textWidth } from './palette';

const row = (key: string, value: number, lo: number, hi: number, label = key): IntervalInput => ({
  key,
  label,
  colour: '#0072B2',
  value,
  lo,
  hi,
});

describe('intervalLayout', () => {
  it('no rows: flagged empty, no ticks, no zero line', () => {
    const layout = intervalLayout([], { width: 560 });
    expect(layout.empty).toBe(true);
    expect(layout.rows).toEqual([]);
    expect(layout.xTicks).toEqual([]);
    expect(layout.zeroX).toBeNull();
    expect(layout.valueBelow).toBe(false);
    expect(layout.height).toBeGreaterThan(layout.plot.bottom);
  });

  it('places dots, ends and ticks on a shared axis from 0 to the highest end (niced)', () => {
    // Plot 136..402 (label column 120 + 2 x 8 pad; value column 142 px + 2 x 8 pad).
    // Domain [0, 0.08]: 266 px / 0.08.
    const layout = intervalLayout([row('a', 0.06, 0.04, 0.08), row('b', 0.02, 0.01, 0.03)], {
      width: 560,
    });
    expect(layout.plot).toEqual({ left: 136, top: 8, right: 402, bottom: 60 });
    expect(layout.rows.map((r) => [r.loX, r.cx, r.hiX])).toEqual([
      [269, 335.5, 402],
      [169.25, 202.5, 235.75],
    ]);
    expect(layout.rows.map((r) => r.y)).toEqual([20, 44]);
    expect(layout.xTicks).toEqual([
      { position: 136, label: '0.00' },
      { position: 202.5, label: '0.02' },
      { position: 269, label: '0.04' },
      { position: 335.5, label: '0.06' },
      { position: 402, label: '0.08' },
    ]);
    expect(layout.rows.map((r) => r.valueText)).toEqual([
      '0.0600 [0.0400, 0.0800]',
      '0.0200 [0.0100, 0.0300]',
    ]);
    // Value column at the right, right-aligned on the chart's padding.
    expect(layout.rows.map((r) => [r.textX, r.textAnchor])).toEqual([
      [552, 'end'],
      [552, 'end'],
    ]);
    expect(layout.zeroX).toBeNull();
  });

  it('dot positions grow with the value, and each dot lies between its ends', () => {
    const values = [0.5, 0.1, 0.9, 0.3];
    const layout = intervalLayout(
      values.map((v, k) => row(`m${k}`, v, v - 0.05, v + 0.05)),
      { width: 600 },
    );
    const byValue = [...layout.rows].sort((p, q) => p.value - q.value);
    for (let k = 1; k < byValue.length; k++) {
      expect(byValue[k].cx).toBeGreaterThan(byValue[k - 1].cx);
    }
    for (const r of layout.rows) {
      expect(r.loX).toBeLessThan(r.cx);
      expect(r.cx).toBeLessThan(r.hiX);
    }
    // Rows keep the input order top to bottom.
    expect(layout.rows.map((r) => r.key)).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(layout.rows[3].y).toBeGreaterThan(layout.rows[0].y);
  });

  it('a NaN value draws "no data" and does not stretch the axis', () => {
    const layout = intervalLayout(
      [row('a', 0.5, 0.4, 0.6), row('b', Number.NaN, 0, 1000), row('c', 0.2, Number.NaN, 0.3)],
      { width: 560 },
    );
    const [a, b, c] = layout.rows;
    expect(b.hasData).toBe(false);
    expect(b.hasInterval).toBe(false);
    expect(b.valueText).toBe('no data');
    expect(b.textX).toBe(layout.plot.left + 4);
    // c has a value but no interval: a dot and its value only.
    expect(c.hasData).toBe(true);
    expect(c.hasInterval).toBe(false);
    expect(c.valueText).toBe('0.200');
    expect(layout.xTicks[layout.xTicks.length - 1].label).toBe('0.6');
    expect(a.hiX).toBe(layout.plot.right);
  });

  it('negative ends extend the axis below 0 and get a zero line', () => {
    const layout = intervalLayout([row('diff', 0.01, -0.02, 0.04)], { width: 560 });
    expect(layout.zeroX).not.toBeNull();
    expect(layout.xTicks[0].label).toBe('−0.02');
    const zero = layout.xTicks.find((t) => t.label === '0.00');
    expect(zero?.position).toBe(layout.zeroX);
    expect(layout.rows[0].loX).toBe(layout.plot.left);
  });

  it('cuts long labels to the label column, keeping the full one', () => {
    const long = 'A very long model name that cannot fit in the margin at all';
    const layout = intervalLayout([row('x', 0.3, 0.2, 0.4, long)], {
      width: 560,
      labelWidth: 100,
    });
    const [r] = layout.rows;
    expect(r.fullLabel).toBe(long);
    expect(r.label.endsWith('…')).toBe(true);
    expect(textWidth(r.label)).toBeLessThanOrEqual(100);
    expect(layout.plot.left).toBe(116);
  });

  it('moves the value text under the rows when the chart is too narrow for a column', () => {
    const layout = intervalLayout([row('a', 0.06, 0.04, 0.08), row('b', 0.02, 0.01, 0.03)], {
      width: 400,
    });
    expect(layout.valueBelow).toBe(true);
    expect(layout.plot.right).toBe(384);
    const [a, b] = layout.rows;
    expect(a.textAnchor).toBe('start');
    expect(a.textX).toBe(layout.plot.left);
    expect(a.textY).toBeGreaterThan(a.y);
    expect(b.y - a.y).toBe(36);
  });
});

describe('intervalText', () => {
  it('prints the value and its interval with three significant digits', () => {
    expect(intervalText(0.0451, 0.0337, 0.0577)).toBe('0.0451 [0.0337, 0.0577]');
    expect(intervalText(0.0451, 0.0577, 0.0337)).toBe('0.0451 [0.0337, 0.0577]');
    expect(intervalText(0.5, Number.NaN, 0.6)).toBe('0.500');
    expect(intervalText(0.01, -0.02, 0.04)).toBe('0.0100 [−0.0200, 0.0400]');
    expect(intervalText(Number.NaN, 0.1, 0.2)).toBe('no data');
  });
});
