/**
 * The Why view's worker methods with a fake model: the timeline marks what the model reads,
 * the item search orders exact id, prefixes, then substrings (ids or titles) by popularity, and
 * an edited history gets its own top-K and the explanation's rank.
 */
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../core/data/types';
import type { TrainedRecommender, TrainingRecord } from '../core/models/trained';
import type { LeaveLastOutSplit } from '../core/train/split';
import { makeDataset } from '../core/train/testing';
import { decodeError } from './errors';
import { createModelService, type ModelServiceDeps } from './modelService';

/** Item i scores i (the highest index is the best); reads the last `readLimit` items. */
function fakeModel(id: string, numItems: number, readLimit: number): TrainedRecommender {
  return {
    id,
    numItems,
    hyper: {},
    neural: null,
    features: null,
    readLimit,
    historyIndependent: false,
    score: async (users: Int32Array) =>
      Float32Array.from({ length: users.length * numItems }, (_, j) => j % numItems),
    exportWeights: () => [],
    dispose() {},
  } as unknown as TrainedRecommender;
}

function setup() {
  const rows: [string, string, number][] = [
    ['alice', 'i0', 1000],
    ['alice', 'i1', 2000],
    ['alice', 'i2', 3000],
    ['bob', 'i1', 1000],
    ['bob', 'i3', 2000],
    ['carol', 'i1', 500],
    ['carol', 'x10', 600],
  ];
  const dataset = makeDataset(rows);
  dataset.itemTitle = ['Zero', 'One', null, 'Three', 'Ten Thousand'];
  dataset.categoryNames = ['Sci-Fi', 'Drama'];
  dataset.itemCategories = [[0], [0, 1], [], [1], []];
  const current = { dataset, baseDataset: dataset, fileName: 'x.csv' };
  const deps = {
    splitDataset: (d: Dataset) => ({ numItems: d.itemIds.length }) as LeaveLastOutSplit,
    itemFeatures: () => ({ numCategories: 0, categories: [], titleTokens: [], titleBuckets: 1 }),
    async trainVariant(d: Dataset, _split: unknown, id: string) {
      const limit = id === 'itemknn' ? Number.POSITIVE_INFINITY : 2;
      return {
        model: fakeModel(id, d.itemIds.length, limit),
        record: { modelId: id } as unknown as TrainingRecord,
      };
    },
    topK: async (model, history, k) => {
      const scores = await model.score(Int32Array.of(-1), history);
      const seen = new Set(history.items);
      return [...scores]
        .map((score, item) => ({ item, score }))
        .filter((s) => !seen.has(s.item))
        .sort((a, b) => b.score - a.score)
        .slice(0, k);
    },
    ensureBackend: async () => undefined,
    activeBackend: () => 'wasm',
  } as Partial<ModelServiceDeps> as ModelServiceDeps;
  return createModelService(deps, () => current);
}

describe('the Why view worker methods', () => {
  it('gives the whole timeline, marking the items the model reads', async () => {
    const service = setup();
    await service.trainModel('gru', {}, () => undefined);
    await service.trainModel('itemknn', {}, () => undefined);
    const timeline = await service.userTimeline('gru', 'alice');
    expect(timeline.readLimit).toBe(2);
    expect(timeline.items).toEqual([
      {
        itemId: 'i0',
        title: 'Zero',
        categories: ['Sci-Fi'],
        time: 1000,
        position: 0,
        read: false,
      },
      {
        itemId: 'i1',
        title: 'One',
        categories: ['Sci-Fi', 'Drama'],
        time: 2000,
        position: 1,
        read: true,
      },
      { itemId: 'i2', title: null, categories: [], time: 3000, position: 2, read: true },
    ]);
    const all = await service.userTimeline('itemknn', 'alice');
    expect(all.readLimit).toBeNull();
    expect(all.items.every((i) => i.read)).toBe(true);
    const none = await service.userTimeline(null, 'bob');
    expect(none.items.map((i) => [i.itemId, i.read])).toEqual([
      ['i1', true],
      ['i3', true],
    ]);
    const error = decodeError(await service.userTimeline(null, 'dave').catch((e: unknown) => e));
    expect(error.code).toBe('unknown-user');
  });

  it('searches items: exact id, then id prefix, then id or title substring, most popular first', async () => {
    const service = setup();
    // i1 has 3 interactions, the others 1: the empty query lists i1 first.
    expect((await service.searchItems('', 2)).map((m) => [m.itemId, m.interactions])).toEqual([
      ['i1', 3],
      ['i0', 1],
    ]);
    expect((await service.searchItems('i3', 10)).map((m) => m.itemId)).toEqual(['i3']);
    expect((await service.searchItems('I', 10)).map((m) => m.itemId)).toEqual([
      'i1',
      'i0',
      'i2',
      'i3',
    ]);
    // "thousand" is in x10's title only; "e" is in every title (not i2's, which has none) and no id.
    expect((await service.searchItems('thousand', 10)).map((m) => m.itemId)).toEqual(['x10']);
    expect((await service.searchItems('e', 10)).map((m) => m.itemId)).toEqual([
      'i1',
      'i0',
      'i3',
      'x10',
    ]);
    expect((await service.searchItems('zzz', 10)).length).toBe(0);
  });

  it('recommends and ranks for an edited history, by ids', async () => {
    const service = setup();
    await service.trainModel('gru', {}, () => undefined);
    // The fake scores item index i as i: x10 (4) > i3 (3) > i2 (2) > ...
    const edited = await service.recommendHistory('gru', { items: ['i0', 'x10'] }, 2);
    expect(edited.map((r) => r.itemId)).toEqual(['i3', 'i2']);
    expect(edited[0]).toMatchObject({ title: 'Three', categories: ['Drama'], score: 3 });
    // For alice (i0, i1, i2 seen), i3 is behind only x10.
    expect(await service.rankItem('gru', 'alice', 'i3')).toEqual({
      itemId: 'i3',
      score: 3,
      rank: 2,
    });
    // With x10 in the history it is first; the item itself counts even when in the history.
    expect((await service.rankItem('gru', null, 'i3', { items: ['x10', 'i3'] })).rank).toBe(1);
    const unknown = decodeError(
      await service.recommendHistory('gru', { items: ['nope'] }).catch((e: unknown) => e),
    );
    expect(unknown.code).toBe('unknown-item');
  });
});
