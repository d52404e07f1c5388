import { describe, expect, it } from 'vitest';
import { ingestInteractions } from './ingest';
import { countHistogram, summarizeDataset } from './summary';
import { fixtureSource } from './testSupport';

describe('countHistogram', () => {
  it('uses unit bins for small counts', () => {
    const h = countHistogram(Int32Array.from([1, 1, 2, 3, 3, 3]));
    expect(h).toEqual({
      bins: [
        { x0: 1, x1: 2, count: 2 },
        { x0: 2, x1: 3, count: 1 },
        { x0: 3, x1: 4, count: 3 },
      ],
      min: 1,
      median: 2.5,
      max: 3,
    });
  });

  it('uses 1-2-5 log bins for long tails, covering every count once', () => {
    const counts = Int32Array.from([1, 1, 3, 7, 12, 60, 250, 999]);
    const h = countHistogram(counts);
    expect(h.bins.map((b) => b.x0)).toEqual([1, 2, 5, 10, 20, 50, 100, 200, 500]);
    expect(h.bins.at(-1)?.x1).toBe(1000);
    expect(h.bins.reduce((s, b) => s + b.count, 0)).toBe(counts.length);
    expect(h.bins.find((b) => b.x0 === 500)?.count).toBe(1);
    expect(h.median).toBe(9.5);
  });

  it('is empty for no counts', () => {
    expect(countHistogram(new Int32Array(0))).toEqual({ bins: [], min: 0, median: 0, max: 0 });
  });
});

describe('summarizeDataset', () => {
  it('summarises counts, density, time range and actions', async () => {
    const { dataset, report, detection } = await ingestInteractions(
      fixtureSource('iso-times.csv'),
      null,
    );
    const s = summarizeDataset(dataset, report, detection, 'iso-times.csv', null);
    expect(s).toMatchObject({
      fileName: 'iso-times.csv',
      users: 3,
      items: 4,
      interactions: 8,
      density: 8 / 12,
    });
    expect(s.timeRange).toEqual({ min: Date.UTC(2024, 2, 1, 10), max: Date.UTC(2024, 2, 3, 8, 5) });
    expect(s.actionTypes).toEqual([
      { name: 'view', count: 4 },
      { name: 'buy', count: 2 },
      { name: 'cart', count: 2 },
    ]);
    expect(s.perUser).toMatchObject({ min: 2, median: 3, max: 3 });
    expect(s.itemsWithTitle).toBe(0);
  });

  it('has no time range without timestamps', async () => {
    const { dataset, report, detection } = await ingestInteractions(
      fixtureSource('no-timestamp.csv'),
      null,
    );
    expect(summarizeDataset(dataset, report, detection, 'x', null).timeRange).toBeNull();
  });
});
