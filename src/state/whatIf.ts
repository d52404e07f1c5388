/**
 * What-if edits of a user's history (the seed papers' feedback loop): remove an interaction,
 * add an item, move an interaction earlier or later. Edits are a short list applied in order to
 * the original timeline, so Undo is "drop the last one", a link carries them in a compact form
 * (`r12,m3:-1,a:p123@40`), and the edited history is always recomputed from the original.
 * Pure functions: tested in Node.
 */
import type { TimelineItem, WhatIfHistory } from '../worker/api';

export type WhatIfEdit =
  /** Drop the original interaction at `position` (0 = oldest). */
  | { kind: 'remove'; position: number }
  /**
   * Insert `itemId` at `index` of the edited list as it stands then (clamped; null = at the
   * end, the most recent). `title` only labels it in the page; it is not in the URL.
   */
  | { kind: 'add'; itemId: string; index: number | null; title?: string | null }
  /** Move the original interaction at `position` by `by` slots (negative = earlier). */
  | { kind: 'move'; position: number; by: number };

/** One interaction of the edited history. */
export interface EditedEntry {
  itemId: string;
  title: string | null;
  categories: string[];
  time: number | null;
  /** Its position in the original history; null for an added item. */
  origin: number | null;
  /** Index (in the edit list) of the edit that added it; null for an original item. */
  addedBy: number | null;
}

/** Most edits kept (a link with more is cut to these, oldest first). */
export const MAX_EDITS = 50;
/** Longest encoded edit list read from a URL. */
export const MAX_EDITS_LENGTH = 4000;
/** Longest item id an "add" may carry. */
const MAX_ID_LENGTH = 256;

/** The edited history: the original timeline with `edits` applied in order. */
export function applyEdits(
  timeline: readonly TimelineItem[],
  edits: readonly WhatIfEdit[],
): EditedEntry[] {
  const entries: EditedEntry[] = timeline.map((t) => ({
    itemId: t.itemId,
    title: t.title,
    categories: t.categories,
    time: t.time,
    origin: t.position,
    addedBy: null,
  }));
  edits.forEach((edit, index) => {
    if (edit.kind === 'add') {
      const at = edit.index === null ? entries.length : clamp(edit.index, 0, entries.length);
      entries.splice(at, 0, {
        itemId: edit.itemId,
        title: edit.title ?? null,
        categories: [],
        time: null,
        origin: null,
        addedBy: index,
      });
      return;
    }
    const at = entries.findIndex((e) => e.origin === edit.position);
    if (at < 0) return;
    const [entry] = entries.splice(at, 1);
    if (edit.kind === 'move') entries.splice(clamp(at + edit.by, 0, entries.length), 0, entry);
  });
  return entries;
}

/** The edited history as the worker takes it (ids oldest first, times where known). */
export function whatIfHistory(entries: readonly EditedEntry[]): WhatIfHistory {
  return { items: entries.map((e) => e.itemId), times: entries.map((e) => e.time) };
}

/** Original positions the edits remove (what the timeline greys out). */
export function removedPositions(edits: readonly WhatIfEdit[]): Set<number> {
  const removed = new Set<number>();
  for (const edit of edits) if (edit.kind === 'remove') removed.add(edit.position);
  return removed;
}

/**
 * A new edit appended to `edits`, merged where that keeps the list short: removing an item
 * twice is one removal, and consecutive moves of the same item add up (a net zero move
 * disappears). The list never grows past {@link MAX_EDITS}.
 */
export function appendEdit(edits: readonly WhatIfEdit[], edit: WhatIfEdit): WhatIfEdit[] {
  if (
    edit.kind === 'remove' &&
    edits.some((e) => e.kind === 'remove' && e.position === edit.position)
  ) {
    return [...edits];
  }
  const last = edits.at(-1);
  if (edit.kind === 'move' && last?.kind === 'move' && last.position === edit.position) {
    const by = last.by + edit.by;
    return by === 0 ? edits.slice(0, -1) : [...edits.slice(0, -1), { ...last, by }];
  }
  if (edits.length >= MAX_EDITS) return [...edits];
  return [...edits, edit];
}

/**
 * Edits that remove the entries at `positions` of an edited history (a counterfactual found
 * on it): an original interaction gets a removal, an added one loses the edit that added it.
 */
export function removalEdits(
  edits: readonly WhatIfEdit[],
  entries: readonly EditedEntry[],
  positions: readonly number[],
): WhatIfEdit[] {
  const dropped = new Set<number>();
  const removals: WhatIfEdit[] = [];
  for (const position of positions) {
    const entry = entries[position];
    if (!entry) continue;
    if (entry.origin !== null) removals.push({ kind: 'remove', position: entry.origin });
    else if (entry.addedBy !== null) dropped.add(entry.addedBy);
  }
  let next = edits.filter((_, i) => !dropped.has(i));
  for (const removal of removals) next = appendEdit(next, removal);
  return next;
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, value));
}

/** The edits as one compact URL value: `r12`, `m3:-1`, `a:<id>@40` (id percent-encoded). */
export function encodeEdits(edits: readonly WhatIfEdit[]): string {
  return edits
    .slice(0, MAX_EDITS)
    .map((edit) => {
      if (edit.kind === 'remove') return `r${edit.position}`;
      if (edit.kind === 'move') return `m${edit.position}:${edit.by}`;
      const at = edit.index === null ? '' : `@${edit.index}`;
      return `a:${encodeURIComponent(edit.itemId)}${at}`;
    })
    .join(',');
}

const NON_NEGATIVE = /^\d{1,7}$/;
const SIGNED = /^-?\d{1,7}$/;

/**
 * Reads an encoded edit list; tokens that do not parse are skipped (a hand-edited link still
 * opens), and at most {@link MAX_EDITS} are kept.
 */
export function decodeEdits(value: string | null): WhatIfEdit[] {
  if (!value || value.length > MAX_EDITS_LENGTH) return [];
  const edits: WhatIfEdit[] = [];
  for (const token of value.split(',')) {
    if (edits.length >= MAX_EDITS) break;
    const edit = decodeEdit(token.trim());
    if (edit) edits.push(edit);
  }
  return edits;
}

function decodeEdit(token: string): WhatIfEdit | null {
  if (token.startsWith('r') && NON_NEGATIVE.test(token.slice(1))) {
    return { kind: 'remove', position: Number(token.slice(1)) };
  }
  if (token.startsWith('m')) {
    const [position, by] = token.slice(1).split(':');
    if (NON_NEGATIVE.test(position ?? '') && SIGNED.test(by ?? '') && Number(by) !== 0) {
      return { kind: 'move', position: Number(position), by: Number(by) };
    }
    return null;
  }
  if (token.startsWith('a:')) {
    const body = token.slice(2);
    const at = body.lastIndexOf('@');
    const rawId = at >= 0 ? body.slice(0, at) : body;
    const rawIndex = at >= 0 ? body.slice(at + 1) : null;
    if (rawIndex !== null && !NON_NEGATIVE.test(rawIndex)) return null;
    let itemId: string;
    try {
      itemId = decodeURIComponent(rawId);
    } catch {
      return null;
    }
    if (!itemId.trim() || itemId.length > MAX_ID_LENGTH) return null;
    return { kind: 'add', itemId, index: rawIndex === null ? null : Number(rawIndex) };
  }
  return null;
}

/** Edits equal as the URL would carry them (titles aside). */
export const sameEdits = (a: readonly WhatIfEdit[], b: readonly WhatIfEdit[]): boolean =>
  encodeEdits(a) === encodeEdits(b);
