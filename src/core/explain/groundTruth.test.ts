/**
 * Ground truth for the glass boxes: `weighted` (score = Σ_t w_t (x_t · v), linear in the history
 * embeddings) and `itemknn` (score = Σ over distinct history items of sim(i, item)) state their
 * exact per-item contributions, and every attribution method that claims to share out the
 * score must recover them on histories without repeated items.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../models/tfTesting';
import type { TrainedRecommender } from '../models/trained';
import { explainRecommendation } from './engine';
import { spearman } from './stats';
import { distinctItems, int8, relativeError, request, trained, valuesOf } from './testing';
import type {
  Explanation,
  IgResult,
  LimeResult,
  MethodOutcome,
  MethodResultBase,
  ShapResult,
} from './types';

/** The attributions of `method`, which must have run. */
function ok<T extends MethodResultBase = MethodResultBase>(
  e: Explanation,
  method: keyof Explanation['methods'],
): T {
  const outcome = e.methods[method] as MethodOutcome | undefined;
  if (outcome?.status !== 'ok') {
    throw new Error(`${method} did not run: ${outcome ? outcome.reason : 'absent'}`);
  }
  return outcome as unknown as T;
}

const sum = (v: readonly number[]) => v.reduce((t, x) => t + x, 0);
const HISTORIES = [distinctItems(6, 1), distinctItems(7, 2), distinctItems(5, 3)];

let weighted: TrainedRecommender;
let knn: TrainedRecommender;

beforeAll(async () => {
  await useBackend('wasm');
  weighted = await trained('weighted', 2);
  knn = await trained('itemknn');
});

afterAll(() => {
  weighted.dispose();
  knn.dispose();
});

describe('weighted: exact contributions are the ground truth under in-place removal', () => {
  it.each(HISTORIES.map((h, u) => [u, h] as const))(
    'history %i: occlusion, exact SHAP and gradient x input equal exact; IG and LIME agree',
    async (_u, history) => {
      const e = await explainRecommendation(request(weighted, history), {
        removal: 'in-place',
        methods: ['exact', 'gradxinput', 'saliency', 'ig', 'occlusion', 'lime', 'shap'],
      });
      expect(e.removal).toBe('in-place');
      expect(e.read).toBe(history.length);
      const exact = valuesOf(ok(e, 'exact').attributions);
      expect(Math.max(...exact.map(Math.abs))).toBeGreaterThan(1e-3);
      // The contributions are the score: Σ c_t = f(x), and the empty history scores 0.
      expect(Math.abs(sum(exact) - e.score)).toBeLessThan(1e-4 * Math.abs(e.score) + 1e-6);
      expect(Math.abs(e.target.empty)).toBeLessThan(1e-6);

      expect(relativeError(valuesOf(ok(e, 'occlusion').attributions), exact)).toBeLessThan(1e-4);
      const shap = ok<ShapResult>(e, 'shap');
      expect(shap.estimator).toBe('exact');
      expect(relativeError(valuesOf(shap.attributions), exact)).toBeLessThan(1e-4);
      // The score is linear in the embeddings (the frequency term carries no gradient), so
      // gradient x input is exactly w_t (x_t · v).
      expect(relativeError(valuesOf(ok(e, 'gradxinput').attributions), exact)).toBeLessThan(1e-4);

      const ig = ok<IgResult>(e, 'ig');
      expect(spearman(valuesOf(ig.attributions), exact)).toBeGreaterThanOrEqual(0.99);
      expect(ig.completenessGap).toBeLessThan(1e-3);
      expect(ig.converged).toBe(true);

      const lime = ok<LimeResult>(e, 'lime');
      expect(lime.r2).toBeGreaterThanOrEqual(0.99);

      const saliency = valuesOf(ok(e, 'saliency').attributions);
      expect(saliency.every((v) => v >= 0)).toBe(true);
    },
  );

  it('under the default close-up removal, occlusion differs from exact (older items gain recency)', async () => {
    const rows: number[] = [];
    for (const history of HISTORIES) {
      const e = await explainRecommendation(request(weighted, history), {
        methods: ['exact', 'occlusion', 'shap'],
      });
      expect(e.removal).toBe('close-up');
      const exact = valuesOf(ok(e, 'exact').attributions);
      const occlusion = valuesOf(ok(e, 'occlusion').attributions);
      // Removing item t moves every older item one step closer to now (more recency), so its
      // drop is c_t minus what they gain. The oldest item's removal moves nothing: exact.
      expect(Math.abs(occlusion[0] - exact[0])).toBeLessThan(
        1e-4 * Math.max(...exact.map(Math.abs)),
      );
      expect(relativeError(occlusion, exact)).toBeGreaterThan(1e-3);
      // SHAP still shares out f(x) − f(∅) exactly (efficiency), just not as w_t (x_t · v).
      const shap = ok<ShapResult>(e, 'shap');
      expect(shap.efficiencyGap).toBeLessThan(1e-5 * Math.max(1, Math.abs(e.target.value)));
      rows.push(spearman(occlusion, exact));
    }
    // Observed: 0.886, 0.964 and 1.000 on these three histories.
    expect(Math.min(...rows)).toBeGreaterThan(0.8);
  });

  it('the int8 variant passes the exact contributions through', async () => {
    const q = int8('weighted');
    try {
      const e = await explainRecommendation(request(q.model, HISTORIES[0]), {
        removal: 'in-place',
        methods: ['exact', 'occlusion'],
      });
      const exact = valuesOf(ok(e, 'exact').attributions);
      expect(relativeError(valuesOf(ok(e, 'occlusion').attributions), exact)).toBeLessThan(1e-4);
    } finally {
      q.dispose();
    }
  });
});

describe('itemknn: contributions are similarities to the explained item', () => {
  it.each(HISTORIES.map((h, u) => [u, h] as const))(
    'history %i: occlusion and exact SHAP equal exact; LIME fits; no gradients',
    async (_u, history) => {
      const e = await explainRecommendation(request(knn, history));
      const exact = valuesOf(ok(e, 'exact').attributions);
      expect(Math.max(...exact.map(Math.abs))).toBeGreaterThan(1e-3);
      expect(Math.abs(sum(exact) - e.score)).toBeLessThan(1e-4 * Math.abs(e.score) + 1e-6);
      expect(relativeError(valuesOf(ok(e, 'occlusion').attributions), exact)).toBeLessThan(1e-4);
      const shap = ok<ShapResult>(e, 'shap');
      expect(shap.estimator).toBe('exact');
      expect(relativeError(valuesOf(shap.attributions), exact)).toBeLessThan(1e-4);
      expect(ok<LimeResult>(e, 'lime').r2).toBeGreaterThanOrEqual(0.99);
      for (const m of ['ig', 'saliency', 'gradxinput', 'attention'] as const) {
        const outcome = e.methods[m];
        expect(outcome?.status).toBe('unavailable');
        if (outcome?.status === 'unavailable') expect(outcome.reason).toMatch(/itemknn/);
      }
    },
  );

  it('splits a repeated item evenly over its occurrences, which is its exact Shapley value', async () => {
    // Explain an item for a history of distinct items, then repeat its most similar item.
    const [b0, b1, b2, b3] = distinctItems(4, 4);
    const first = await explainRecommendation(request(knn, [b0, b1, b2, b3]), {
      methods: ['exact'],
    });
    const simple = valuesOf(ok(first, 'exact').attributions);
    const top = simple.indexOf(Math.max(...simple));
    const a = [b0, b1, b2, b3][top];
    const [b, c, d] = [b0, b1, b2, b3].filter((i) => i !== a);
    const history = [a, b, a, c, d, a];
    const e = await explainRecommendation(request(knn, history, first.item), {
      methods: ['exact', 'occlusion', 'shap'],
    });
    const exact = valuesOf(ok(e, 'exact').attributions);
    const shap = valuesOf(ok(e, 'shap').attributions);
    const occlusion = valuesOf(ok(e, 'occlusion').attributions);
    const positionsOfA = [0, 2, 5];
    const simA = sum(positionsOfA.map((p) => exact[p]));
    expect(Math.abs(simA)).toBeGreaterThan(1e-3);
    for (const p of positionsOfA) expect(exact[p]).toBeCloseTo(simA / 3, 6);
    expect(relativeError(shap, exact)).toBeLessThan(1e-4);
    // Leave-one-out cannot see a repeated item: the other occurrences keep it in the history.
    for (const p of positionsOfA) expect(Math.abs(occlusion[p])).toBeLessThan(1e-6);
    expect(Math.abs(sum(exact) - e.score)).toBeLessThan(1e-4 * Math.abs(e.score) + 1e-6);
  });
});
