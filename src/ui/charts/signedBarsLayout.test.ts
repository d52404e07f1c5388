import { describe, expect, it } from 'vitest';
import { attributionBarItems } from '../why/attributionRows';
import { testReport } from '../why/testReport';
import { attributionBarsLayout, rankByMagnitude } from './attributionBarsLayout';
import { rollupBarsLayout } from './rollupBarsLayout';
import { signedBarsLayout } from './signedBarsLayout';

describe('signedBarsLayout', () => {
  it('bars from a shared zero line: right for positive, left for negative', () => {
    const layout = signedBarsLayout(
      [
        { key: 'a', label: 'A', value: 2 },
        { key: 'b', label: 'B', value: -1 },
        { key: 'c', label: 'C', value: 0 },
      ],
      { width: 300, labelWidth: 80 },
    );
    // Bars span x 96..228 over the domain [-1, 2]: zero a third of the way.
    expect(layout.zeroX).toBe(140);
    expect(layout.bars.map((b) => [b.barX, b.barWidth, b.valueText])).toEqual([
      [140, 88, '+2.00'],
      [96, 44, '−1.00'],
      [140, 0, '0'],
    ]);
    expect(layout.bars[0].fill).not.toBe(layout.bars[1].fill);
    expect(layout.bars.map((b) => b.y)).toEqual([18, 38, 58]);
    expect(layout.height).toBe(72);
  });

  it('all positive: zero at the left edge; NaN draws no bar and prints a dash', () => {
    const layout = signedBarsLayout(
      [
        { key: 'a', label: 'A', value: 1 },
        { key: 'b', label: 'B', value: Number.NaN },
      ],
      { width: 300, labelWidth: 80 },
    );
    expect(layout.zeroX).toBe(96);
    expect(layout.bars[1]).toMatchObject({ barWidth: 0, valueText: '–' });
  });

  it('cuts long labels to the label column, keeping the full one', () => {
    const long = 'A very long title that does not fit in the column at all';
    const layout = signedBarsLayout([{ key: 'a', label: long, detail: 'Drama · #4', value: 1 }], {
      width: 300,
      labelWidth: 80,
    });
    expect(layout.bars[0].label.endsWith('…')).toBe(true);
    expect(layout.bars[0].label.length).toBeLessThan(long.length);
    expect(layout.bars[0].fullLabel).toBe(long);
    expect(layout.height).toBe(44);
  });
});

describe('attributionBarsLayout', () => {
  const report = testReport();

  it('ranks by |value| with title, categories and position as text', () => {
    const layout = attributionBarsLayout('shap', 'score', attributionBarItems(report, 'shap'), {
      width: 480,
      limit: 4,
    });
    expect(layout.ranked.map((i) => i.itemId)).toEqual(['m5', 'm3', 'm1', 'm2']);
    expect(layout.bars.map((b) => [b.label, b.detail, b.valueText])).toEqual([
      ['1. Dune', 'Sci-Fi · #8', '+0.750'],
      ['2. Alien', 'Sci-Fi, Horror · #6', '+0.550'],
      ['3. Solaris', 'Sci-Fi · #4', '+0.280'],
      ['4. =HYPERLINK("http://x")', 'Drama · #5', '−0.250'],
    ]);
    expect(layout.hidden).toBe(2);
    expect(layout.description).toBe(
      'shap attributions (score) of 6 history items, largest |value| first: 1. Dune +0.750; 2. Alien +0.550; 3. Solaris +0.280; 4. =HYPERLINK("http://x") −0.250.',
    );
  });

  it('no items: empty', () => {
    const layout = attributionBarsLayout('lime', 'score', [], { width: 480, limit: 10 });
    expect(layout.empty).toBe(true);
    expect(layout.description).toBe('No lime attributions.');
  });
});

describe('rankByMagnitude', () => {
  it('largest |value| first, ties to the more recent, NaN last', () => {
    const ranked = rankByMagnitude([
      { position: 0, value: 1 },
      { position: 1, value: -1 },
      { position: 2, value: Number.NaN },
      { position: 3, value: 0.5 },
    ]);
    expect(ranked.map((r) => r.position)).toEqual([1, 0, 3, 2]);
  });
});

describe('rollupBarsLayout', () => {
  it('keeps the given order, counts items, sums what the limit leaves out', () => {
    const entries = testReport().rollups.category.shap;
    const layout = rollupBarsLayout('shap by category', entries, { width: 420, limit: 2 });
    expect(layout.bars.map((b) => [b.label, b.detail, b.valueText])).toEqual([
      ['Sci-Fi', '3 items', '+1.31'],
      ['Horror', '1 item', '+0.275'],
    ]);
    expect(layout.rest).toBe('and 3 more (−0.180 in total)');
    expect(layout.description).toBe(
      'shap by category: Sci-Fi +1.31 over 3 items; Horror +0.275 over 1 item; and 3 more (−0.180 in total).',
    );
    expect(rollupBarsLayout('x', [], { width: 420, limit: 2 }).description).toBe(
      'x: nothing to sum.',
    );
  });
});
