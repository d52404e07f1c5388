import { describe, expect, it } from 'vitest';
import {
  groupRadius,
  groupsInBox,
  groupTitle,
  MAX_RADIUS,
  MIN_RADIUS,
  perUserScatterLayout,
  pointsInBox,
  pointsOnSide,
  type ScatterPoint,
} from './perUserScatterLayout';

const size = { width: 420 };
const ndcg = (rank: number) => (rank === 0 ? 0 : 1 / Math.log2(rank + 1));

/** A small deterministic generator (mulberry32), so the big case is the same on every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('perUserScatterLayout', () => {
  it('no points: empty, no groups, zero counts, axes still 0..1', () => {
    const layout = perUserScatterLayout([], size);
    expect(layout.empty).toBe(true);
    expect(layout.groups).toEqual([]);
    expect(layout.pointCount).toBe(0);
    expect(layout.counts).toEqual({ a: 0, b: 0, tie: 0 });
    expect(layout.xTicks.map((t) => t.label)).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    expect(
      pointsInBox(layout, [
        [0, 0],
        [420, 420],
      ]),
    ).toEqual([]);
  });

  it('maps 0..1 into the plot inset by the largest radius, y upwards, square by default', () => {
    const layout = perUserScatterLayout(
      [
        { id: 'u1', x: 0, y: 0 },
        { id: 'u2', x: 1, y: 1 },
        { id: 'u3', x: 0.5, y: 0.25 },
      ],
      size,
    );
    // Plot 52..406 x 12..366; 0..1 over 68..390 (x) and 350..28 (y).
    expect(layout.plot).toEqual({ left: 52, top: 12, right: 406, bottom: 366 });
    const at = (id: string) => layout.groups.find((g) => g.ids.includes(id));
    expect([at('u1')?.cx, at('u1')?.cy]).toEqual([68, 350]);
    expect([at('u2')?.cx, at('u2')?.cy]).toEqual([390, 28]);
    expect([at('u3')?.cx, at('u3')?.cy]).toEqual([229, 269.5]);
    expect(layout.diagonal).toEqual({ x1: 68, y1: 350, x2: 390, y2: 28 });
    expect(layout.yTicks[0]).toEqual({ position: 350, label: '0.0' });
  });

  it('merges identical scores into one group per (x, y), keeping ids and counts', () => {
    const points: ScatterPoint[] = [
      { id: 'a', x: 0, y: 0 },
      { id: 'b', x: ndcg(1), y: 0 },
      { id: 'c', x: 0, y: 0 },
      { id: 'd', x: ndcg(3), y: ndcg(3) },
      { id: 'e', x: 0, y: 0 },
      { id: 'f', x: ndcg(1), y: 0 },
      { id: 'g', x: 0, y: ndcg(2) },
    ];
    const layout = perUserScatterLayout(points, size);
    expect(layout.pointCount).toBe(7);
    expect(layout.groups.map((g) => [g.count, g.ids])).toEqual([
      [3, ['a', 'c', 'e']],
      [2, ['b', 'f']],
      [1, ['d']],
      [1, ['g']],
    ]);
    let sum = 0;
    for (const g of layout.groups) sum += g.count;
    expect(sum).toBe(points.length);
    expect(layout.maxCount).toBe(3);
    // Area proportional to the count, MIN_RADIUS (3) per user while the largest group fits.
    expect(layout.groups.map((g) => g.r)).toEqual([5.2, 4.24, 3, 3]);
    expect(layout.groups[1].title).toBe('2 users: A 1.00, B 0.00');
    expect(layout.groups[3].title).toBe('1 user: A 0.00, B 0.63');
  });

  it('counts users per side of the diagonal: B above, A below, ties on it', () => {
    const layout = perUserScatterLayout(
      [
        { id: 'tie0', x: 0, y: 0 },
        { id: 'tie1', x: 0, y: 0 },
        { id: 'tie2', x: 0.5, y: 0.5 },
        { id: 'b1', x: 0, y: 1 },
        { id: 'b2', x: 0.3, y: 0.31 },
        { id: 'a1', x: 0.63, y: 0 },
      ],
      { width: 420, aName: 'SASRec', bName: 'ItemKNN' },
    );
    expect(layout.counts).toEqual({ a: 1, b: 2, tie: 3 });
    expect(layout.corners.b.text).toBe('ItemKNN better: 2');
    expect(layout.corners.a.text).toBe('SASRec better: 1');
    expect(layout.corners.tie.text).toBe('tie: 3');
    // "B better" in the upper left, "A better" in the lower right.
    expect(layout.corners.b.x).toBeLessThan(layout.corners.a.x);
    expect(layout.corners.b.y).toBeLessThan(layout.corners.a.y);
    expect(pointsOnSide(layout, 'b').sort()).toEqual(['b1', 'b2']);
    expect(pointsOnSide(layout, 'tie').sort()).toEqual(['tie0', 'tie1', 'tie2']);
  });

  it('skips points with a non-finite score', () => {
    const layout = perUserScatterLayout(
      [
        { id: 'ok', x: 0.5, y: 0 },
        { id: 'nan', x: Number.NaN, y: 0 },
        { id: 'inf', x: 0, y: Number.POSITIVE_INFINITY },
      ],
      size,
    );
    expect(layout.pointCount).toBe(1);
    expect(layout.skipped).toBe(2);
    expect(layout.groups.flatMap((g) => g.ids)).toEqual(['ok']);
    expect(layout.counts).toEqual({ a: 1, b: 0, tie: 0 });
  });

  it('groups 5,000 discrete users quickly, counts summing to the users', () => {
    const next = random(7);
    const points: ScatterPoint[] = Array.from({ length: 5000 }, (_, k) => ({
      id: `u${k}`,
      x: next() < 0.6 ? 0 : ndcg(1 + Math.floor(next() * 10)),
      y: next() < 0.6 ? 0 : ndcg(1 + Math.floor(next() * 10)),
    }));
    const start = performance.now();
    const layout = perUserScatterLayout(points, size);
    const elapsed = performance.now() - start;
    expect(elapsed).toBeLessThan(1000);
    expect(layout.pointCount).toBe(5000);
    expect(layout.groups.length).toBeLessThanOrEqual(121);
    expect(layout.groups.length).toBeGreaterThan(50);
    let sum = 0;
    for (const g of layout.groups) sum += g.count;
    expect(sum).toBe(5000);
    expect(layout.counts.a + layout.counts.b + layout.counts.tie).toBe(5000);
    // Drawn largest first; (0, 0) holds the most users.
    expect(layout.groups[0].key).toBe('0,0');
    for (let k = 1; k < layout.groups.length; k++) {
      expect(layout.groups[k].count).toBeLessThanOrEqual(layout.groups[k - 1].count);
    }
    // The whole plot selects everyone.
    const { plot } = layout;
    expect(
      pointsInBox(layout, [
        [plot.left, plot.top],
        [plot.right, plot.bottom],
      ]),
    ).toHaveLength(5000);
  });

  it('handles 5,000 distinct continuous points (no merging)', () => {
    const next = random(11);
    const points = Array.from({ length: 5000 }, (_, k) => ({ id: `u${k}`, x: next(), y: next() }));
    const layout = perUserScatterLayout(points, size);
    expect(layout.groups).toHaveLength(5000);
    expect(layout.maxCount).toBe(1);
    expect(layout.groups.every((g) => g.r === MAX_RADIUS)).toBe(false);
    expect(layout.groups.every((g) => g.r === MIN_RADIUS)).toBe(true);
  });
});

describe('groupRadius', () => {
  it('area ∝ count: MIN_RADIUS a user, scaled down so the largest fits MAX_RADIUS', () => {
    // Large groups: the largest at MAX_RADIUS, a quarter of it at half the radius.
    expect(groupRadius(100, 100)).toBe(MAX_RADIUS);
    expect(groupRadius(25, 100)).toBe(8);
    // ... and a single user never smaller than MIN_RADIUS.
    expect(groupRadius(1, 100)).toBe(MIN_RADIUS);
    // Small groups: MIN_RADIUS per user (area), not blown up to MAX_RADIUS.
    expect(groupRadius(1, 1)).toBe(MIN_RADIUS);
    expect(groupRadius(4, 4)).toBe(6);
  });
});

describe('groupTitle', () => {
  it('says how many users and their two scores', () => {
    expect(groupTitle(12, 0.6309, 0)).toBe('12 users: A 0.63, B 0.00');
    expect(groupTitle(1234, 1, 1, 'SASRec', 'Pop')).toBe('1,234 users: SASRec 1.00, Pop 1.00');
  });
});

describe('pointsInBox', () => {
  // Centres: (0,0) -> (68,350); (1,0) -> (390,350); (0,1) -> (68,28); (0.5,0.5) -> (229,189).
  const layout = perUserScatterLayout(
    [
      { id: 'origin1', x: 0, y: 0 },
      { id: 'origin2', x: 0, y: 0 },
      { id: 'aWins', x: 1, y: 0 },
      { id: 'bWins', x: 0, y: 1 },
      { id: 'mid', x: 0.5, y: 0.5 },
    ],
    size,
  );

  it('selects exactly the groups whose centre is inside, with all their ids', () => {
    expect(
      pointsInBox(layout, [
        [60, 180],
        [240, 360],
      ]).sort(),
    ).toEqual(['mid', 'origin1', 'origin2']);
    expect(
      pointsInBox(layout, [
        [200, 300],
        [400, 360],
      ]),
    ).toEqual(['aWins']);
  });

  it('takes the corners in any order and includes the edges', () => {
    const a = pointsInBox(layout, [
      [229, 189],
      [68, 350],
    ]);
    const b = pointsInBox(layout, [
      [68, 189],
      [229, 350],
    ]);
    expect(a.sort()).toEqual(['mid', 'origin1', 'origin2']);
    expect(b.sort()).toEqual(a);
  });

  it('selects nothing in an empty region, and a circle only by its centre', () => {
    // Overlaps the (0,0) circle (radius 16) but not its centre.
    expect(
      pointsInBox(layout, [
        [70, 300],
        [120, 349],
      ]),
    ).toEqual([]);
    expect(
      groupsInBox(layout, [
        [0, 0],
        [420, 420],
      ]),
    ).toHaveLength(4);
  });
});
