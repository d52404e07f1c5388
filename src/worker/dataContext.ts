/**
 * What the model service derives once per dataset: the temporal leave-last-out split that
 * every variant is trained and evaluated on (so their numbers compare fairly), item features,
 * and user and item indices for search, recommendation and explanation. Rebuilt only when the
 * interactions change.
 */
import type { Dataset } from '../core/data/types';
import type { ItemFeatures } from '../core/models/trained';
import type { LeaveLastOutSplit } from '../core/train/split';
import type { UserMatch } from './api';

export interface DataContext {
  /** The interactions the split was computed from (identity marks the dataset). */
  base: Dataset;
  /** The current dataset (the interactions plus any joined item metadata). */
  dataset: Dataset;
  fileName: string;
  split: LeaveLastOutSplit;
  /** Computed on first use (models that read item side information); null until then. */
  features: ItemFeatures | null;
  userIndex: Map<string, number>;
  /** Item index by original id (metadata joins keep the items, so this stays valid). */
  itemIndex: Map<string, number>;
  /** User ids matching a query (see {@link searchUserIds}). */
  searchUsers(query: string, limit: number): UserMatch[];
}

/** Most users one search returns. */
export const MAX_USER_MATCHES = 200;

/** Builds the context of a dataset; `split` is the protocol's split function. */
export function dataContext(
  base: Dataset,
  dataset: Dataset,
  fileName: string,
  split: (dataset: Dataset) => LeaveLastOutSplit,
): DataContext {
  const userIndex = new Map<string, number>();
  for (let u = 0; u < base.userIds.length; u++) userIndex.set(base.userIds[u], u);
  const itemIndex = new Map<string, number>();
  for (let i = 0; i < base.itemIds.length; i++) itemIndex.set(base.itemIds[i], i);
  const byActivity = usersByActivity(base);
  return {
    base,
    dataset,
    fileName,
    split: split(base),
    features: null,
    userIndex,
    itemIndex,
    searchUsers: (query, limit) => searchUserIds(base, byActivity, query, limit),
  };
}

/** User indices, most interactions first (ties in dataset order): the default user is first. */
export function usersByActivity(dataset: Dataset): Int32Array {
  const count = dataset.userIds.length;
  const order = new Int32Array(count);
  for (let u = 0; u < count; u++) order[u] = u;
  const size = (u: number) => dataset.userOffsets[u + 1] - dataset.userOffsets[u];
  return order.sort((a, b) => size(b) - size(a) || a - b);
}

/**
 * The user whose id is exactly `query` first, then users whose id starts with it
 * (case-insensitive), then those containing it elsewhere, each group most active first; an
 * empty query lists the most active users. At most `limit` (capped at {@link MAX_USER_MATCHES}).
 */
export function searchUserIds(
  dataset: Dataset,
  byActivity: Int32Array,
  query: string,
  limit: number,
): UserMatch[] {
  const cap = Math.max(1, Math.min(MAX_USER_MATCHES, Math.floor(limit) || 1));
  const needle = query.trim().toLowerCase();
  const match = (u: number): UserMatch => ({
    id: dataset.userIds[u],
    interactions: dataset.userOffsets[u + 1] - dataset.userOffsets[u],
  });
  const exact = dataset.userIds.indexOf(query.trim());
  const prefix: UserMatch[] = exact >= 0 && needle ? [match(exact)] : [];
  const inner: UserMatch[] = [];
  for (const u of byActivity) {
    if (prefix.length >= cap) break;
    if (u === exact) continue;
    const id = dataset.userIds[u].toLowerCase();
    const at = needle ? id.indexOf(needle) : 0;
    if (at === 0) prefix.push(match(u));
    else if (at > 0 && inner.length < cap) inner.push(match(u));
  }
  return [...prefix, ...inner].slice(0, cap);
}
