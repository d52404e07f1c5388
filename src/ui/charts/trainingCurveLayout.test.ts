import { describe, expect, it } from 'vitest';
import { emptyCurves } from '../../state/trainingCurves';
import { trainingCurveLayout } from './trainingCurveLayout';

const size = { width: 330, height: 130, margin: { top: 10, right: 30, bottom: 20, left: 30 } };

describe('trainingCurveLayout', () => {
  it('no points: flagged empty, no paths or value ticks, x axis still spans the planned epochs', () => {
    const layout = trainingCurveLayout(emptyCurves(), { ...size, epochs: 4 });
    expect(layout.empty).toBe(true);
    expect(layout.batchLossPath).toBe('');
    expect(layout.validationPath).toBe('');
    expect(layout.lossTicks).toEqual([]);
    expect(layout.ndcgTicks).toEqual([]);
    expect(layout.xTicks.map((t) => t.label)).toEqual(['0', '1', '2', '3', '4']);
    expect(layout.plot).toEqual({ left: 30, top: 10, right: 300, bottom: 110 });
  });

  it('places epoch dots on the epoch grid, loss on the left axis and NDCG on the right', () => {
    const curves = {
      batchLoss: [
        { x: 0.5, value: 4 },
        { x: 1, value: 3 },
        { x: 1.5, value: 2.5 },
        { x: 2, value: 2 },
      ],
      epochLoss: [
        { x: 1, value: 3.5 },
        { x: 2, value: 2.25 },
      ],
      validation: [
        { x: 1, value: 0.05 },
        { x: 2, value: 0.1 },
      ],
    };
    const layout = trainingCurveLayout(curves, { ...size, epochs: 2 });
    expect(layout.empty).toBe(false);
    // x: epochs 0..2 over 30..300.
    expect(layout.epochLossDots.map((d) => d.x)).toEqual([165, 300]);
    // Loss domain [2, 4] (already nice) over 110..10: 3.5 -> 35, 2.25 -> 97.5.
    expect(layout.epochLossDots.map((d) => d.y)).toEqual([35, 97.5]);
    expect(layout.batchLossPath).toBe('M97.5,10L165,60L232.5,85L300,110');
    // NDCG domain [0, 0.1]: 0.05 halfway, 0.1 at the top.
    expect(layout.validationDots.map((d) => [d.y, d.value])).toEqual([
      [60, 0.05],
      [10, 0.1],
    ]);
    expect(layout.ndcgTicks[0]).toEqual({ position: 110, label: '0.00' });
    expect(layout.lossTicks.length).toBeGreaterThan(1);
  });

  it('skips NaN points, and the x axis grows past the planned epochs when a run goes further', () => {
    const curves = {
      batchLoss: [],
      epochLoss: [
        { x: 1, value: Number.NaN },
        { x: 3, value: 1 },
      ],
      validation: [{ x: 3, value: Number.NaN }],
    };
    const layout = trainingCurveLayout(curves, { ...size, epochs: 2 });
    expect(layout.epochLossDots).toHaveLength(1);
    expect(layout.epochLossDots[0].x).toBe(300);
    expect(layout.validationDots).toEqual([]);
    expect(layout.xTicks.at(-1)?.label).toBe('3');
  });
});

describe('trainingCurveLayout tick labels', () => {
  it('labels close loss values with enough decimals to tell them apart', () => {
    const curves = {
      batchLoss: [
        { x: 0.5, value: 5.52 },
        { x: 1, value: 5.44 },
      ],
      epochLoss: [],
      validation: [{ x: 1, value: 0.012 }],
    };
    const layout = trainingCurveLayout(curves, size);
    const loss = layout.lossTicks.map((t) => t.label);
    expect(new Set(loss).size).toBe(loss.length);
    expect(loss).toContain('5.46');
    const ndcg = layout.ndcgTicks.map((t) => t.label);
    expect(new Set(ndcg).size).toBe(ndcg.length);
    expect(ndcg.at(-1)).toBe('0.012');
  });
});
