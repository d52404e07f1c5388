import { describe, expect, it } from 'vitest';
import {
  BUMP_GAP,
  type BumpColumnInput,
  bumpChartLayout,
  bumpChartWidth,
  bumpItemLabel,
  linkPath,
} from './bumpChartLayout';
import { textWidth } from './palette';

const column = (key: string, ids: string[], hits: string[] = []): BumpColumnInput => ({
  key,
  label: `model ${key}`,
  colour: '#0072B2',
  items: ids.map((itemId) => ({ itemId, title: `Title ${itemId}`, hit: hits.includes(itemId) })),
});

const linkSummary = (layout: ReturnType<typeof bumpChartLayout>) =>
  layout.links.map((l) => `${l.fromColumn}:${l.itemId}:${l.fromRank}->${l.toRank}`).sort();

describe('bumpChartLayout', () => {
  it('no columns, or only empty lists: flagged empty, no links', () => {
    const none = bumpChartLayout([], { width: 400 });
    expect(none.empty).toBe(true);
    expect(none.columns).toEqual([]);
    expect(none.links).toEqual([]);
    const blank = bumpChartLayout([column('A', []), column('B', [])], { width: 400 });
    expect(blank.empty).toBe(true);
    expect(blank.columns).toHaveLength(2);
    expect(blank.links).toEqual([]);
  });

  it('links an item at rank r to the same item at rank r′ in the next column', () => {
    const layout = bumpChartLayout(
      [column('A', ['a', 'b', 'c', 'd']), column('B', ['c', 'a', 'e', 'd'])],
      { width: 400 },
    );
    expect(linkSummary(layout)).toEqual(['0:a:1->2', '0:c:3->1', '0:d:4->4']);
    expect(layout.links.find((l) => l.itemId === 'd')?.sameRank).toBe(true);
    expect(layout.links.find((l) => l.itemId === 'a')?.sameRank).toBe(false);
    // Shared rows have a neighbour; b (only in A) and e (only in B) do not.
    const shared = layout.columns.map((c) => c.rows.map((r) => `${r.itemId}:${r.shared}`));
    expect(shared).toEqual([
      ['a:true', 'b:false', 'c:true', 'd:true'],
      ['c:true', 'a:true', 'e:false', 'd:true'],
    ]);
  });

  it('puts each link between its rows: from the left column’s right edge to the next’s left', () => {
    const layout = bumpChartLayout([column('A', ['a', 'b']), column('B', ['b', 'a'])], {
      width: 420,
    });
    const [left, right] = layout.columns;
    // Two columns of (420 - 16 - 56) / 2 = 174 px.
    expect([left.x, left.width, right.x, right.width]).toEqual([8, 174, 238, 174]);
    expect(right.x - (left.x + left.width)).toBe(BUMP_GAP);
    const a = layout.links.find((l) => l.itemId === 'a');
    expect(a).toMatchObject({ fromRank: 1, toRank: 2, x1: 186, x2: 234 });
    expect(a?.y1).toBe(left.rows[0].cy);
    expect(a?.y2).toBe(right.rows[1].cy);
    expect(a?.path).toBe('M186,44C210,44 210,64 234,64');
    // Rows go down by rank; every row of a column shares its label x.
    expect(left.rows.map((r) => r.y)).toEqual([48, 68]);
    expect(new Set(right.rows.map((r) => r.x))).toEqual(new Set([260]));
  });

  it('does not link duplicates across non-adjacent columns', () => {
    const layout = bumpChartLayout(
      [column('A', ['x', 'p']), column('B', ['q', 'p']), column('C', ['r', 'x'])],
      { width: 640 },
    );
    // x is in A and C only: no link, and muted in both.
    expect(linkSummary(layout)).toEqual(['0:p:2->2']);
    expect(layout.columns[0].rows[0]).toMatchObject({ itemId: 'x', shared: false });
    expect(layout.columns[2].rows[1]).toMatchObject({ itemId: 'x', shared: false });
    // p links A-B, and is shared in B through its left neighbour too.
    expect(layout.columns[1].rows[1]).toMatchObject({ itemId: 'p', shared: true });
  });

  it('links an item across every adjacent pair it appears in (4 columns)', () => {
    const layout = bumpChartLayout(
      [
        column('A', ['z', 'a']),
        column('B', ['a', 'z']),
        column('C', ['z', 'b']),
        column('D', ['b', 'c']),
      ],
      { width: 800 },
    );
    expect(linkSummary(layout)).toEqual(['0:a:2->1', '0:z:1->2', '1:z:2->1', '2:b:2->1']);
    expect(layout.columns[3].rows.map((r) => r.shared)).toEqual([true, false]);
    const xs = layout.columns.map((c) => c.x);
    expect([...xs].sort((p, q) => p - q)).toEqual(xs);
  });

  it('labels by title, the id when there is none, cut to the column; hits get a star', () => {
    const long = 'An extraordinarily long item title that will never fit into one column';
    const layout = bumpChartLayout(
      [
        {
          key: 'A',
          label: 'A',
          colour: '#000',
          items: [
            { itemId: 'i1', title: long, hit: false },
            { itemId: 'i2', title: null, hit: true },
            { itemId: 'i3', title: '  ', hit: false },
          ],
        },
        column('B', ['i2']),
      ],
      { width: 400 },
    );
    const [r1, r2, r3] = layout.columns[0].rows;
    const room = layout.columns[0].width - (r1.x - layout.columns[0].x);
    expect(r1.fullLabel).toBe(long);
    expect(r1.label.endsWith('…')).toBe(true);
    expect(textWidth(r1.label)).toBeLessThanOrEqual(room);
    expect(r1.label.length).toBeLessThan(long.length);
    expect(r2).toMatchObject({ label: '★ i2', fullLabel: 'i2', hit: true, shared: true });
    expect(r3.label).toBe('i3');
    // The star follows each list's own flag.
    expect(layout.columns[1].rows[0]).toMatchObject({ label: 'Title i2', hit: false });
  });

  it('a repeated id within one list keeps its first rank for links', () => {
    const layout = bumpChartLayout([column('A', ['a', 'a', 'b']), column('B', ['b', 'a'])], {
      width: 400,
    });
    expect(linkSummary(layout)).toEqual(['0:a:1->2', '0:b:3->1']);
    expect(layout.columns[0].rows.map((r) => r.shared)).toEqual([true, false, true]);
  });

  it('grows in height with the longest list', () => {
    const short = bumpChartLayout([column('A', ['a']), column('B', ['a'])], { width: 400 });
    const ten = Array.from({ length: 10 }, (_, k) => `i${k}`);
    const long = bumpChartLayout([column('A', ten), column('B', ['a'])], { width: 400 });
    expect(long.rowCount).toBe(10);
    expect(long.height - short.height).toBe(9 * 20);
    const last = long.columns[0].rows[9];
    expect(last.rank).toBe(10);
    expect(last.y).toBeLessThan(long.height);
  });
});

describe('helpers', () => {
  it('bumpItemLabel falls back to the id for a missing or blank title', () => {
    expect(bumpItemLabel({ itemId: 'x', title: 'Dune', hit: false })).toBe('Dune');
    expect(bumpItemLabel({ itemId: 'x', title: null, hit: false })).toBe('x');
    expect(bumpItemLabel({ itemId: 'x', title: '', hit: false })).toBe('x');
  });

  it('linkPath is a horizontal cubic with control points halfway', () => {
    expect(linkPath(0, 10, 50, 30)).toBe('M0,10C25,10 25,30 50,30');
  });

  it('bumpChartWidth gives each column 170 px plus the gaps', () => {
    expect(bumpChartWidth(2)).toBe(16 + 340 + 56);
    expect(bumpChartWidth(4)).toBe(16 + 680 + 168);
  });
});
