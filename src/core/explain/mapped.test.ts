/**
 * A model mapped onto other data (persist/match.ts) is explained through the mapping: items it
 * does not know are never the explained item, and as history items they have no influence;
 * the known items' attributions are those of the model in its own item space.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../models/tfTesting';
import type { TrainedRecommender } from '../models/trained';
import type { ModelId } from '../models/types';
import { mapToDataset } from '../persist/match';
import { ExplainError, explainRecommendation } from './engine';
import { NUM_ITEMS, request, trained, untrained, valuesOf } from './testing';
import type { Explanation } from './types';

/** Model item j is dataset item j + 2; dataset items 0 and 1 are unknown to the model. */
const SHIFT = 2;
const itemMap = Int32Array.from({ length: NUM_ITEMS }, (_, j) => j + SHIFT);

const originals = new Map<ModelId, TrainedRecommender>();

beforeAll(async () => {
  await useBackend('wasm');
  originals.set('itemknn', await trained('itemknn'));
  originals.set('sasrec', untrained('sasrec'));
});

afterAll(() => {
  for (const m of originals.values()) m.dispose();
});

/** The mapped view (not disposed: it would dispose the original). */
const mapped = (id: ModelId) =>
  mapToDataset(originals.get(id) as TrainedRecommender, itemMap, NUM_ITEMS + SHIFT);

const occlusionOf = (e: Explanation) => {
  const o = e.methods.occlusion;
  if (o?.status !== 'ok') throw new Error('occlusion did not run');
  return valuesOf(o.attributions);
};

describe.each(['itemknn', 'sasrec'] as ModelId[])('mapped %s', (id) => {
  it('explains known items as the original does; unknown history items have no influence', async () => {
    const model = mapped(id);
    // Dataset history: an unknown item first and one in the middle.
    const history = [0, 5, 9, 1, 12, 3];
    const e = await explainRecommendation(request(model, history), {
      methods: ['exact', 'ig', 'occlusion', 'shap'],
    });
    expect(e.item).toBeGreaterThanOrEqual(SHIFT);
    const inModelSpace = history.filter((i) => i >= SHIFT).map((i) => i - SHIFT);
    const original = await explainRecommendation(
      request(originals.get(id) as TrainedRecommender, inModelSpace, e.item - SHIFT),
      { methods: ['occlusion'] },
    );
    const occlusion = occlusionOf(e);
    expect(occlusion[0]).toBe(0);
    expect(occlusion[3]).toBe(0);
    const known = occlusion.filter((_, p) => history[p] >= SHIFT);
    const expected = occlusionOf(original);
    known.forEach((v, k) => {
      expect(v).toBeCloseTo(expected[k], 5);
    });
    const shap = e.methods.shap;
    if (shap?.status !== 'ok') throw new Error('shap did not run');
    expect(Math.abs(shap.attributions[0].value)).toBeLessThan(1e-7);
    // A mapped model has no embeddings in the dataset's item space.
    expect(e.methods.ig?.status).toBe('unavailable');
  });

  it('refuses to explain an item the model does not know', async () => {
    await expect(explainRecommendation(request(mapped(id), [5, 9, 12], 1))).rejects.toThrow(
      ExplainError,
    );
    await expect(explainRecommendation(request(mapped(id), [5, 9, 12], 1))).rejects.toThrow(
      /does not know the item/,
    );
  });
});
