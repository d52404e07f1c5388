/**
 * The report: an explanation in the dataset's own ids, plain JSON (no NaN, no typed arrays),
 * with the counterfactual's removed items named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../models/tfTesting';
import type { TrainedRecommender } from '../models/trained';
import { explainRecommendation } from './engine';
import { explanationReport, type ItemCatalogue } from './report';
import { distinctItems, oneHistory, testData, trained, untrained } from './testing';

let knn: TrainedRecommender;
let sasrec: TrainedRecommender;
let catalogue: ItemCatalogue;

beforeAll(async () => {
  await useBackend('wasm');
  knn = await trained('itemknn');
  sasrec = untrained('sasrec');
  const { dataset } = testData();
  catalogue = {
    itemIds: dataset.itemIds,
    itemTitle: dataset.itemIds.map((id, i) => (i % 2 === 0 ? `Title of ${id}` : null)),
    itemCategories: dataset.itemCategories,
    categoryNames: dataset.categoryNames,
  };
});

afterAll(() => {
  knn.dispose();
  sasrec.dispose();
});

/** Paths of every number in `value` that JSON cannot hold (NaN, ±Infinity). */
function nonFinite(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path} = ${value}`];
  if (ArrayBuffer.isView(value)) return [`${path} is a typed array`];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFinite(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => nonFinite(v, `${path}.${k}`));
  }
  return [];
}

async function explain(model: TrainedRecommender, items: number[], timestamps?: number[]) {
  const { dataset } = testData();
  return explainRecommendation(
    {
      model,
      history: oneHistory(items, timestamps),
      item: null,
      itemCategories: dataset.itemCategories,
      categoryNames: dataset.categoryNames,
    },
    { k: 3, lime: { samples: 200 }, ig: { maxSteps: 64 } },
  );
}

describe('explanationReport', () => {
  it.each([
    ['with timestamps', undefined],
    ['without timestamps', Array.from({ length: 6 }, () => Number.NaN)],
  ])('is plain JSON %s (a JSON round trip changes nothing)', async (_what, timestamps) => {
    const history = distinctItems(6, 71);
    const e = await explain(sasrec, history, timestamps);
    const report = explanationReport(e, catalogue, 'u3', 'sasrec-tiny');
    expect(nonFinite(report)).toEqual([]);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report.format).toBe('interest-lens-explanation');
    expect(report.user).toBe('u3');
    expect(report.modelName).toBe('sasrec-tiny');
    if (timestamps) expect(report.history.every((h) => h.time === null)).toBe(true);
    else expect(report.history[1].time).toBe(new Date(86_400_000).toISOString());
  });

  it('names items by id, with titles and category names', async () => {
    const history = distinctItems(6, 72);
    const e = await explain(sasrec, history);
    const report = explanationReport(e, catalogue, null);
    const ids = catalogue.itemIds;
    expect(report.item).toBe(ids[e.item]);
    expect(report.title).toBe(catalogue.itemTitle[e.item]);
    expect(report.categories).toEqual([catalogue.categoryNames[e.item % 4]]);
    expect(report.history.map((h) => h.item)).toEqual(history.map((i) => ids[i]));
    expect(report.history.map((h) => h.categories)).toEqual(
      history.map((i) => [catalogue.categoryNames[i % 4]]),
    );
    const occlusion = report.methods.occlusion;
    const original = e.methods.occlusion;
    if (occlusion?.status !== 'ok' || original?.status !== 'ok') throw new Error('no occlusion');
    expect(occlusion.attributions).toEqual(
      original.attributions.map((a) => ({
        item: ids[a.item],
        position: a.position,
        value: a.value,
      })),
    );
    const attention = report.methods.attention;
    if (attention?.status !== 'ok') throw new Error('no attention');
    expect(attention.rollout?.map((a) => a.item)).toEqual(history.map((i) => ids[i]));
    if (e.target.competitor !== null) throw new Error('score target has no competitor');
    expect(report.target.competitor).toBeNull();
  });

  it('lists the counterfactual removals by id and position', async () => {
    const history = distinctItems(7, 73);
    const e = await explain(knn, history);
    const cf = e.counterfactual;
    if (cf?.status !== 'found') throw new Error(`expected a counterfactual, got ${cf?.status}`);
    const report = explanationReport(e, catalogue, 'u1');
    expect(report.counterfactual?.status).toBe('found');
    expect(report.counterfactual?.removedPositions).toEqual(cf.removed.map((a) => a.position));
    expect(report.counterfactual?.removed).toEqual(
      cf.removed.map((a) => catalogue.itemIds[history[a.position]]),
    );
    expect(report.counterfactual?.newRank).toBe(cf.newRank);
    // itemknn states no gradients: the reason travels, not attributions.
    expect(report.methods.ig).toMatchObject({ status: 'unavailable' });
    expect(nonFinite(report)).toEqual([]);
  });

  it('names the margin competitor by id', async () => {
    const { dataset } = testData();
    const e = await explainRecommendation(
      {
        model: knn,
        history: oneHistory(distinctItems(5, 74)),
        item: null,
        itemCategories: dataset.itemCategories,
        categoryNames: dataset.categoryNames,
      },
      { target: 'margin', k: 2, methods: ['exact'] },
    );
    const report = explanationReport(e, catalogue, null);
    expect(e.target.competitor).not.toBeNull();
    expect(report.target.competitor).toBe(catalogue.itemIds[e.target.competitor as number]);
    expect(report.target.k).toBe(2);
  });
});
