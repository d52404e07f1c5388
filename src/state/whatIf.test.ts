import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimelineItem } from '../worker/api';
import {
  appendEdit,
  applyEdits,
  decodeEdits,
  encodeEdits,
  MAX_EDITS,
  removalEdits,
  removedPositions,
  type WhatIfEdit,
  whatIfHistory,
} from './whatIf';

const timeline: TimelineItem[] = ['a', 'b', 'c', 'd'].map((itemId, position) => ({
  itemId,
  title: itemId.toUpperCase(),
  categories: [],
  time: 1000 * (position + 1),
  position,
  read: true,
}));

const ids = (edits: WhatIfEdit[]) => applyEdits(timeline, edits).map((e) => e.itemId);

describe('what-if edits', () => {
  it('remove, add (at an index or the end) and move, applied in order', () => {
    expect(ids([])).toEqual(['a', 'b', 'c', 'd']);
    expect(ids([{ kind: 'remove', position: 1 }])).toEqual(['a', 'c', 'd']);
    expect(ids([{ kind: 'add', itemId: 'x', index: null }])).toEqual(['a', 'b', 'c', 'd', 'x']);
    expect(ids([{ kind: 'add', itemId: 'x', index: 0 }])).toEqual(['x', 'a', 'b', 'c', 'd']);
    expect(ids([{ kind: 'add', itemId: 'x', index: 99 }])).toEqual(['a', 'b', 'c', 'd', 'x']);
    expect(ids([{ kind: 'move', position: 3, by: -2 }])).toEqual(['a', 'd', 'b', 'c']);
    expect(ids([{ kind: 'move', position: 0, by: -5 }])).toEqual(['a', 'b', 'c', 'd']);
    // A move of an item removed before is a no-op.
    expect(
      ids([
        { kind: 'remove', position: 2 },
        { kind: 'move', position: 2, by: 1 },
      ]),
    ).toEqual(['a', 'b', 'd']);
  });

  it('gives the worker ids and times (an added item has none)', () => {
    const entries = applyEdits(timeline, [
      { kind: 'remove', position: 0 },
      { kind: 'add', itemId: 'x', index: null, title: 'Ex' },
    ]);
    expect(whatIfHistory(entries)).toEqual({
      items: ['b', 'c', 'd', 'x'],
      times: [2000, 3000, 4000, null],
    });
    expect(entries.at(-1)).toMatchObject({ title: 'Ex', origin: null, addedBy: 1 });
    expect(removedPositions([{ kind: 'remove', position: 0 }])).toEqual(new Set([0]));
  });

  it('merges repeated removals and consecutive moves, and caps the list', () => {
    const once = appendEdit([], { kind: 'remove', position: 1 });
    expect(appendEdit(once, { kind: 'remove', position: 1 })).toEqual(once);
    const moved = appendEdit([{ kind: 'move', position: 2, by: -1 }], {
      kind: 'move',
      position: 2,
      by: -1,
    });
    expect(moved).toEqual([{ kind: 'move', position: 2, by: -2 }]);
    expect(appendEdit(moved, { kind: 'move', position: 2, by: 2 })).toEqual([]);
    let many: WhatIfEdit[] = [];
    for (let i = 0; i < MAX_EDITS + 5; i++)
      many = appendEdit(many, { kind: 'remove', position: i });
    expect(many).toHaveLength(MAX_EDITS);
  });

  it('turns a counterfactual on an edited history into edits (an added item loses its add)', () => {
    const edits: WhatIfEdit[] = [
      { kind: 'remove', position: 0 },
      { kind: 'add', itemId: 'x', index: 0 },
    ];
    const entries = applyEdits(timeline, edits); // x, b, c, d
    const next = removalEdits(edits, entries, [0, 2]);
    expect(next).toEqual([
      { kind: 'remove', position: 0 },
      { kind: 'remove', position: 2 },
    ]);
    expect(ids(next)).toEqual(['b', 'd']);
  });

  it('round-trips through the compact encoding; junk tokens are skipped', () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('remove' as const), position: fc.nat(9999) }),
      fc.record({
        kind: fc.constant('move' as const),
        position: fc.nat(9999),
        by: fc.integer({ min: -50, max: 50 }).filter((n) => n !== 0),
      }),
      fc.record({
        kind: fc.constant('add' as const),
        itemId: fc
          .string({ minLength: 1, maxLength: 20 })
          .filter((s) => s.trim() === s && s !== ''),
        index: fc.option(fc.nat(999), { nil: null }),
      }),
    );
    fc.assert(
      fc.property(fc.array(edit, { maxLength: MAX_EDITS }), (edits) => {
        expect(decodeEdits(encodeEdits(edits))).toEqual(edits);
      }),
    );
    expect(decodeEdits('r1,zz,m2:0,m3:x,a:,r-1,a:p@q,r7')).toEqual([
      { kind: 'remove', position: 1 },
      { kind: 'remove', position: 7 },
    ]);
    expect(decodeEdits(null)).toEqual([]);
  });
});
