/** LIME: seeded, its diagnostics in range, its sampling within the asked budget. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../models/tfTesting';
import type { TrainedRecommender } from '../models/trained';
import { explainRecommendation } from './engine';
import { distinctItems, request, untrained, valuesOf } from './testing';
import type { LimeResult } from './types';

let model: TrainedRecommender;

beforeAll(async () => {
  await useBackend('wasm');
  model = untrained('sasrec');
});

afterAll(() => model.dispose());

async function limeOf(history: number[], seed: number, samples = 600, seeds = 3) {
  const e = await explainRecommendation(request(model, history), {
    methods: ['lime'],
    lime: { samples, seeds },
    seed,
  });
  const lime = e.methods.lime;
  if (lime?.status !== 'ok') throw new Error('lime did not run');
  return lime as LimeResult;
}

describe('lime', () => {
  it('gives the identical result for the same seed', async () => {
    const history = distinctItems(8, 51);
    const a = await limeOf(history, 3);
    const b = await limeOf(history, 3);
    const { ms: _a, ...restA } = a;
    const { ms: _b, ...restB } = b;
    expect(restB).toEqual(restA);
    const c = await limeOf(history, 4);
    expect(valuesOf(c.attributions)).not.toEqual(valuesOf(a.attributions));
  });

  it.each([
    [distinctItems(8, 52), 600, 3],
    [distinctItems(5, 53), 300, 2],
    [distinctItems(3, 54), 40, 1],
  ])(
    'reports r2 in [0, 1], a non-negative seed spread and at most the asked samples',
    async (history, samples, seeds) => {
      const lime = await limeOf(history, 7, samples, seeds);
      expect(lime.attributions).toHaveLength(history.length);
      expect(lime.r2).toBeGreaterThanOrEqual(0);
      expect(lime.r2).toBeLessThanOrEqual(1);
      expect(lime.seedSpread).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(lime.seedSpread)).toBe(true);
      expect(lime.seeds).toBe(seeds);
      expect(lime.samplesPerSeed).toHaveLength(seeds);
      for (const used of lime.samplesPerSeed) {
        expect(used).toBeGreaterThan(1);
        expect(used).toBeLessThanOrEqual(samples);
      }
      expect(lime.seedRankAgreement).toBeGreaterThanOrEqual(-1);
      expect(lime.seedRankAgreement).toBeLessThanOrEqual(1);
      if (seeds === 1) expect(lime.seedSpread).toBe(0);
    },
  );
});
