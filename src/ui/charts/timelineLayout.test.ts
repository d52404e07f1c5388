import { describe, expect, it } from 'vitest';
import type { TimelineItem } from '../../worker/api';
import { CATEGORICAL, NO_CATEGORY_COLOUR, OTHER_COLOUR, UNREAD_COLOUR } from './palette';
import {
  categoryColours,
  readLabel,
  readSlots,
  timelineColumns,
  timelineLayout,
} from './timelineLayout';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

/** Two unread items, then six read ones over the last week. */
const ITEMS: TimelineItem[] = [
  { itemId: 'u0', title: 'Old', categories: ['Drama'], time: T0, position: 0, read: false },
  { itemId: 'u1', title: null, categories: [], time: T0 + 4 * DAY, position: 1, read: false },
  ...['Sci-Fi', 'Drama', 'Sci-Fi', 'Comedy', 'Sci-Fi', null].map((category, k) => ({
    itemId: `m${k + 1}`,
    title: k === 5 ? null : `Movie ${k + 1}`,
    categories: category ? [category] : [],
    time: T0 + (60 + k) * DAY,
    position: k + 4,
    read: true,
  })),
];

describe('timelineColumns', () => {
  it('keeps about a sixth of the width (64 to 150 px) as the gutter', () => {
    expect(timelineColumns(760)).toEqual({ left: 8, readLeft: 126, right: 748 });
    expect(timelineColumns(300)).toEqual({ left: 8, readLeft: 72, right: 288 });
    expect(timelineColumns(2000).readLeft).toBe(158);
  });
});

describe('readSlots', () => {
  it('spreads the read items evenly over the read region, by position, whatever the order', () => {
    const slots = readSlots([...ITEMS].reverse(), 760);
    expect([...slots.keys()]).toEqual([4, 5, 6, 7, 8, 9]);
    expect([...slots.values()].map((s) => s.x)).toEqual([181.5, 284.5, 387.5, 490.5, 593.5, 696.5]);
    expect(slots.get(4)?.width).toBe(103);
    // The strip, given only the read items, gets the same slots.
    expect(
      readSlots(
        ITEMS.filter((i) => i.read),
        760,
      ),
    ).toEqual(slots);
  });
});

describe('categoryColours', () => {
  it('gives the palette to the most frequent first categories, grey to the rest', () => {
    const many = Array.from({ length: 9 }, (_, k) => ({ categories: [`c${k}`] }));
    many.push({ categories: ['c8'] }, { categories: ['c8', 'c0'] });
    const { colours, counts } = categoryColours(many);
    expect(colours.get('c8')).toBe(CATEGORICAL[0]);
    expect(colours.get('c0')).toBe(CATEGORICAL[1]);
    // Ties by name: c0..c5 take the rest of the palette's seven colours.
    expect(colours.get('c5')).toBe(CATEGORICAL[6]);
    expect(colours.get('c6')).toBe(OTHER_COLOUR);
    expect(counts.get('c8')).toBe(3);
  });
});

describe('timelineLayout', () => {
  const layout = timelineLayout(ITEMS);

  it('one mark per interaction: unread squeezed in the gutter (grey), read in their slots', () => {
    expect(layout.marks.map((m) => [m.position, m.x, m.r, m.colour])).toEqual([
      [0, 35.5, 4, UNREAD_COLOUR],
      [1, 90.5, 4, UNREAD_COLOUR],
      [4, 181.5, 5, CATEGORICAL[0]],
      [5, 284.5, 5, CATEGORICAL[1]],
      [6, 387.5, 5, CATEGORICAL[0]],
      [7, 490.5, 5, CATEGORICAL[2]],
      [8, 593.5, 5, CATEGORICAL[0]],
      [9, 696.5, 5, NO_CATEGORY_COLOUR],
    ]);
    expect(layout.read).toBe(6);
    expect(layout.unread).toBe(2);
  });

  it('a time lane over the whole history, its read span shaded', () => {
    expect(layout.timed).toBe(true);
    expect(layout.marks[0].timeX).toBe(8);
    expect(layout.marks.at(-1)?.timeX).toBe(748);
    // 60 of 65 days along 740 px from x = 8, widened by 1 px each side.
    expect(layout.readSpan).toEqual({ x1: 690.08, x2: 749 });
    expect(layout.timeTicks.length).toBeGreaterThan(2);
    expect(layout.timeTicks[0].label).toBe('Jan 05');
    expect(layout.timeTicks.every((t) => t.position >= 8 && t.position <= 748)).toBe(true);
  });

  it('labels the read part and the unread count', () => {
    expect(layout.readLabel).toBe('model reads the last 6; 2 older not read');
    expect(layout.unreadLabel).toBe('2 not read');
    expect(layout.readBracket).toEqual({ x1: 130, x2: 748, y: 74 });
    expect(layout.unreadBracket).toEqual({ x1: 8, x2: 118, y: 74 });
  });

  it('names each mark in words (title, category, date, position, read or not)', () => {
    expect(layout.marks[2].label).toBe(
      'Movie 1, Sci-Fi, 2025-03-02, position 4, read by the model',
    );
    expect(layout.marks[1].label).toBe(
      'u1, no category, 2025-01-05, position 1, not read by the model',
    );
    expect(layout.marks[0].tooltip).toBe(
      'Old (u0)\nDrama\n2025-01-01\nposition 0 · not read by the model',
    );
    expect(layout.description).toBe(
      'History of 8 interactions, oldest first: model reads the last 6; 2 older not read; from 2025-01-01 to 2025-03-07; most frequent categories Sci-Fi (3), Drama (2), Comedy (1).',
    );
  });

  it('a legend of the categories and the keys for unread and removed marks', () => {
    const withRemoved = timelineLayout(ITEMS, { showRemovedKey: true });
    expect(withRemoved.legend.map((e) => [e.kind, e.label, e.x])).toEqual([
      ['category', 'Sci-Fi', 10],
      ['category', 'Drama', 75],
      ['category', 'Comedy', 134],
      ['none', 'no category', 199],
      ['unread', 'not read (hollow)', 295],
      ['removed', 'removed (what-if)', 428],
    ]);
    expect(layout.legend.map((e) => e.kind)).not.toContain('removed');
    expect(layout.height).toBe(125);
  });

  it('without times: no time lane, position ticks over the sequence instead', () => {
    const untimed = timelineLayout(ITEMS.map((i) => ({ ...i, time: null })));
    expect(untimed.timed).toBe(false);
    expect(untimed.timeTicks).toEqual([]);
    expect(untimed.readSpan).toBeNull();
    expect(untimed.marks.every((m) => m.timeX === null && m.date === null)).toBe(true);
    expect(untimed.positionTicks.map((t) => t.label)).toEqual([
      '#0',
      '#4',
      '#5',
      '#6',
      '#7',
      '#8',
      '#9',
    ]);
    expect(untimed.description).toContain('without times (ordered by position)');
  });

  it('every item read, none read, and no history', () => {
    const allRead = timelineLayout(ITEMS.map((i) => ({ ...i, read: true })));
    expect(allRead.readLabel).toBe('model reads all 8 interactions');
    expect(allRead.unreadBracket).toBeNull();
    expect(allRead.unreadLabel).toBe('');
    const noneRead = timelineLayout(ITEMS.map((i) => ({ ...i, read: false })));
    expect(noneRead.readLabel).toBe('model reads none of the 8 interactions');
    expect(noneRead.readBracket).toBeNull();
    const empty = timelineLayout([]);
    expect(empty.empty).toBe(true);
    expect(empty.marks).toEqual([]);
    expect(empty.description).toBe('No history to show.');
  });

  it('one interaction (a single time) still gets a time axis', () => {
    const one = timelineLayout([ITEMS[2]]);
    expect(one.marks[0].timeX).toBe(378);
    expect(one.readLabel).toBe('model reads all 1 interaction');
  });
});

describe('readLabel', () => {
  it('says what the model reads', () => {
    expect(readLabel(50, 60)).toBe('model reads the last 50; 60 older not read');
    expect(readLabel(0, 0)).toBe('no interactions');
  });
});
