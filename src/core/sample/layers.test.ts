/**
 * The planted layers must be recoverable from the generated log with plain counting: these
 * are the checks that would catch a simulator that plants one thing and emits another.
 */
import { describe, expect, it } from 'vitest';
import { inContext } from './calendar';
import { simulateSample } from './simulate';
import type { SampleInteraction } from './types';

const sample = simulateSample();
const viewsByUser = new Map<string, SampleInteraction[]>();
for (const row of sample.interactions) {
  if (row.eventType !== 'view') continue;
  const list = viewsByUser.get(row.user);
  if (list) list.push(row);
  else viewsByUser.set(row.user, [row]);
}
const users = sample.groundTruth.users;
const viewsOf = (user: string) => viewsByUser.get(user) ?? [];
const share = (rows: SampleInteraction[], category: string) =>
  rows.length === 0 ? 0 : rows.filter((r) => r.category === category).length / rows.length;

function rankedCategories(rows: SampleInteraction[]): string[] {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.category, (counts.get(r.category) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([c]) => c);
}

describe('planted layers are recoverable from the data', () => {
  it('deep: for users without drift, the planted deep interests are among their top categories', () => {
    const eligible = users.filter((u) => u.drift === null && viewsOf(u.user).length >= 30);
    expect(eligible.length).toBeGreaterThan(150);
    let allFound = 0;
    let strongestOnTop = 0;
    for (const u of eligible) {
      const ranked = rankedCategories(viewsOf(u.user));
      const k = u.deep.length + u.middle.length + u.surface.length;
      if (u.deep.every((d) => ranked.slice(0, k).includes(d.category))) allFound++;
      if (ranked.slice(0, 2).includes(u.deep[0].category)) strongestOnTop++;
    }
    expect(allFound / eligible.length).toBeGreaterThan(0.95);
    expect(strongestOnTop / eligible.length).toBeGreaterThan(0.85);
  });

  it('every view is labelled with a layer whose planted category it matches at that time', () => {
    const planted = new Map(users.map((u) => [u.user, u]));
    const mismatches: string[] = [];
    for (const row of sample.interactions) {
      const u = planted.get(row.user);
      if (!u) throw new Error(`row of unknown user ${row.user}`);
      if (row.eventType !== 'view') continue; // funnel steps inherit their view's layer
      let expected: string[] = [row.category]; // noise may land anywhere
      if (row.layer === 'deep') {
        const deep = u.drift && row.timestamp >= u.drift.time ? u.drift.deepAfter : u.deep;
        expected = deep.map((d) => d.category);
      } else if (row.layer === 'middle') {
        expected = u.middle
          .filter((r) => inContext(r.context, row.timestamp))
          .map((r) => r.category);
      } else if (row.layer === 'surface') {
        expected = u.surface
          .filter((b) => row.timestamp >= b.start && row.timestamp < b.end)
          .map((b) => b.category);
      }
      if (!expected.includes(row.category)) mismatches.push(`${row.user}@${row.timestamp}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('middle: the contextual category is far more frequent in its context than outside it', () => {
    let inHits = 0;
    let inTotal = 0;
    let outHits = 0;
    let outTotal = 0;
    let clear = 0;
    let eligible = 0;
    for (const u of users) {
      const views = viewsOf(u.user);
      for (const rule of u.middle) {
        const inside = views.filter((v) => inContext(rule.context, v.timestamp));
        const outside = views.filter((v) => !inContext(rule.context, v.timestamp));
        inHits += inside.filter((v) => v.category === rule.category).length;
        inTotal += inside.length;
        outHits += outside.filter((v) => v.category === rule.category).length;
        outTotal += outside.length;
        if (inside.length >= 10 && outside.length >= 10) {
          eligible++;
          if (share(inside, rule.category) > 2 * share(outside, rule.category) + 0.05) clear++;
        }
      }
    }
    expect(eligible).toBeGreaterThan(200);
    expect(clear / eligible).toBeGreaterThan(0.9);
    expect(inHits / inTotal).toBeGreaterThan(10 * (outHits / outTotal));
  });

  it('surface: a burst category dominates its window and is rare outside it', () => {
    let clear = 0;
    let eligible = 0;
    let inHits = 0;
    let inTotal = 0;
    let outHits = 0;
    let outTotal = 0;
    for (const u of users) {
      const views = viewsOf(u.user);
      for (const burst of u.surface) {
        const within = (v: SampleInteraction) =>
          v.timestamp >= burst.start && v.timestamp < burst.end;
        const inside = views.filter(within);
        const outside = views.filter((v) => !within(v));
        inHits += inside.filter((v) => v.category === burst.category).length;
        inTotal += inside.length;
        outHits += outside.filter((v) => v.category === burst.category).length;
        outTotal += outside.length;
        if (inside.length >= 5) {
          eligible++;
          if (share(inside, burst.category) > 3 * share(outside, burst.category)) clear++;
        }
      }
    }
    expect(eligible).toBeGreaterThan(300);
    expect(clear / eligible).toBeGreaterThan(0.9);
    expect(inHits / inTotal).toBeGreaterThan(20 * (outHits / outTotal));
  });

  it('drift: the replaced deep interest fades and its successor appears after the drift time', () => {
    const drifting = users.flatMap((u) => {
      if (!u.drift) return [];
      const views = viewsOf(u.user);
      const time = u.drift.time;
      const enough =
        views.filter((v) => v.timestamp < time).length >= 10 &&
        views.filter((v) => v.timestamp >= time).length >= 10;
      return enough ? [{ drift: u.drift, views }] : [];
    });
    expect(drifting.length).toBeGreaterThan(30);
    let asPlanted = 0;
    for (const { drift, views } of drifting) {
      const before = views.filter((v) => v.timestamp < drift.time);
      const after = views.filter((v) => v.timestamp >= drift.time);
      if (
        share(before, drift.from) > share(after, drift.from) &&
        share(after, drift.to) > share(before, drift.to)
      ) {
        asPlanted++;
      }
    }
    expect(asPlanted / drifting.length).toBeGreaterThan(0.9);
  });

  it('about a fifth of the users drift, within the documented window of the timeline', () => {
    const { start, end } = sample.groundTruth.timeline;
    const drifts = users.flatMap((u) => (u.drift ? [u.drift] : []));
    expect(drifts.length / users.length).toBeGreaterThan(0.15);
    expect(drifts.length / users.length).toBeLessThan(0.25);
    for (const drift of drifts) {
      const at = (drift.time - start) / (end - start);
      expect(at).toBeGreaterThanOrEqual(0.35);
      expect(at).toBeLessThanOrEqual(0.65);
      const after = drift.deepAfter.map((d) => d.category);
      expect(after).toContain(drift.to);
      expect(after).not.toContain(drift.from);
      expect(drift.deepBefore.map((d) => d.category)).toContain(drift.from);
    }
  });
});
