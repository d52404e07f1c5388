/**
 * Counterfactuals are verified, not estimated: the test re-scores every returned set itself
 * (the model's full-catalogue `score`, seen items excluded, ties against the item; no engine
 * code involved) and, on short histories, searches every smaller set exhaustively.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../models/tfTesting';
import type { TrainedRecommender } from '../models/trained';
import type { ModelId } from '../models/types';
import { explainRecommendation } from './engine';
import {
  distinctItems,
  independentRanks,
  NUM_ITEMS,
  request,
  subsetsSmallerThan,
  trained,
} from './testing';

const K = 3;
const MODELS: ModelId[] = ['weighted', 'itemknn', 'sasrec', 'gru'];
/** Short histories (at most 8 read items, within every model's window). */
const HISTORIES = [
  distinctItems(5, 11),
  distinctItems(6, 12),
  distinctItems(7, 13),
  distinctItems(8, 14),
  // A repeated item: removing one occurrence is a real edit too.
  [...distinctItems(5, 15), distinctItems(5, 15)[1]],
];

const models = new Map<ModelId, TrainedRecommender>();

beforeAll(async () => {
  await useBackend('wasm');
  for (const id of MODELS) models.set(id, await trained(id, 2));
});

afterAll(() => {
  for (const m of models.values()) m.dispose();
});

describe.each(MODELS)('%s counterfactuals', (id) => {
  it('drop the item out of the top K when re-scored independently, and no smaller set does', async () => {
    const model = models.get(id) as TrainedRecommender;
    let found = 0;
    for (const history of HISTORIES) {
      const e = await explainRecommendation(request(model, history), {
        k: K,
        methods: ['occlusion', 'counterfactual'],
      });
      const cf = e.counterfactual;
      if (!cf) throw new Error('no counterfactual result');
      expect(cf.k).toBe(K);
      // Independent rank of the unedited history agrees with the engine's.
      const [rank] = await independentRanks(model, [history], e.item);
      expect(e.rank).toBe(rank);
      const n = history.length;
      if (rank > K) {
        // The top-1 item can rank below K when it ties with others (ties count against it).
        expect(cf.status).toBe('none');
      } else if (cf.status === 'found') {
        found++;
        const removed = cf.removed.map((a) => a.position);
        expect(removed.length).toBeGreaterThan(0);
        expect(cf.removed.map((a) => a.item)).toEqual(removed.map((p) => history[p]));
        const edited = history.filter((_, p) => !removed.includes(p));
        const [newRank] = await independentRanks(model, [edited], e.item);
        expect(newRank).toBeGreaterThan(K);
        expect(cf.newRank).toBe(newRank);
        // Minimality: every strictly smaller set of removals keeps the item in the top K.
        const smaller = subsetsSmallerThan(n, removed.length);
        const ranks = await independentRanks(
          model,
          smaller.map((set) => history.filter((_, p) => !set.includes(p))),
          e.item,
        );
        expect(Math.max(...ranks)).toBeLessThanOrEqual(K);
        expect(cf.minimal).toBe(true);
      } else {
        // 'none' on a short history: the search was exhaustive, so no subset at all works.
        expect(cf.status).toBe('none');
        expect(cf.reason).toBeTruthy();
        const every = subsetsSmallerThan(n, n + 1).filter((s) => s.length > 0);
        const ranks = await independentRanks(
          model,
          every.map((set) => history.filter((_, p) => !set.includes(p))),
          e.item,
        );
        expect(Math.max(...ranks)).toBeLessThanOrEqual(K);
      }
    }
    // The check must not be vacuous on these tiny catalogues.
    expect(found).toBeGreaterThanOrEqual(3);
  });
});

describe('counterfactual edge cases', () => {
  it('says none when the item is already outside the top K', async () => {
    const model = models.get('itemknn') as TrainedRecommender;
    const history = HISTORIES[1];
    const first = await explainRecommendation(request(model, history), { methods: [] });
    // The worst-ranked unseen item.
    const unseen = Array.from({ length: NUM_ITEMS }, (_, i) => i).filter(
      (i) => !history.includes(i),
    );
    const ranks = await Promise.all(
      unseen.map(async (i) => (await independentRanks(model, [history], i))[0]),
    );
    const last = unseen[ranks.indexOf(Math.max(...ranks))];
    const e = await explainRecommendation(request(model, history, last), {
      k: K,
      methods: ['counterfactual'],
    });
    expect(first.item).not.toBe(last);
    expect(e.rank).toBeGreaterThan(K);
    expect(e.counterfactual?.status).toBe('none');
    expect(e.counterfactual?.reason).toMatch(/outside the top 3/);
  });

  it('beyond the exhaustive budget, searches greedily, verifies and does not claim minimality', async () => {
    const model = additiveModel();
    const history = Array.from({ length: 20 }, (_, k) => 10 + k);
    const e = await explainRecommendation(
      { ...request(model, history, 0), itemCategories: [], categoryNames: [] },
      { k: 1, methods: ['occlusion', 'counterfactual'] },
    );
    expect(e.rank).toBe(1);
    const cf = e.counterfactual;
    if (cf?.status !== 'found') throw new Error(`expected a counterfactual, got ${cf?.status}`);
    // 20 items of 1 each against a competitor at 15.5: five removals are needed; sizes 1..3
    // (1,350 sets) fit the exhaustive budget, size 4 (4,845) does not.
    expect(cf.exhaustiveUpTo).toBe(3);
    expect(cf.removed).toHaveLength(5);
    expect(cf.order).toBe('occlusion');
    expect(cf.minimal).toBe(false);
    const removed = cf.removed.map((a) => a.position);
    const [newRank] = await independentRanks(
      model,
      [history.filter((_, p) => !removed.includes(p))],
      0,
    );
    expect(newRank).toBe(2);
    expect(cf.newRank).toBe(2);
  });

  it('says none within maxRemovals when no set of that size is enough', async () => {
    const model = additiveModel();
    const history = Array.from({ length: 20 }, (_, k) => 10 + k);
    const e = await explainRecommendation(
      { ...request(model, history, 0), itemCategories: [], categoryNames: [] },
      { k: 1, maxRemovals: 4, methods: ['occlusion', 'counterfactual'] },
    );
    expect(e.counterfactual?.status).toBe('none');
    expect(e.counterfactual?.reason).toMatch(/up to 4/);
  });
});

/**
 * A hand-made additive model over 30 items: item 0 scores the number of distinct history
 * items 10..29 it holds (1 each), item 1 scores 15.5, items 2..9 score 2..9 / 10, and items
 * 10..29 score −100 (never above item 0 once removed).
 */
function additiveModel(): TrainedRecommender {
  const numItems = 30;
  const constant = (j: number) => (j === 1 ? 15.5 : j < 10 ? j / 10 : -100);
  const itemZero = (items: Int32Array) => new Set(Array.from(items).filter((i) => i >= 10)).size;
  const rows = (h: { offsets: Int32Array; items: Int32Array }, r: number) =>
    h.items.subarray(h.offsets[r], h.offsets[r + 1]);
  return {
    id: 'itemknn',
    numItems,
    hyper: {},
    neural: null,
    readLimit: Number.POSITIVE_INFINITY,
    historyIndependent: false,
    score: async (users, h) => {
      const out = new Float32Array(users.length * numItems);
      for (let r = 0; r < users.length; r++) {
        for (let j = 0; j < numItems; j++) out[r * numItems + j] = constant(j);
        out[r * numItems] = itemZero(rows(h, r));
      }
      return out;
    },
    scorePairs: async (h, items) =>
      Float32Array.from(items, (j, r) => (j === 0 ? itemZero(rows(h, r)) : constant(j))),
    exportWeights: () => [],
    dispose: () => {},
  };
}
