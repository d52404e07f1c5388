import { describe, expect, it } from 'vitest';
import { appendBatchPoint, type CurvePoint } from './trainingCurves';

describe('appendBatchPoint', () => {
  it('appends below the cap and merges neighbouring pairs at it, keeping the whole run', () => {
    let points = appendBatchPoint([], { x: 0.25, value: 4 }, 4);
    points = appendBatchPoint(points, { x: 0.5, value: 2 }, 4);
    points = appendBatchPoint(points, { x: 0.75, value: 3 }, 4);
    points = appendBatchPoint(points, { x: 1, value: 1 }, 4);
    expect(points).toHaveLength(4);
    points = appendBatchPoint(points, { x: 1.25, value: 5 }, 4);
    expect(points).toEqual([
      { x: 0.375, value: 3, weight: 2 },
      { x: 0.875, value: 2, weight: 2 },
      { x: 1.25, value: 5 },
    ]);
    // The stride is 2 batches now: the next batch joins the lone last point.
    points = appendBatchPoint(points, { x: 1.5, value: 7 }, 4);
    expect(points.at(-1)).toEqual({ x: 1.375, value: 6, weight: 2 });
    points = appendBatchPoint(points, { x: 1.75, value: 8 }, 4);
    expect(points).toHaveLength(4);
  });

  it('never grows past the cap over a long run', () => {
    let points: CurvePoint[] = [];
    for (let i = 1; i <= 5000; i++)
      points = appendBatchPoint(points, { x: i / 100, value: i }, 600);
    expect(points.length).toBeLessThanOrEqual(600);
    expect(points.at(-1)?.x).toBeCloseTo(50, 0);
    // Every point is the mean of the batches it covers: x and value stay on the line y = 100 x.
    for (const p of points) expect(p.value).toBeCloseTo(p.x * 100, 6);
    expect(points[0].x).toBeLessThan(0.2);
    const weights = new Set(points.slice(0, -1).map((p) => p.weight));
    expect(weights.size).toBe(1);
  });
});
