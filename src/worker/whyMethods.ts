/**
 * What the "Why this item?" view asks the worker besides the explanation itself: a user's
 * timeline (which items the model reads), an item search for the what-if "add", the top-K and
 * an item's rank for an edited history. All in the dataset's original ids; the dataset stays here.
 */
import type { Dataset } from '../core/data/types';
import { rankIn } from '../core/explain/perturbation';
import type { HistoryBatch } from '../core/models/baseline-types';
import { userHistory } from '../core/train/split';
import type {
  ItemMatch,
  ItemRank,
  LensWorkerApi,
  RecommendedItem,
  TimelineItem,
  UserTimeline,
} from './api';
import type { DataContext } from './dataContext';
import { LensError } from './errors';
import { whatIfBatch } from './explainMethods';
import type { LiveModels } from './liveModels';
import type { ModelServiceDeps } from './modelServiceDeps';

export type WhyMethods = Pick<
  LensWorkerApi,
  'userTimeline' | 'searchItems' | 'recommendHistory' | 'rankItem'
>;

/** Most items one search returns, and most recommendations of an edited history. */
export const MAX_ITEM_MATCHES = 100;
const MAX_K = 200;

/** Interactions per item, most interacted first (computed once per dataset). */
const popularity = new WeakMap<Dataset, { counts: Int32Array; order: Int32Array }>();

function itemPopularity(base: Dataset): { counts: Int32Array; order: Int32Array } {
  const known = popularity.get(base);
  if (known) return known;
  const counts = new Int32Array(base.itemIds.length);
  for (const i of base.item) counts[i]++;
  const order = Int32Array.from({ length: counts.length }, (_, i) => i).sort(
    (a, b) => counts[b] - counts[a] || a - b,
  );
  const computed = { counts, order };
  popularity.set(base, computed);
  return computed;
}

function userIndexOf(ctx: DataContext, userId: string): number {
  const user = ctx.userIndex.get(userId);
  if (user === undefined) {
    throw new LensError('unknown-user', `There is no user ${userId} in the loaded dataset.`);
  }
  return user;
}

function itemIndexOf(ctx: DataContext, itemId: string): number {
  const item = ctx.itemIndex.get(itemId);
  if (item === undefined) {
    throw new LensError('unknown-item', `There is no item ${itemId} in the loaded dataset.`);
  }
  return item;
}

const categoryNames = (dataset: Dataset, item: number): string[] =>
  (dataset.itemCategories[item] ?? []).map((c) => dataset.categoryNames[c] ?? `category ${c}`);

/**
 * Items matching `query`: the exact id first, then ids starting with it, then ids or titles
 * containing it (case-insensitive), each group most interacted first; at most `limit`.
 */
export function searchItemIds(ctx: DataContext, query: string, limit: number): ItemMatch[] {
  const cap = Math.max(1, Math.min(MAX_ITEM_MATCHES, Math.floor(limit) || 1));
  const { dataset } = ctx;
  const { counts, order } = itemPopularity(ctx.base);
  const trimmed = query.trim();
  const needle = trimmed.toLowerCase();
  const match = (i: number): ItemMatch => ({
    itemId: dataset.itemIds[i],
    title: dataset.itemTitle[i] ?? null,
    categories: categoryNames(dataset, i),
    interactions: counts[i],
  });
  const exact = trimmed ? ctx.itemIndex.get(trimmed) : undefined;
  const first: ItemMatch[] = exact === undefined ? [] : [match(exact)];
  const prefix: ItemMatch[] = [];
  const inner: ItemMatch[] = [];
  for (const i of order) {
    if (first.length + prefix.length >= cap) break;
    if (i === exact) continue;
    const id = dataset.itemIds[i].toLowerCase();
    if (!needle || id.startsWith(needle)) prefix.push(match(i));
    else if (inner.length < cap) {
      const title = dataset.itemTitle[i]?.toLowerCase() ?? '';
      if (id.includes(needle) || title.includes(needle)) inner.push(match(i));
    }
  }
  return [...first, ...prefix, ...inner].slice(0, cap);
}

/** The methods over the live models; `deps.topK` scores the catalogue. */
export function createWhyMethods(deps: ModelServiceDeps, models: LiveModels): WhyMethods {
  function recommended(ctx: DataContext, top: { item: number; score: number }[]) {
    const { itemIds, itemTitle } = ctx.dataset;
    return top.map(
      ({ item, score }): RecommendedItem => ({
        itemId: itemIds[item],
        title: itemTitle[item] ?? null,
        categories: categoryNames(ctx.dataset, item),
        score,
      }),
    );
  }

  return {
    async userTimeline(modelKey, userId): Promise<UserTimeline> {
      const ctx = models.data();
      const user = userIndexOf(ctx, userId);
      const limit =
        modelKey === null ? Number.POSITIVE_INFINITY : models.get(modelKey).model.readLimit;
      const history = userHistory(ctx.base, user);
      const count = history.items.length;
      const firstRead = Number.isFinite(limit) ? Math.max(0, count - limit) : 0;
      const items = Array.from(
        history.items,
        (item, position): TimelineItem => ({
          itemId: ctx.dataset.itemIds[item],
          title: ctx.dataset.itemTitle[item] ?? null,
          categories: categoryNames(ctx.dataset, item),
          time: Number.isFinite(history.timestamps[position]) ? history.timestamps[position] : null,
          position,
          read: position >= firstRead,
        }),
      );
      return {
        userId,
        modelKey,
        items,
        readLimit: Number.isFinite(limit) ? limit : null,
      };
    },

    async searchItems(query, limit = 20) {
      return searchItemIds(models.data(), String(query ?? ''), limit);
    },

    async recommendHistory(key, history, k = 10) {
      const entry = models.get(key);
      const ctx = models.data();
      const batch = whatIfBatch(ctx, history);
      const cutoff = Math.max(1, Math.min(MAX_K, Math.floor(k) || 1));
      return recommended(ctx, await deps.topK(entry.model, batch, cutoff, true));
    },

    async rankItem(key, userId, itemId, history): Promise<ItemRank> {
      const entry = models.get(key);
      const ctx = models.data();
      const batch: HistoryBatch =
        history === null || history === undefined
          ? userHistory(ctx.base, userIndexOf(ctx, String(userId)))
          : whatIfBatch(ctx, history);
      const user = ctx.userIndex.get(String(userId)) ?? -1;
      const item = itemIndexOf(ctx, itemId);
      const model = entry.model.forUser?.(user) ?? entry.model;
      const scores = await model.score(Int32Array.of(-1), batch);
      const seen = new Uint8Array(model.numItems);
      for (const i of batch.items) seen[i] = 1;
      // As the explanation ranks it: the item itself competes even when it was seen.
      seen[item] = 0;
      return { itemId, score: scores[item], rank: rankIn(scores, 0, model.numItems, item, seen) };
    },
  };
}
