/**
 * The `layered` model's interest heads against "the user's past mix" on a leakage-free held-out
 * future (headsHeldOut.ts): the bundled sample cut at the 85th percentile of its event times,
 * `layered` trained on the events before the cut only (2 epochs, history 20, seed 7, wasm: about
 * 10 s here), every user with categorised events on both sides scored against the category mix
 * of all their events after the cut.
 *
 * Measured (2026-12-02, 2 cores, wasm): 429 users; mean bits surface 4.10, middle 3.95, deep
 * 3.96, past mix 4.82, smoothed past mix 3.88, population mix 4.27, last window 8.32, last 10
 * events 6.68. The heads beat the raw past mix on mean bits (by 0.72-0.87, bootstrap intervals
 * well below 0) but per user only about half the time (win share 0.53-0.56): they win where the
 * future holds a category the user's past lacked (253 users, win share 0.74-0.80) and lose where
 * it does not (176 users, 0.19-0.23, +0.63 to +0.72 bits). Against the past mix smoothed with one
 * pseudo-event of the population mix, every head loses per user (win share 0.40-0.43, sign test
 * p <= 0.005) and is no better on mean bits (+0.07 to +0.22). Seeds 3 and 11 keep every
 * assertion (seed 3 is the weakest: heads 4.11-4.21 bits, win share vs the past mix 0.47-0.48,
 * vs the smoothed past mix 0.34-0.35). The assertions sit a margin inside these figures, so they
 * hold for this relationship and turn red when it changes: a head that comes to beat the
 * smoothed past mix must update them and docs/interests.md ("Predicted layers").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../data/types';
import { useBackend } from '../models/tfTesting';
import { loadSampleDataset } from '../sample/sampleModelTesting';
import * as tf from '../tf';
import { temporalLeaveLastOut } from '../train/split';
import { makeDataset } from '../train/testing';
import {
  datasetBefore,
  type HeldOutReport,
  heldOutComparison,
  heldOutUsers,
  timeCut,
} from './headsHeldOut';
import { signTestP } from './pairedStats';
import { LAYERS } from './predicted';
import type { CategoryMap } from './types';

const DAY = 86_400_000;

describe('the cut and the scoring, by hand', () => {
  it('cuts at the time of the first event after the earliest quantile share', () => {
    const rows = Array.from({ length: 20 }, (_, i) => [`u${i % 3}`, `i${i}`, i * DAY] as const);
    const dataset = makeDataset(rows);
    expect(timeCut(dataset, 0.85)).toBe(17 * DAY);
    expect(timeCut(dataset, 0.5)).toBe(10 * DAY);
    const past = datasetBefore(dataset, 17 * DAY);
    expect(past.item.length).toBe(17);
    expect(Math.max(...past.timestamp)).toBe(16 * DAY);
    expect(past.itemIds).toBe(dataset.itemIds);
    expect(past.userOffsets[past.userIds.length]).toBe(17);
    expect(() => timeCut(dataset, 1)).toThrow(/strictly between 0 and 1/);
    expect(() => timeCut({ ...dataset, hasTimestamps: false })).toThrow(/needs timestamps/);
  });

  it('scores each user against the mix after the cut, with the baselines from before it', () => {
    // Categories: item a -> 0, b -> 1, c -> 0 and 1, d -> none. The span before the cut (days
    // 4 to 100) is over 60 days, so windows are weeks from day 4: [60, 67) is u's last one.
    const dataset = makeDataset([
      ['u', 'a', 4 * DAY],
      ['u', 'b', 60 * DAY],
      ['u', 'c', 61 * DAY],
      ['u', 'd', 62 * DAY],
      ['u', 'b', 110 * DAY],
      ['v', 'a', 6 * DAY],
      ['v', 'd', 120 * DAY],
      ['w', 'b', 150 * DAY],
    ]);
    const categories: CategoryMap = {
      itemCategories: [[0], [1], [0, 1], []],
      names: ['zero', 'one'],
      derived: false,
    };
    const { users, unit } = heldOutUsers(dataset, categories, 100 * DAY, { recentEvents: 1 });
    expect(unit).toBe('week');
    // v's future has no categorised event, w has no past: only u is scored.
    expect(users.map((u) => u.user)).toEqual([0]);
    const [u] = users;
    expect([...u.history.items]).toEqual([0, 1, 2, 3]);
    expect([...u.target]).toEqual([0, 1]);
    expect(u.futureEvents).toBe(1);
    expect(u.novel).toBe(false);
    // a, b, c: zero 1.5, one 1.5 (d has no category).
    expect([...u.baselines.pastMix]).toEqual([0.5, 0.5]);
    // The week of the last categorised event (c): b and c.
    expect([...u.baselines.lastWindow]).toEqual([0.25, 0.75]);
    // The last event up to it: c.
    expect([...u.baselines.recent]).toEqual([0.5, 0.5]);
    // Everyone before the cut: a, b, c, a -> zero 2.5, one 1.5; one pseudo-event of that mix.
    const population = [2.5 / 4, 1.5 / 4];
    expect([...u.baselines.population]).toEqual(population);
    expect(u.baselines.smoothedPast[0]).toBeCloseTo((1.5 + population[0]) / 4, 12);
    expect(u.baselines.smoothedPast[1]).toBeCloseTo((1.5 + population[1]) / 4, 12);
  });

  it('counts the first `horizon` events after the cut, and flags a category new to the user', () => {
    const dataset = makeDataset([
      ['x', 'a', 4 * DAY],
      ['x', 'a', 70 * DAY],
      ['x', 'b', 110 * DAY],
      ['x', 'a', 111 * DAY],
      ['x', 'b', 112 * DAY],
    ]);
    const categories: CategoryMap = {
      itemCategories: [[0], [1]],
      names: ['0', '1'],
      derived: false,
    };
    const all = heldOutUsers(dataset, categories, 100 * DAY).users[0];
    expect(all.futureEvents).toBe(3);
    expect(all.target[1]).toBeCloseTo(2 / 3, 12);
    expect(all.novel).toBe(true);
    const two = heldOutUsers(dataset, categories, 100 * DAY, { horizon: 2 }).users[0];
    expect(two.futureEvents).toBe(2);
    expect([...two.target]).toEqual([0.5, 0.5]);
    expect(() => heldOutUsers(dataset, categories, 100 * DAY, { horizon: 0 })).toThrow(
      /whole numbers of at least 1/,
    );
  });

  it('sign test: exact two-sided binomial tail', () => {
    expect(signTestP(0, 10)).toBeCloseTo(2 / 1024, 12);
    expect(signTestP(2, 8)).toBeCloseTo((2 * (1 + 10 + 45)) / 1024, 12);
    expect(signTestP(5, 5)).toBe(1);
    expect(signTestP(0, 0)).toBe(1);
  });
});

describe('the heads on the sample, held out by a global time cut', () => {
  let dataset: Dataset;
  let report: HeldOutReport;
  let tensorsBefore: number;
  let tensorsAfter: number;

  beforeAll(async () => {
    await useBackend('wasm');
    dataset = await loadSampleDataset();
    tensorsBefore = tf.memory().numTensors;
    report = await heldOutComparison(dataset, {
      train: { epochs: 2, seed: 7, hyper: { maxLen: 20 } },
    });
    tensorsAfter = tf.memory().numTensors;
    const f = (x: number) => x.toFixed(3);
    console.log(
      `[heads held out] cut ${report.cutIso} (q ${report.quantile}), ${report.eventsBefore} events before, ${report.eventsAfter} after; ${report.users} users (${report.byNovelty.novel.users} with a new category after the cut)`,
    );
    console.log(
      `[heads held out] mean bits: ${Object.entries(report.bits)
        .map(([p, b]) => `${p} ${f(b)}`)
        .join(', ')}`,
    );
    for (const l of LAYERS) {
      const a = report.vsPastMix[l];
      const b = report.vsSmoothedPast[l];
      console.log(
        `[heads held out] ${l}: vs past mix win ${f(a.winShare)}, diff ${f(a.meanDifference)} [${f(a.ci95[0])}, ${f(a.ci95[1])}], sign p ${a.signP.toPrecision(2)}; novel ${f(report.byNovelty.novel.heads[l].winShare)} / covered ${f(report.byNovelty.covered.heads[l].winShare)}; vs smoothed past win ${f(b.winShare)}, diff ${f(b.meanDifference)} [${f(b.ci95[0])}, ${f(b.ci95[1])}], sign p ${b.signP.toPrecision(2)}`,
      );
    }
  }, 120_000);

  it('learns only from the past: the training data ends before the cut', () => {
    const cut = timeCut(dataset);
    expect(report.cut).toBe(cut);
    const share = report.eventsBefore / (report.eventsBefore + report.eventsAfter);
    expect(share).toBeGreaterThan(0.84);
    expect(share).toBeLessThanOrEqual(0.85);
    const past = datasetBefore(dataset, cut);
    expect(past.item.length).toBe(report.eventsBefore);
    expect(past.timestamp.every((t) => t < cut)).toBe(true);
    // Every user keeps exactly their events before the cut, in order.
    for (let u = 0; u < dataset.userIds.length; u++) {
      const from = dataset.userOffsets[u];
      const kept = past.userOffsets[u + 1] - past.userOffsets[u];
      for (let k = 0; k < kept; k++)
        expect(past.item[past.userOffsets[u] + k]).toBe(dataset.item[from + k]);
      if (from + kept < dataset.userOffsets[u + 1]) {
        expect(dataset.timestamp[from + kept]).toBeGreaterThanOrEqual(cut);
      }
    }
    // The split the model trains and early-stops on lies before the cut as well.
    const split = temporalLeaveLastOut(past);
    expect(split.train.timestamps.every((t) => t < cut)).toBe(true);
    expect(split.validation.timestamps.every((t) => t < cut)).toBe(true);
    expect(split.test.timestamps.every((t) => t < cut)).toBe(true);
    expect(report.users).toBeGreaterThan(400); // 429
  });

  it('the heads beat the raw past mix on mean bits, but only for about half the users', () => {
    for (const l of LAYERS) {
      const c = report.vsPastMix[l];
      expect(report.bits[l]).toBeLessThan(report.bits.pastMix - 0.4); // by 0.72-0.87
      expect(c.ci95[1]).toBeLessThan(0); // upper ends -0.49 to -0.64
      expect(c.winShare).toBeGreaterThan(0.45); // 0.53-0.56
      expect(c.winShare).toBeLessThan(0.65);
      // They win where the future brings a category the past lacked, and lose elsewhere.
      expect(report.byNovelty.novel.heads[l].winShare).toBeGreaterThan(0.65); // 0.74-0.80
      expect(report.byNovelty.covered.heads[l].winShare).toBeLessThan(0.35); // 0.19-0.23
      expect(report.byNovelty.covered.heads[l].meanDifference).toBeGreaterThan(0.3); // 0.63-0.72
    }
  });

  it('no head beats the past mix smoothed with one pseudo-event of the population mix', () => {
    for (const l of LAYERS) {
      const c = report.vsSmoothedPast[l];
      expect(c.winShare).toBeLessThan(0.47); // 0.40-0.43
      expect(c.signP).toBeLessThan(0.05); // 2e-5 to 0.005
      expect(report.bits[l]).toBeGreaterThan(report.bits.smoothedPast - 0.05); // +0.07 to +0.22
    }
    expect(report.vsPastMix.smoothedPast.ci95[1]).toBeLessThan(0); // it beats the raw mix itself
  });

  it('recent mixes (last window, last 10 events) predict the future worse than the past mix', () => {
    expect(report.bits.lastWindow).toBeGreaterThan(report.bits.pastMix + 1); // +3.49
    expect(report.bits.recent).toBeGreaterThan(report.bits.pastMix + 1); // +1.86
  });

  it('leaves no tensor behind', () => {
    expect(tensorsAfter).toBe(tensorsBefore);
  });
});
