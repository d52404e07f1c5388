/**
 * The Interests view's worker methods with the real ingest, models (wasm) and core: observed
 * layers in category names, predicted layers from a trained `layered` model and how its heads
 * fit, the population's evolution, the evolution model's training with progress and cancel, the
 * map, derived categories when the data has none, clear refusals, and no tensor growth.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../core/models/tfTesting';
import * as tf from '../core/tf';
import type { LensWorkerApi } from './api';
import { ingestDeps } from './ingestDeps';
import { createModelDeps } from './modelDeps';
import { createLensService } from './service';
import { createFakeDeps, failure } from './testDeps';

const noop = () => undefined;
const ITEMS = 30;
const GENRES = ['Drama', 'Comedy', 'Sci-Fi'];
const DAY = 86_400;

// 24 users over 10 weeks: each prefers one genre, and from week 5 on half of them switch.
const rows: string[] = [];
for (let u = 0; u < 24; u++) {
  for (let t = 0; t < 20; t++) {
    const week = Math.floor(t / 2);
    const genre = u % 2 === 0 && week >= 5 ? (u + 1) % 3 : u % 3;
    const item = genre + 3 * ((u + t) % 10);
    rows.push(`u${u},i${item},${1_736_000_000 + week * 7 * DAY + (t % 2) * 3600 + u * 60}`);
  }
}
const interactions = `user,item,timestamp\n${rows.join('\n')}\n`;
const itemsFile = `item,title,genres\n${Array.from(
  { length: ITEMS },
  (_, i) => `i${i},Title ${i},${GENRES[i % 3]}`,
).join('\n')}\n`;

let service: LensWorkerApi;

beforeAll(async () => {
  await useBackend('wasm');
  service = createLensService({ ...createFakeDeps().deps, ...ingestDeps }, createModelDeps());
  await service.loadInteractions(new Blob([interactions]), 'shift.csv', null, noop);
  await service.loadItems(new Blob([itemsFile]), 'items.csv', null, noop);
  await service.trainModel('itemknn', {}, noop);
  await service.trainModel(
    'layered',
    { hyper: { dim: 8, maxLen: 8, dropout: 0 }, epochs: 2, batchSize: 32, seed: 3 },
    noop,
  );
}, 90_000);

describe('interests through the worker service', () => {
  it("observes a user's layers in category names and says why a model predicts none", async () => {
    const one = await service.userInterests('u1', 'itemknn', {});
    expect(one.observed.categories).toEqual(GENRES);
    // u1 never switches: Comedy (genre 1) throughout.
    expect(one.observed.deep.top).toBe('Comedy');
    expect(one.observed.evolution.windows.length).toBeGreaterThan(5);
    expect(one.predicted).toBeNull();
    expect(one.predictedNote).toMatch(/itemknn has no interest heads/);
    expect(one.options.deep.halfLifeDays).toBe(60);
    // u0 switches from Drama to Comedy halfway: a change point, and a recent surface of Comedy.
    const switcher = await service.userInterests('u0', null, {});
    expect(switcher.observed.evolution.changePoints.length).toBeGreaterThan(0);
    expect(switcher.observed.surface.categories[0].category).toBe('Comedy');
    expect((await failure(service.userInterests('nobody', null, {}))).code).toBe('unknown-user');
    expect(
      (await failure(service.userInterests('u1', null, { deep: { halfLifeDays: -1 } }))).message,
    ).toMatch(/deep\.halfLifeDays/);
  });

  it('predicts layers with the layered model and checks its heads against the past mix', async () => {
    const page = await service.userInterests('u2', 'layered', {});
    expect(page.predicted).not.toBeNull();
    const total = (page.predicted?.deep ?? []).reduce((a, s) => a + s.share, 0);
    expect(total).toBeCloseTo(1, 4);
    const fit = await service.interestHeadFit('layered', {});
    expect(fit.users).toBeGreaterThan(0);
    for (const head of ['surface', 'middle', 'deep'] as const) {
      expect(Number.isFinite(fit.heads[head])).toBe(true);
    }
    expect(Number.isFinite(fit.pastMix)).toBe(true);
    expect((await failure(service.interestHeadFit('itemknn', {}))).code).toBe('not-explainable');
  });

  it('draws the population, trains the evolution model with progress, forecasts, and cancels', async () => {
    const everyone = await service.populationInterests('all', null, {});
    expect(everyone.users).toBe(24);
    const heavy = await service.populationInterests('heavy', null, {});
    expect(heavy.users).toBeLessThan(24);
    const epochs: number[] = [];
    const summary = await service.trainEvolution(null, { epochs: 5, seed: 1 }, (p) =>
      epochs.push(p.epoch),
    );
    expect(epochs.at(-1)).toBe(5);
    expect(summary.users).toBeGreaterThan(0);
    expect(summary.model).not.toBeNull();
    const page = await service.userInterests('u1', null, {});
    expect(page.forecast.model?.length).toBeGreaterThan(0);
    expect(page.forecast.lastWindow?.[0].category).toBe('Comedy');

    const running = service.trainEvolution(null, { epochs: 500 }, noop);
    setTimeout(() => service.cancelInterests(), 50);
    expect((await failure(running)).code).toBe('cancelled');
    // The model trained before the cancel still forecasts.
    expect((await service.userInterests('u1', null, {})).forecast.model).not.toBeNull();
  });

  it('maps a neural model by PCA, refuses a baseline, and leaves no tensors behind', async () => {
    const map = await service.interestMap('layered', 'pca', [], noop);
    expect(map.points).toHaveLength(ITEMS);
    expect(map.explained).toBeGreaterThan(0);
    expect(map.points[0].categories.length).toBeGreaterThan(0);
    expect((await failure(service.interestMap('itemknn', 'pca', [], noop))).message).toMatch(
      /baseline/,
    );
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await service.userInterests(`u${i}`, 'layered', {});
      await service.interestMap('layered', 'pca', [], noop);
      await service.interestHeadFit('layered', {});
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('derives categories from a model when the data has none, and refuses without a model', async () => {
    const bare = createLensService({ ...createFakeDeps().deps, ...ingestDeps }, createModelDeps());
    await bare.loadInteractions(new Blob([interactions]), 'bare.csv', null, noop);
    expect((await failure(bare.userInterests('u1', null, {}))).message).toMatch(
      /no item categories/,
    );
    await bare.trainModel(
      'weighted',
      { hyper: { dim: 8, maxLen: 8, dropout: 0 }, epochs: 2, batchSize: 32, seed: 3 },
      noop,
    );
    const derived = await bare.userInterests('u1', 'weighted', {});
    expect(derived.observed.derived).toBe(true);
    expect(derived.observed.categories.length).toBeGreaterThan(1);
    expect(derived.predicted).toBeNull();
    // Every item belongs to one derived cluster, named by its typical items.
    const map = await bare.interestMap('weighted', 'pca', [], noop);
    expect(map.points.every((p) => p.categories.length === 1)).toBe(true);
  });
});
