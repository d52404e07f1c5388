/**
 * The compare view's actions against a mocked worker client: the view asks for a comparison
 * of the default or chosen models once (not on every store change), again for another cohort or
 * a retrained model, and the selected user's lists only once the comparison is there; a
 * cancelled lists load is asked again; models are toggled within 2 to 4.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ComparisonReport, PageComparison } from '../worker/api';
import * as client from '../worker/client';
import { bundledCard } from './actionMocks';
import { comparedKeys, followCompareInputs, toggleComparedModel } from './compareActions';
import { useAppStore } from './store';
import { makeSummary } from './testFixtures';

vi.mock('../worker/client', () => ({
  compareModels: vi.fn(),
  compareLists: vi.fn(),
  compareExplanations: vi.fn(),
  cancelComparison: vi.fn(async () => undefined),
  isCancelled: (error: unknown) => error instanceof Error && error.message === 'cancelled',
}));

const mocked = vi.mocked(client);

const comparison = (keys: string[]): PageComparison => ({
  report: { models: keys.map((key) => ({ key })), pairwise: [] } as unknown as ComparisonReport,
  perUser: { userIds: [], ndcg10: {}, total: 0 },
});

const flush = () => vi.advanceTimersByTimeAsync(0);
let stop: () => void = () => undefined;

function install(...ids: string[]) {
  for (const id of ids) useAppStore.getState().installModel(bundledCard(id));
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.clearAllMocks();
  useAppStore.setState(useAppStore.getInitialState(), true);
  mocked.compareModels.mockImplementation(async (keys) => comparison(keys));
  mocked.compareLists.mockImplementation(async (_keys, userId) => ({
    userId,
    testItem: { itemId: 'i1', title: null },
    ranks: {},
    lists: {},
  }));
  useAppStore.getState().finishLoad(makeSummary('a.csv', 3));
  stop = followCompareInputs();
});

afterEach(() => {
  stop();
  vi.useRealTimers();
});

describe('compare actions', () => {
  it('compares the last trained model with another by default, once, then loads the user lists', async () => {
    install('sasrec', 'itemknn');
    useAppStore.getState().setView('compare');
    await flush();
    expect(comparedKeys(useAppStore.getState())).toEqual(['itemknn', 'sasrec']);
    expect(mocked.compareModels).toHaveBeenCalledTimes(1);
    expect(mocked.compareModels.mock.calls[0][0]).toEqual(['itemknn', 'sasrec']);
    expect(useAppStore.getState().comparison.status).toBe('ready');
    // Unrelated store changes ask nothing more.
    useAppStore.getState().setDropActive(true);
    await flush();
    expect(mocked.compareModels).toHaveBeenCalledTimes(1);
    expect(mocked.compareLists).not.toHaveBeenCalled();
    useAppStore.getState().selectUser('u7');
    await flush();
    expect(mocked.compareLists).toHaveBeenCalledTimes(1);
    expect(mocked.compareLists.mock.calls[0][1]).toBe('u7');
    expect(useAppStore.getState().lists.result?.userId).toBe('u7');
  });

  it('compares again for another cohort and for a retrained model, not elsewhere', async () => {
    install('sasrec', 'itemknn');
    await flush();
    expect(mocked.compareModels).not.toHaveBeenCalled(); // not on the compare view
    useAppStore.getState().setView('compare');
    await flush();
    useAppStore.getState().setCompareCohort('cold-items');
    await flush();
    expect(mocked.compareModels).toHaveBeenCalledTimes(2);
    expect(mocked.compareModels.mock.calls[1][1]).toEqual({ cohort: 'cold-items' });
    useAppStore.getState().installModel({
      ...bundledCard('sasrec'),
      record: { ...bundledCard('sasrec').record, trainedAt: '2026-02-02T00:00:00.000Z' },
    });
    await flush();
    expect(mocked.compareModels).toHaveBeenCalledTimes(3);
  });

  it('asks for a cancelled lists load again', async () => {
    install('sasrec', 'itemknn');
    useAppStore.getState().selectUser('u1');
    mocked.compareLists.mockRejectedValueOnce(new Error('cancelled'));
    useAppStore.getState().setView('compare');
    await flush();
    await flush();
    expect(mocked.compareLists.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(useAppStore.getState().lists.status).toBe('ready');
  });

  it('toggles models within two to four, keeping the order they were chosen in', () => {
    install('a', 'b', 'c', 'd', 'e');
    const keys = () => comparedKeys(useAppStore.getState());
    expect(keys()).toEqual(['e', 'a']);
    toggleComparedModel('c');
    expect(keys()).toEqual(['e', 'a', 'c']);
    toggleComparedModel('d');
    toggleComparedModel('b');
    // At most four: the oldest choice goes.
    expect(keys()).toEqual(['a', 'c', 'd', 'b']);
    toggleComparedModel('a');
    expect(keys()).toEqual(['c', 'd', 'b']);
  });
});
