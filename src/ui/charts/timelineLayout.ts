/**
 * Lays out a user's history as a timeline. Two lanes: on top a true time axis over the whole
 * history (one tick per interaction, the span the model reads shaded); below it the sequence,
 * one evenly spaced mark per interaction (the older ones the model does not read squeezed
 * into a gutter on the left), joined to its time by a thin line. Interaction marks are the
 * controls (remove, restore), so they need room however the times cluster; the time lane keeps
 * the time axis honest. The sequence's x positions of the read items ({@link readSlots}) are
 * shared with the attribution strip, whose row labels sit in the same gutter.
 *
 * Pure (no DOM): tested in Node; `UserTimeline` renders what it returns.
 */
import { max, min, ticks as numericTicks, scaleUtc } from 'd3';
import type { TimelineItem } from '../../worker/api';
import { formatIsoDate } from '../format';
import { type AxisTick, roundPixel as round } from './chartFrame';
import { legendLayout, type Placed } from './legendLayout';
import { CATEGORICAL, NO_CATEGORY_COLOUR, OTHER_COLOUR, textWidth, UNREAD_COLOUR } from './palette';

/** Default viewBox width of the timeline and of the strip aligned under it. */
export const TIMELINE_WIDTH = 760;

/** The horizontal frame shared by the timeline and the attribution strip. */
export interface TimelineColumns {
  /** Left edge of the gutter (unread interactions; the strip's row labels). */
  left: number;
  /** Left edge of the read region. */
  readLeft: number;
  right: number;
}

/** A slot of the sequence lane: its centre and width. */
export interface Slot {
  position: number;
  x: number;
  width: number;
}

/**
 * The frame of a `width`-wide timeline or strip: a gutter of about a sixth of the width (64 to
 * 150 px) on the left, the read items over the rest. A function of the width only, so a strip
 * drawn at the same width lines up with the timeline without knowing its unread items.
 */
export function timelineColumns(width: number): TimelineColumns {
  const left = 8;
  const right = Math.max(left + 60, width - 12);
  const gutter = Math.round(Math.min(150, Math.max(64, (right - left) * 0.16)));
  return { left, readLeft: Math.min(right - 40, left + gutter), right };
}

/** `count` equal slots over [from, to], in order. */
function slotsOver<T extends { position: number }>(
  items: readonly T[],
  from: number,
  to: number,
): Slot[] {
  const width = items.length ? Math.max(0, to - from) / items.length : 0;
  return items.map((item, k) => ({
    position: item.position,
    x: round(from + (k + 0.5) * width),
    width: round(width),
  }));
}

/**
 * The x slot of each read item (by position), oldest left, evenly over the read region. The
 * timeline and the attribution strip both call this with the same read items and width.
 */
export function readSlots(
  items: readonly Pick<TimelineItem, 'position' | 'read'>[],
  width: number,
): Map<number, Slot> {
  const { readLeft, right } = timelineColumns(width);
  const read = items.filter((item) => item.read).sort((a, b) => a.position - b.position);
  return new Map(slotsOver(read, readLeft + 4, right).map((slot) => [slot.position, slot]));
}

/**
 * A colour per category, by how many interactions have it as their first category (most
 * frequent first, then by name): the palette's colours for the most frequent, one grey for the
 * rest. Items are coloured by their first category only.
 */
export function categoryColours(items: readonly Pick<TimelineItem, 'categories'>[]): {
  colours: Map<string, string>;
  counts: Map<string, number>;
} {
  const counts = new Map<string, number>();
  for (const item of items) {
    const first = item.categories[0];
    if (first !== undefined) counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const colours = new Map(
    ranked.map(([name], k) => [name, k < CATEGORICAL.length ? CATEGORICAL[k] : OTHER_COLOUR]),
  );
  return { colours, counts };
}

export interface TimelineMark {
  position: number;
  itemId: string;
  /** The title, or the id when there is none. */
  name: string;
  /** The first category (the mark's colour), null when the item has none. */
  category: string | null;
  categories: string[];
  colour: string;
  read: boolean;
  time: number | null;
  /** "2025-03-02", null without a time. */
  date: string | null;
  x: number;
  y: number;
  r: number;
  /** Width of the mark's slot (its hit area). */
  slotWidth: number;
  /** x on the time lane; null without a time. */
  timeX: number | null;
  /** What a screen reader says for the mark (the component adds the what-if state). */
  label: string;
  /** The hover title: name, id, categories, date, position, read or not. */
  tooltip: string;
}

export type TimelineLegendEntry = {
  kind: 'category' | 'other' | 'none' | 'unread' | 'removed';
  label: string;
  colour: string;
};

export interface TimelineLayout {
  width: number;
  height: number;
  columns: TimelineColumns;
  marks: TimelineMark[];
  /** True when every interaction has a time: the time lane is drawn. */
  timed: boolean;
  /** Time lane: the axis line's y and its ticks (dates; labels near an edge anchored inward). */
  timeAxisY: number;
  timeTicks: (AxisTick & { anchor: 'start' | 'middle' | 'end' })[];
  /** The read part of the time lane, shaded; null when nothing is read or untimed. */
  readSpan: { x1: number; x2: number } | null;
  /** Sequence lane: the marks' y. */
  laneY: number;
  /** Position ticks over the sequence lane, drawn when the history has no times. */
  positionTicks: AxisTick[];
  /** Brackets under the read region and the gutter (null when empty), and their labels. */
  readBracket: { x1: number; x2: number; y: number } | null;
  unreadBracket: { x1: number; x2: number; y: number } | null;
  labelY: number;
  /** "model reads the last 50; 60 older not read". */
  readLabel: string;
  /** "60 not read", under the gutter; empty when every interaction is read. */
  unreadLabel: string;
  legend: Placed<TimelineLegendEntry>[];
  /** One sentence stating the chart's content, for its accessible label. */
  description: string;
  read: number;
  unread: number;
  empty: boolean;
}

export interface TimelineLayoutOptions {
  width?: number;
  /** Add the "removed (what-if)" key to the legend. */
  showRemovedKey?: boolean;
}

/** "model reads the last 50; 60 older not read" (and the variants for none or all read). */
export function readLabel(read: number, unread: number): string {
  if (read + unread === 0) return 'no interactions';
  if (read === 0) return `model reads none of the ${unread} interactions`;
  if (unread === 0) return `model reads all ${read} interaction${read === 1 ? '' : 's'}`;
  return `model reads the last ${read}; ${unread} older not read`;
}

/** The timeline of `items` (a user's whole history; any order, drawn by position). */
export function timelineLayout(
  items: readonly TimelineItem[],
  options: TimelineLayoutOptions = {},
): TimelineLayout {
  const width = options.width ?? TIMELINE_WIDTH;
  const columns = timelineColumns(width);
  const sorted = [...items].sort((a, b) => a.position - b.position);
  const read = sorted.filter((item) => item.read);
  const unread = sorted.filter((item) => !item.read);
  const timed = sorted.length > 0 && sorted.every((item) => Number.isFinite(item.time));

  const timeAxisY = 20;
  const laneY = timed ? 62 : 40;
  const labelY = laneY + 27;

  const times = sorted.map((item) => item.time as number);
  // d3's min/max loop: spreading a 200,000-interaction history into Math.min overflows the stack.
  const t0 = timed ? (min(times) ?? 0) : 0;
  const t1 = timed ? (max(times) ?? 0) : 0;
  const day = 86_400_000;
  const time = scaleUtc()
    .domain(t0 === t1 ? [t0 - day, t1 + day] : [t0, t1])
    .range([columns.left, columns.right]);
  const tickCount = Math.max(2, Math.floor((columns.right - columns.left) / 120));
  const tickFormat = time.tickFormat(tickCount);
  const timeTicks = timed
    ? time.ticks(tickCount).map((t) => {
        const position = round(time(t));
        const label = tickFormat(t);
        const half = textWidth(label) / 2;
        const anchor: 'start' | 'middle' | 'end' =
          position - half < columns.left
            ? 'start'
            : position + half > columns.right
              ? 'end'
              : 'middle';
        return { position, label, anchor };
      })
    : [];

  const readSlotsByPosition = readSlots(read, width);
  const unreadSlots = slotsOver(unread, columns.left, columns.readLeft - 8);
  const unreadByPosition = new Map(unreadSlots.map((slot) => [slot.position, slot]));
  const { colours, counts } = categoryColours(sorted);

  const marks = sorted.map((item): TimelineMark => {
    const slot = (item.read ? readSlotsByPosition : unreadByPosition).get(item.position) as Slot;
    const category = item.categories[0] ?? null;
    const colour = !item.read
      ? UNREAD_COLOUR
      : category === null
        ? NO_CATEGORY_COLOUR
        : (colours.get(category) ?? OTHER_COLOUR);
    const name = item.title ?? item.itemId;
    const date = Number.isFinite(item.time) ? formatIsoDate(item.time as number) : null;
    const categoriesText = item.categories.length ? item.categories.join(', ') : 'no category';
    const readText = item.read ? 'read by the model' : 'not read by the model';
    return {
      position: item.position,
      itemId: item.itemId,
      name,
      category,
      categories: item.categories,
      colour,
      read: item.read,
      time: item.time,
      date,
      x: slot.x,
      y: laneY,
      r: round(Math.min(item.read ? 5 : 4, Math.max(1.2, slot.width * 0.38))),
      slotWidth: slot.width,
      timeX: timed ? round(time(item.time as number)) : null,
      label: `${name}, ${categoriesText}, ${date ?? 'no date'}, position ${item.position}, ${readText}`,
      tooltip: [
        item.title === null ? item.itemId : `${item.title} (${item.itemId})`,
        categoriesText,
        date ?? 'no date',
        `position ${item.position} · ${readText}`,
      ].join('\n'),
    };
  });

  const readMarks = marks.filter((m) => m.read);
  const readSpan =
    timed && readMarks.length
      ? {
          x1: round((min(readMarks, (m) => m.timeX as number) ?? 0) - 1),
          x2: round((max(readMarks, (m) => m.timeX as number) ?? 0) + 1),
        }
      : null;

  const positionTicks: AxisTick[] = [];
  if (!timed && sorted.length) {
    const byPosition = new Map(marks.map((m) => [m.position, m]));
    const first = unread[0] ?? read[0];
    positionTicks.push({
      position: byPosition.get(first.position)?.x ?? 0,
      label: `#${first.position}`,
    });
    if (read.length) {
      const lo = read[0].position;
      const hi = read[read.length - 1].position;
      const count = Math.max(1, Math.floor((columns.right - columns.readLeft) / 70));
      const wanted = [lo, ...numericTicks(lo, hi, count).filter(Number.isInteger), hi];
      for (const p of [...new Set(wanted)]) {
        const mark = byPosition.get(p);
        const last = positionTicks[positionTicks.length - 1];
        if (mark && mark.x - last.position >= 34) {
          positionTicks.push({ position: mark.x, label: `#${p}` });
        }
      }
    }
  }

  const bracketY = laneY + 12;
  const readBracket = read.length
    ? { x1: columns.readLeft + 4, x2: columns.right, y: bracketY }
    : null;
  const unreadBracket = unread.length
    ? { x1: columns.left, x2: columns.readLeft - 8, y: bracketY }
    : null;

  const legendEntries: TimelineLegendEntry[] = [];
  for (const [name, colour] of colours) {
    if (colour !== OTHER_COLOUR) legendEntries.push({ kind: 'category', label: name, colour });
  }
  const others = [...colours.values()].filter((c) => c === OTHER_COLOUR).length;
  if (others) {
    legendEntries.push({
      kind: 'other',
      label: `${others} other categor${others === 1 ? 'y' : 'ies'}`,
      colour: OTHER_COLOUR,
    });
  }
  if (sorted.some((item) => item.read && item.categories.length === 0)) {
    legendEntries.push({ kind: 'none', label: 'no category', colour: NO_CATEGORY_COLOUR });
  }
  if (unread.length) {
    legendEntries.push({ kind: 'unread', label: 'not read (hollow)', colour: UNREAD_COLOUR });
  }
  if (options.showRemovedKey) {
    legendEntries.push({ kind: 'removed', label: 'removed (what-if)', colour: '#c03030' });
  }
  const legend = legendLayout(legendEntries, {
    left: columns.left + 2,
    right: columns.right,
    top: labelY + 22,
  });

  const topCategories = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3)
    .map(([name, n]) => `${name} (${n})`);
  const description = sorted.length
    ? [
        `History of ${sorted.length} interaction${sorted.length === 1 ? '' : 's'}, oldest first: ${readLabel(read.length, unread.length)}`,
        timed
          ? `from ${formatIsoDate(t0)} to ${formatIsoDate(t1)}`
          : 'without times (ordered by position)',
        topCategories.length ? `most frequent categories ${topCategories.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ')
        .concat('.')
    : 'No history to show.';

  return {
    width,
    height: Math.ceil(Math.max(labelY + 10, legend.bottom) + 6),
    columns,
    marks,
    timed,
    timeAxisY,
    timeTicks,
    readSpan,
    laneY,
    positionTicks,
    readBracket,
    unreadBracket,
    labelY,
    readLabel: readLabel(read.length, unread.length),
    unreadLabel: unread.length ? `${unread.length} not read` : '',
    legend: legend.entries,
    description,
    read: read.length,
    unread: unread.length,
    empty: sorted.length === 0,
  };
}
