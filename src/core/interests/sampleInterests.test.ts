/**
 * The observed layers against the sample's planted interests (sample-data/ground-truth.json,
 * docs/sample-data.md). Every figure is printed; the assertions sit a little below what was
 * measured with the defaults (figures in the comments), so a change that loses recovery fails.
 *
 * The planted signal is thin for most users (median 38 events, a session of about 3.5 views,
 * half the deep draws, a middle layer active only in its context, bursts of 1-3 sessions), so
 * the figures are also given per amount of evidence.
 */

import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../data/types';
import { loadSampleDataset, readSampleGroundTruth } from '../sample/sampleModelTesting';
import type { PlantedUser, SampleGroundTruth } from '../sample/types';
import { interestHistory } from './dataset';
import {
  cohortUsers,
  populationEvolution,
  resolveInterestOptions,
  type TimeRange,
  userInterests,
} from './observed';
import { TIME_CONTEXTS, timeContexts } from './time';
import type { CategoryMap, DeepPartial, InterestOptions, UserInterests } from './types';

let dataset: Dataset;
let truth: SampleGroundTruth;
let planted: PlantedUser[];
let categories: CategoryMap;
let range: TimeRange;

beforeAll(async () => {
  dataset = await loadSampleDataset();
  truth = readSampleGroundTruth();
  const byId = new Map(truth.users.map((u) => [u.user, u]));
  planted = dataset.userIds.map((id) => {
    const u = byId.get(id);
    if (!u) throw new Error(`user ${id} is not in the ground truth`);
    return u;
  });
  categories = {
    itemCategories: dataset.itemCategories,
    names: dataset.categoryNames,
    derived: false,
  };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const t of dataset.timestamp) {
    min = Math.min(min, t);
    max = Math.max(max, t);
  }
  range = { min, max };
});

const historyOf = (u: number) => interestHistory(dataset, u);

function observeAll(input: DeepPartial<InterestOptions> = {}): UserInterests[] {
  const options = resolveInterestOptions(input);
  return dataset.userIds.map((_, u) =>
    userInterests(historyOf(u), categories, options, undefined, range),
  );
}

const share = (hits: number, total: number) => (total > 0 ? hits / total : Number.NaN);
const fmt = (hits: number, total: number) => `${share(hits, total).toFixed(3)} (${hits}/${total})`;

/** Raw events per time context (indices of TIME_CONTEXTS) for user u. */
function contextEvents(u: number): number[] {
  const counts = [0, 0, 0, 0];
  for (let i = dataset.userOffsets[u]; i < dataset.userOffsets[u + 1]; i++) {
    for (const c of timeContexts(dataset.timestamp[i])) counts[c]++;
  }
  return counts;
}

describe('observed layers recover the planted interests of the sample', () => {
  it('deep: the planted top-weight category (after a drift: the new set)', () => {
    const observed = observeAll();
    let exact = 0;
    let inSet = 0;
    const bySize = new Map<string, [number, number, number]>();
    planted.forEach((p, u) => {
      const last = dataset.timestamp[dataset.userOffsets[u + 1] - 1];
      const deep = p.drift && p.drift.time * 1000 < last ? p.drift.deepAfter : p.deep;
      const top = observed[u].deep.top;
      const isExact = top === deep[0].category;
      const isIn = deep.some((d) => d.category === top);
      if (isExact) exact++;
      if (isIn) inSet++;
      const n = p.interactions;
      const bucket = n < 10 ? '5-9' : n < 20 ? '10-19' : n < 40 ? '20-39' : '40+';
      const row = bySize.get(bucket) ?? [0, 0, 0];
      row[0] += isExact ? 1 : 0;
      row[1] += isIn ? 1 : 0;
      row[2]++;
      bySize.set(bucket, row);
    });
    const users = planted.length;
    console.log(
      `deep (half-life ${resolveInterestOptions().deep.halfLifeDays} days): top-1 = planted top-weight ${fmt(exact, users)}; top-1 among the planted deep categories ${fmt(inSet, users)}`,
    );
    for (const bucket of ['5-9', '10-19', '20-39', '40+']) {
      const [e, i, n] = bySize.get(bucket) ?? [0, 0, 0];
      console.log(`  users with ${bucket} events: exact ${fmt(e, n)}, in set ${fmt(i, n)}`);
    }
    // Measured 587/650 = 0.903 in the set (the target is 0.9). Exact top-1 is 422/650 =
    // 0.649: a user's planted weights are often close (0.35 / 0.338 / 0.312), so which of them
    // a few dozen draws favour is a coin toss; the assertion sits a little below the measure.
    expect(share(inSet, users)).toBeGreaterThanOrEqual(0.9);
    expect(share(exact, users)).toBeGreaterThanOrEqual(0.62);
  });

  it('middle: the planted contextual category tops its context', () => {
    const gated = observeAll();
    const ungated = observeAll({ middle: { minZ: 0, minDivergence: 0 } });
    const tally = (observed: UserInterests[], minEvents: number) => {
      let hits = 0;
      let total = 0;
      let unrelated = 0;
      let unrelatedTotal = 0;
      planted.forEach((p, u) => {
        const counts = contextEvents(u);
        TIME_CONTEXTS.forEach((context, c) => {
          if (counts[c] < minEvents) return;
          const found = observed[u].middle.find((m) => m.context === context);
          const rule = p.middle.find((r) => r.context === context);
          if (rule) {
            total++;
            if (found?.top === rule.category) hits++;
          } else if (!p.middle.some((r) => r.context === TIME_CONTEXTS[c ^ 1])) {
            // No rule on this dimension at all (not the mirror side of a rule).
            unrelatedTotal++;
            if (found) unrelated++;
          }
        });
      });
      return { hits, total, unrelated, unrelatedTotal };
    };
    for (const minEvents of [10, 20, 40, 80]) {
      const g = tally(gated, minEvents);
      const a = tally(ungated, minEvents);
      console.log(
        `middle, rules with ${minEvents}+ events in their context: reported with the planted top ${fmt(g.hits, g.total)} (defaults, minZ ${resolveInterestOptions().middle.minZ}); the planted category tops the context ${fmt(a.hits, a.total)} (no gate); contexts reported on a dimension without a rule ${fmt(g.unrelated, g.unrelatedTotal)}`,
      );
    }
    const g20 = tally(gated, 20);
    const g40 = tally(gated, 40);
    const a20 = tally(ungated, 20);
    // Measured: ungated 343/451 = 0.761 (20+ events); with the default gate (z >= 2) 207/451 =
    // 0.459 at 20+ events and 126/200 = 0.63 at 40+, while only 0.147 of the contexts on a
    // dimension without any rule are reported (mostly bursts that fell in one daypart).
    expect(share(a20.hits, a20.total)).toBeGreaterThanOrEqual(0.72);
    expect(share(g40.hits, g40.total)).toBeGreaterThanOrEqual(0.58);
    expect(share(g20.hits, g20.total)).toBeGreaterThanOrEqual(0.42);
    expect(share(g20.unrelated, g20.unrelatedTotal)).toBeLessThanOrEqual(0.2);
  });

  it('surface: at the end of a burst, the burst category is what rises', () => {
    const settings: [string, DeepPartial<InterestOptions>][] = [
      ['defaults (last 10 events)', {}],
      ['latest session (30 min gap)', { surface: { mode: 'session' } }],
      ['last 20 events', { surface: { mode: 'last-n', lastN: 20 } }],
      [
        'latest activity streak (2-day gap)',
        { surface: { mode: 'session', sessionGapMinutes: 2880 } },
      ],
    ];
    const results = new Map<string, number>();
    for (const [label, input] of settings) {
      const options = resolveInterestOptions(input);
      let hits = 0;
      let total = 0;
      planted.forEach((p, u) => {
        const from = dataset.userOffsets[u];
        const to = dataset.userOffsets[u + 1];
        for (const burst of p.surface) {
          let inside = 0;
          for (let i = from; i < to; i++) {
            const t = dataset.timestamp[i];
            if (t >= burst.start * 1000 && t < burst.end * 1000) inside++;
          }
          if (inside < 5) continue;
          total++;
          const r = userInterests(historyOf(u), categories, options, burst.end * 1000, range);
          if (r.surface.top === burst.category) hits++;
        }
      });
      results.set(label, share(hits, total));
      console.log(`surface, bursts with 5+ events, ${label}: ${fmt(hits, total)}`);
    }
    // Measured with the defaults: 381/623 = 0.612 (latest session alone 0.438: a session holds
    // about 3.5 views, of which the burst draws under half; a 2-day gap 0.695).
    expect(results.get('defaults (last 10 events)')).toBeGreaterThanOrEqual(0.57);
  });

  it('drift: a change point within one window of the planted drift', () => {
    const observed = observeAll();
    let hits = 0;
    let total = 0;
    let evidencedHits = 0;
    let evidenced = 0;
    let steadyWithPoints = 0;
    let steady = 0;
    planted.forEach((p, u) => {
      const evolution = observed[u].evolution;
      if (!p.drift) {
        steady++;
        if (evolution.changePoints.length > 0) steadyWithPoints++;
        return;
      }
      const t = p.drift.time * 1000;
      const w = evolution.windows.findIndex((x) => t >= x.start && t < x.end);
      const hit = w >= 0 && evolution.changePoints.some((c) => Math.abs(c - w) <= 1);
      total++;
      if (hit) hits++;
      let before = 0;
      for (let i = dataset.userOffsets[u]; i < dataset.userOffsets[u + 1]; i++) {
        if (dataset.timestamp[i] < t) before++;
      }
      if (Math.min(before, p.interactions - before) >= 20) {
        evidenced++;
        if (hit) evidencedHits++;
      }
    });
    console.log(
      `drift (${observed[0].evolution.unit} windows): change point within one window ${fmt(hits, total)} of drifting users; with 20+ events on each side ${fmt(evidencedHits, evidenced)}; users without drift that get a change point ${fmt(steadyWithPoints, steady)}`,
    );
    // Measured: 35/139 = 0.252 of all drifting users (most have a handful of events per week and
    // weeks without any, so the week of the change cannot be told); 24/43 = 0.558 of those with
    // 20+ events on each side; 65/511 = 0.127 of the others get a change point (often a burst).
    expect(share(evidencedHits, evidenced)).toBeGreaterThan(0.5);
    expect(share(hits, total)).toBeGreaterThanOrEqual(0.2);
    expect(share(steadyWithPoints, steady)).toBeLessThanOrEqual(0.2);
  });

  it('population: one weekly grid for all, heavy and light users', () => {
    const options = resolveInterestOptions();
    const all = populationEvolution(dataset, cohortUsers(dataset, 'all'), categories, options);
    const heavy = populationEvolution(dataset, cohortUsers(dataset, 'heavy'), categories, options);
    const light = populationEvolution(dataset, cohortUsers(dataset, 'light'), categories, options);
    console.log(
      `population: ${all.windows.length} ${all.unit} windows; change points all ${JSON.stringify(all.changePoints)}, heavy ${JSON.stringify(heavy.changePoints)}, light ${JSON.stringify(light.changePoints)}; mean drift all ${(all.drift.reduce((a, b) => a + b, 0) / all.drift.length).toFixed(3)}, light ${(light.drift.reduce((a, b) => a + b, 0) / light.drift.length).toFixed(3)}`,
    );
    expect(all.unit).toBe('week');
    expect(all.windows).toHaveLength(18); // 120 days from Monday 2025-01-06
    expect(heavy.windows.map((w) => w.start)).toEqual(all.windows.map((w) => w.start));
    expect(all.users).toBe(650);
    expect(heavy.users).toBe(130);
    expect(all.events).toBe(dataset.item.length);
    expect(heavy.events).toBeGreaterThan(light.events * 5);
    for (const w of all.windows) {
      expect(w.distribution.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
  });
});
