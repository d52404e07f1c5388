/**
 * Accumulates accepted rows: re-indexes ids in first-seen order (Map<string, number>, the
 * inverse kept as an array, so index <-> id is a bijection), and appends to growable typed
 * arrays. Item titles and categories from the interaction file attach to the item.
 */
import { GrowableArray } from './growable';
import type { CollectedInteractions } from './orderInteractions';

/** Splits a multi-valued category cell (`Comedy|Drama` or `a; b`) into trimmed names. */
export function splitCategories(cell: string): string[] {
  const out: string[] = [];
  for (const part of cell.split(/[|;]/)) {
    const name = part.trim();
    if (name !== '' && !out.includes(name)) out.push(name);
  }
  return out;
}

/**
 * The value of an id written as a canonical non-negative integer below 10^9 (no sign, no
 * leading zero), else -1. Such ids are looked up by number, which is much cheaper than
 * hashing and comparing strings; `007` stays a string id, distinct from `7`.
 */
function canonicalInteger(id: string): number {
  const n = id.length;
  if (n === 0 || n > 9 || (n > 1 && id.charCodeAt(0) === 48)) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Ids to dense indices in first-seen order; `names` is the inverse (a bijection). */
export class Indexer {
  readonly names: string[] = [];
  private readonly byNumber = new Map<number, number>();
  private readonly byString = new Map<string, number>();
  /** Logs often repeat the previous row's id (sorted by user); that skips a lookup. */
  private lastName = '';
  private lastIndex = -1;

  /** The index of `name`, adding it when new. */
  of(name: string): number {
    if (name === this.lastName && this.lastIndex >= 0) return this.lastIndex;
    const number = canonicalInteger(name);
    let i: number | undefined;
    if (number >= 0) {
      i = this.byNumber.get(number);
      if (i === undefined) {
        i = this.append(name);
        this.byNumber.set(number, i);
      }
    } else {
      i = this.byString.get(name);
      if (i === undefined) {
        i = this.append(name);
        this.byString.set(name, i);
      }
    }
    this.lastName = name;
    this.lastIndex = i;
    return i;
  }

  private append(name: string): number {
    // A long substring would keep the whole decoded slice alive; store a flat copy instead.
    this.names.push(name.length >= 13 ? ` ${name}`.slice(1) : name);
    return this.names.length - 1;
  }
}

export class InteractionCollector {
  readonly users = new Indexer();
  readonly items = new Indexer();
  readonly actions = new Indexer();
  readonly categories = new Indexer();
  private readonly user = new GrowableArray(Int32Array);
  private readonly item = new GrowableArray(Int32Array);
  private readonly timestamp = new GrowableArray(Float64Array);
  private readonly action = new GrowableArray(Int32Array);
  private readonly value = new GrowableArray(Float32Array);
  private readonly line = new GrowableArray(Int32Array);
  private readonly itemTitle: (string | null)[] = [];
  private readonly itemCategorySets: (Set<number> | null)[] = [];
  /** Category cells repeat a lot; each distinct cell is split once. */
  private readonly categoryCells = new Map<string, number[]>();

  constructor(private readonly hasTimestamps: boolean) {}

  get size(): number {
    return this.user.length;
  }

  add(
    userId: string,
    itemId: string,
    timestamp: number,
    action: string | null,
    value: number,
    line: number,
    title: string | null,
    categoryCell: string | null,
  ): void {
    const item = this.items.of(itemId);
    if (item === this.itemTitle.length) {
      this.itemTitle.push(null);
      this.itemCategorySets.push(null);
    }
    this.user.push(this.users.of(userId));
    this.item.push(item);
    this.timestamp.push(timestamp);
    this.action.push(action === null || action === '' ? -1 : this.actions.of(action));
    this.value.push(value);
    this.line.push(line);
    if (title !== null && this.itemTitle[item] === null) {
      const trimmed = title.trim();
      if (trimmed !== '') this.itemTitle[item] = trimmed;
    }
    if (categoryCell !== null && categoryCell !== '') {
      let indices = this.categoryCells.get(categoryCell);
      if (indices === undefined) {
        indices = splitCategories(categoryCell).map((name) => this.categories.of(name));
        this.categoryCells.set(categoryCell, indices);
      }
      if (indices.length > 0) {
        let set = this.itemCategorySets[item];
        if (set === null) {
          set = new Set();
          this.itemCategorySets[item] = set;
        }
        for (const c of indices) set.add(c);
      }
    }
  }

  /** The rows collected so far, in file order. */
  collected(): CollectedInteractions {
    return {
      userIds: this.users.names,
      itemIds: this.items.names,
      actionNames: this.actions.names,
      categoryNames: this.categories.names,
      user: this.user.toArray(),
      item: this.item.toArray(),
      timestamp: this.timestamp.toArray(),
      action: this.action.toArray(),
      value: this.value.toArray(),
      line: this.line.toArray(),
      itemTitle: this.itemTitle,
      itemCategories: this.itemCategorySets.map((set) => (set ? [...set] : [])),
      hasTimestamps: this.hasTimestamps,
    };
  }
}
