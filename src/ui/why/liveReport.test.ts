import { describe, expect, it } from 'vitest';
import type { EditedEntry } from '../../state/whatIf';
import { idleExplanation } from '../../state/whySlice';
import type { ReportMethod } from '../../worker/api';
import { liveReport } from './liveReport';
import { categoryMix } from './WhyView';

const entries: EditedEntry[] = ['a', 'b', 'c', 'd'].map((itemId, k) => ({
  itemId,
  title: itemId.toUpperCase(),
  categories: k % 2 ? ['Jazz'] : ['Sci-Fi', 'Jazz'],
  time: Date.UTC(2025, 0, k + 1),
  origin: k,
  addedBy: null,
}));

const context = { entries, modelId: 'sasrec', modelKey: 'sasrec', userId: 'u1' };

const lime: ReportMethod = {
  method: 'lime',
  status: 'ok',
  unit: 'score',
  ms: 1,
  evaluations: 5,
  attributions: [
    { item: 'c', position: 2, value: 0.5 },
    { item: 'd', position: 3, value: -0.1 },
  ],
} as unknown as ReportMethod;

describe('liveReport', () => {
  it('is null until the worker has said which item it explains', () => {
    expect(liveReport({ ...idleExplanation, status: 'running' }, context)).toBeNull();
  });

  it('assembles the streamed parts in the report shape, the read history from the entries', () => {
    const started = {
      ...idleExplanation,
      status: 'running' as const,
      item: 'x',
      score: 2,
      rank: 3,
      read: 2,
      unread: 2,
    };
    // Before any method: the last `read` entries.
    expect(liveReport(started, context)?.history.map((h) => h.item)).toEqual(['c', 'd']);
    const report = liveReport(
      { ...started, methods: { lime } },
      {
        ...context,
        itemInfo: (id) => (id === 'x' ? { title: 'Ex', categories: ['Pop'] } : null),
      },
    );
    expect(report).toMatchObject({
      format: 'interest-lens-explanation',
      model: 'sasrec',
      user: 'u1',
      item: 'x',
      title: 'Ex',
      categories: ['Pop'],
      rank: 3,
      read: 2,
      unread: 2,
      methods: { lime },
      counterfactual: null,
    });
    expect(report?.history).toEqual([
      {
        item: 'c',
        title: 'C',
        categories: ['Sci-Fi', 'Jazz'],
        position: 2,
        time: '2025-01-03T00:00:00.000Z',
      },
      {
        item: 'd',
        title: 'D',
        categories: ['Jazz'],
        position: 3,
        time: '2025-01-04T00:00:00.000Z',
      },
    ]);
  });

  it('is the final report once it has arrived', () => {
    const final = { item: 'x' } as never;
    expect(liveReport({ ...idleExplanation, status: 'ready', report: final }, context)).toBe(final);
  });
});

describe('categoryMix', () => {
  it('counts interactions per category, most first', () => {
    expect(categoryMix(entries)).toEqual([
      { name: 'Jazz', count: 4 },
      { name: 'Sci-Fi', count: 2 },
    ]);
  });
});
