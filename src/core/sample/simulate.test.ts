import { describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLE_CONFIG } from './config';
import { toGroundTruthJson, toInteractionsCsv, toItemsCsv } from './format';
import { simulateSample } from './simulate';

const sample = simulateSample();
const { interactions, items, groundTruth } = sample;

describe('simulateSample: determinism', () => {
  it('gives byte-identical files for the same seed', () => {
    const again = simulateSample({ seed: 42 });
    expect(toInteractionsCsv(again.interactions)).toBe(toInteractionsCsv(interactions));
    expect(toItemsCsv(again.items)).toBe(toItemsCsv(items));
    expect(toGroundTruthJson(again.groundTruth)).toBe(toGroundTruthJson(groundTruth));
  });

  it('gives a different dataset for a different seed', () => {
    const other = simulateSample({ seed: 7, users: 50 });
    const mine = simulateSample({ seed: 42, users: 50 });
    expect(toInteractionsCsv(other.interactions)).not.toBe(toInteractionsCsv(mine.interactions));
    expect(toItemsCsv(other.items)).not.toBe(toItemsCsv(mine.items));
  });

  it('keeps the first users unchanged when more users are simulated (one stream per user)', () => {
    const few = simulateSample({ users: 20 });
    expect(few.groundTruth.users).toEqual(groundTruth.users.slice(0, 20));
  });

  it('rejects an invalid configuration with a message naming the parameter', () => {
    expect(() => simulateSample({ users: 0 })).toThrow(/users/);
    expect(() => simulateSample({ seed: 1.5 })).toThrow(/seed/);
    expect(() => simulateSample({ driftProbability: 2 })).toThrow(/probability/);
  });
});

describe('simulateSample: shape of the bundled dataset', () => {
  it('has row, user, item and category counts in the documented ranges', () => {
    expect(interactions.length).toBeGreaterThanOrEqual(20_000);
    expect(interactions.length).toBeLessThanOrEqual(50_000);
    expect(new Set(interactions.map((r) => r.user)).size).toBe(DEFAULT_SAMPLE_CONFIG.users);
    const usedItems = new Set(interactions.map((r) => r.item)).size;
    expect(usedItems).toBeGreaterThanOrEqual(1200);
    expect(usedItems).toBeLessThanOrEqual(2000);
    expect(groundTruth.categories.length).toBeGreaterThanOrEqual(16);
    expect(groundTruth.categories.length).toBeLessThanOrEqual(24);
    expect(groundTruth.summary.interactions).toBe(interactions.length);
    expect(groundTruth.summary.viewsDroppedAtTimelineEnd).toBe(0);
  });

  it('has heavy-tailed activity: light, typical and heavy users', () => {
    const perUser = groundTruth.users.map((u) => u.interactions);
    expect(Math.min(...perUser)).toBeGreaterThanOrEqual(DEFAULT_SAMPLE_CONFIG.minViewsPerUser);
    expect(perUser.filter((n) => n <= 10).length).toBeGreaterThan(20);
    expect(perUser.filter((n) => n >= 20 && n <= 80).length / perUser.length).toBeGreaterThan(0.5);
    expect(perUser.filter((n) => n >= 150).length).toBeGreaterThan(10);
  });

  it('has skewed popularity: the top 10% of items hold over 40% of the interactions', () => {
    const counts = new Map<string, number>();
    for (const r of interactions) counts.set(r.item, (counts.get(r.item) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const head = sorted.slice(0, Math.round(items.length * 0.1)).reduce((a, b) => a + b, 0);
    expect(head / interactions.length).toBeGreaterThan(0.4);
  });

  it('has a funnel: mostly views, then fewer clicks, carts and buys', () => {
    const { view, click, cart, buy } = groundTruth.summary.eventTypes;
    expect(view / interactions.length).toBeGreaterThan(0.6);
    expect(view).toBeGreaterThan(click);
    expect(click).toBeGreaterThan(cart);
    expect(cart).toBeGreaterThan(buy);
    expect(buy).toBeGreaterThan(0);
  });

  it('has non-empty ids, known items, 1-3 categories per item and unique item ids', () => {
    const known = new Set(items.map((i) => i.id));
    expect(known.size).toBe(items.length);
    for (const item of items) {
      expect(item.id).toMatch(/^p\d{5}$/);
      expect(item.title.length).toBeGreaterThan(0);
      expect(item.categories.length).toBeGreaterThanOrEqual(1);
      expect(item.categories.length).toBeLessThanOrEqual(3);
      expect(new Set(item.categories).size).toBe(item.categories.length);
    }
    const unknown = interactions.filter((r) => !r.user || !known.has(r.item));
    expect(unknown).toEqual([]);
  });

  it('sorts the log by time then user, inside the timeline, with strictly increasing times per user', () => {
    const { start, end } = groundTruth.timeline;
    const last = new Map<string, number>();
    const problems: string[] = [];
    interactions.forEach((r, i) => {
      const where = `row ${i} (${r.user}@${r.timestamp})`;
      if (!Number.isInteger(r.timestamp) || r.timestamp < start || r.timestamp >= end) {
        problems.push(`${where}: outside the timeline`);
      }
      const p = interactions[i - 1];
      if (p && !(p.timestamp < r.timestamp || (p.timestamp === r.timestamp && p.user < r.user))) {
        problems.push(`${where}: out of order`);
      }
      if (r.timestamp <= (last.get(r.user) ?? Number.NEGATIVE_INFINITY)) {
        problems.push(`${where}: not after the user's previous row`);
      }
      last.set(r.user, r.timestamp);
    });
    expect(problems).toEqual([]);
  });

  it('runs every funnel step on the item and layer of the step before it', () => {
    const previous = new Map<string, (typeof interactions)[number]>();
    const order = ['view', 'click', 'cart', 'buy'];
    const problems: string[] = [];
    for (const r of interactions) {
      const p = previous.get(r.user);
      if (
        r.eventType !== 'view' &&
        (!p ||
          p.item !== r.item ||
          p.layer !== r.layer ||
          order.indexOf(p.eventType) !== order.indexOf(r.eventType) - 1)
      ) {
        problems.push(
          `${r.user}@${r.timestamp} ${r.eventType} after ${p?.eventType} of ${p?.item}`,
        );
      }
      previous.set(r.user, r);
    }
    expect(problems).toEqual([]);
  });

  it('re-views a few items but not many', () => {
    const views = interactions.filter((r) => r.eventType === 'view');
    const pairs = new Set(views.map((r) => `${r.user} ${r.item}`));
    const repeats = views.length - pairs.size;
    expect(repeats).toBeGreaterThan(100);
    expect(repeats / views.length).toBeLessThan(0.1);
  });

  it('records one layer letter per row of each user, and a ground truth under 1.5 MB', () => {
    const rows = new Map<string, string>();
    for (const r of interactions) rows.set(r.user, (rows.get(r.user) ?? '') + r.layer[0]);
    for (const u of groundTruth.users) {
      expect(u.eventLayers).toBe(rows.get(u.user));
      expect(u.interactions).toBe(u.eventLayers.length);
    }
    expect(toGroundTruthJson(groundTruth).length).toBeLessThan(1_500_000);
  });
});
