/**
 * Test-only helpers: build small {@link Dataset}s by hand, exactly as the data contract
 * describes them, so split/metric/baseline tests do not depend on the ingest code.
 */
import type { Dataset } from '../data/types';

/** One interaction: [user id, item id, timestamp (epoch ms; NaN for "no time column")]. */
export type InteractionRow = readonly [user: string | number, item: string | number, ts: number];

/**
 * A Dataset from rows in file order. Users and items are indexed by first appearance; the
 * interactions are sorted by user, then timestamp, then file line, as ingest guarantees.
 * `numItems` pads the catalogue with items nobody touched (ids `extra-N`), to test coverage.
 */
export function makeDataset(rows: readonly InteractionRow[], numItems?: number): Dataset {
  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const indexed = rows.map(([u, i, ts], line) => {
    const uid = String(u);
    const iid = String(i);
    if (!userIndex.has(uid)) userIndex.set(uid, userIndex.size);
    if (!itemIndex.has(iid)) itemIndex.set(iid, itemIndex.size);
    return {
      user: userIndex.get(uid) as number,
      item: itemIndex.get(iid) as number,
      ts,
      line: line + 1,
    };
  });
  const hasTimestamps = rows.every(([, , ts]) => !Number.isNaN(ts));
  indexed.sort((a, b) => {
    if (a.user !== b.user) return a.user - b.user;
    if (hasTimestamps && a.ts !== b.ts) return a.ts - b.ts;
    return a.line - b.line;
  });
  const itemIds = [...itemIndex.keys()];
  for (let extra = itemIds.length; extra < (numItems ?? 0); extra++) itemIds.push(`extra-${extra}`);
  const n = indexed.length;
  const userOffsets = new Int32Array(userIndex.size + 1);
  for (const r of indexed) userOffsets[r.user + 1]++;
  for (let u = 0; u < userIndex.size; u++) userOffsets[u + 1] += userOffsets[u];
  return {
    userIds: [...userIndex.keys()],
    itemIds,
    actionNames: [],
    categoryNames: [],
    user: Int32Array.from(indexed, (r) => r.user),
    item: Int32Array.from(indexed, (r) => r.item),
    timestamp: Float64Array.from(indexed, (r) => r.ts),
    action: new Int32Array(n).fill(-1),
    value: new Float32Array(n).fill(Number.NaN),
    line: Int32Array.from(indexed, (r) => r.line),
    userOffsets,
    itemTitle: itemIds.map(() => null),
    itemCategories: itemIds.map(() => []),
    hasTimestamps,
  };
}
