/**
 * The Why view's actions against a mocked worker client: the selection drives the timeline
 * and the explanation, streamed parts land in the store, a newer request drops an older one's
 * events, what-if edits are debounced (one request for a burst, the one in flight cancelled at
 * once), and Cancel keeps what arrived.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  ExplainEvent,
  ExplanationReport,
  ModelCardSummary,
  ReportMethod,
  TimelineItem,
} from '../worker/api';
import * as client from '../worker/client';
import { bundledCard } from './actionMocks';
import { useAppStore } from './store';
import { deferred, makeSummary } from './testFixtures';
import {
  applyCounterfactual,
  applyEdit,
  cancelWhyExplanation,
  explainItem,
  followWhyInputs,
  resetEdits,
  toggleRemoval,
  undoEdit,
  WHATIF_DEBOUNCE_MS,
} from './whyActions';

vi.mock('../worker/client', () => ({
  explain: vi.fn(),
  explainHistory: vi.fn(),
  cancelExplanation: vi.fn(async () => undefined),
  userTimeline: vi.fn(),
  recommendHistory: vi.fn(async () => []),
  rankItem: vi.fn(),
  isCancelled: (error: unknown) => error instanceof Error && error.message === 'cancelled',
}));

const mocked = vi.mocked(client);

const TIMELINE: TimelineItem[] = ['a', 'b', 'c'].map((itemId, position) => ({
  itemId,
  title: itemId.toUpperCase(),
  categories: ['Sci-Fi'],
  time: 1000 * position,
  position,
  read: true,
}));

function method(name: 'exact' | 'lime', value: number): ReportMethod {
  return {
    method: name,
    status: 'ok',
    unit: 'score',
    ms: 1,
    evaluations: 1,
    attributions: [{ item: 'a', position: 0, value }],
  } as unknown as ReportMethod;
}

function report(item: string, rank: number, positions: number[] = [0]): ExplanationReport {
  return {
    item,
    rank,
    score: 1,
    read: 3,
    unread: 0,
    methods: { exact: method('exact', 0.5) },
    counterfactual: {
      status: 'found',
      removed: positions.map((p) => TIMELINE[p].itemId),
      removedPositions: positions,
      newRank: 20,
      k: 10,
      minimal: true,
      exhaustiveUpTo: 1,
      candidatesScored: 3,
      order: 'exact',
      reason: null,
    },
    faithfulness: {},
  } as unknown as ExplanationReport;
}

/** An explain call held open: its progress callback, and resolve/reject. */
interface HeldCall {
  onProgress: (event: ExplainEvent) => void;
  resolve: (report: ExplanationReport) => void;
  reject: (error: unknown) => void;
  args: unknown[];
}

const calls: HeldCall[] = [];

function holdCalls(): void {
  const hold = (...args: unknown[]) => {
    const pending = deferred<ExplanationReport>();
    calls.push({
      onProgress: args[4] as HeldCall['onProgress'],
      resolve: pending.resolve,
      reject: pending.reject,
      args,
    });
    return pending.promise;
  };
  mocked.explain.mockImplementation(hold as typeof client.explain);
  mocked.explainHistory.mockImplementation(hold as typeof client.explainHistory);
}

const started = (item: string, rank: number): ExplainEvent => ({
  kind: 'started',
  item,
  score: 2,
  rank,
  read: 3,
  unread: 0,
});

const flush = () => vi.advanceTimersByTimeAsync(0);
let stop: () => void = () => undefined;

beforeEach(() => {
  vi.useFakeTimers();
  vi.clearAllMocks();
  calls.length = 0;
  holdCalls();
  mocked.userTimeline.mockImplementation(async (modelKey, userId) => ({
    userId,
    modelKey,
    items: TIMELINE,
    readLimit: null,
  }));
  mocked.rankItem.mockImplementation(async (_key, _user, itemId) => ({
    itemId,
    score: 2,
    rank: 3,
  }));
  useAppStore.setState(useAppStore.getInitialState(), true);
  const card: ModelCardSummary = { ...bundledCard('gru') };
  useAppStore.setState({
    summary: makeSummary('sample interactions.csv', 5),
    status: 'ready',
    view: 'why',
    cards: {
      gru: {
        status: 'trained',
        card,
        curves: { batchLoss: [], epochLoss: [], validation: [] },
        run: null,
        error: null,
        settings: { epochs: 1, seed: 1, learningRate: null, maxSeconds: null },
      },
    },
    lastModelKey: 'gru',
  });
  stop = followWhyInputs();
});

afterEach(() => {
  stop();
  vi.useRealTimers();
});

/** Selects user u1 and lets the first explanation (top-1 = item x at rank 1) finish. */
async function explainedTopOne(): Promise<void> {
  useAppStore.getState().selectUser('u1');
  await flush();
  calls[0].onProgress(started('x', 1));
  calls[0].resolve(report('x', 1));
  await flush();
}

describe('the Why view actions', () => {
  it('a selected user gets the timeline and the top-1 explained, streamed then whole', async () => {
    useAppStore.getState().selectUser('u1');
    await flush();
    expect(mocked.userTimeline).toHaveBeenCalledWith('gru', 'u1');
    expect(useAppStore.getState().timeline).toMatchObject({ status: 'ready', userId: 'u1' });
    expect(mocked.explain).toHaveBeenCalledWith('gru', 'u1', null, { k: 10 }, expect.any(Function));
    expect(useAppStore.getState().explanation).toMatchObject({ status: 'running', item: null });

    calls[0].onProgress(started('x', 4));
    calls[0].onProgress({
      kind: 'method',
      method: 'lime',
      result: method('lime', 0.1),
      done: 1,
      total: 2,
    });
    expect(useAppStore.getState().explanation).toMatchObject({
      status: 'running',
      item: 'x',
      rank: 4,
      done: 1,
      total: 2,
    });
    expect(Object.keys(useAppStore.getState().explanation.methods)).toEqual(['lime']);

    calls[0].resolve(report('x', 4));
    await flush();
    const e = useAppStore.getState().explanation;
    expect(e).toMatchObject({ status: 'ready', item: 'x', rank: 4 });
    expect(e.report?.item).toBe('x');
    expect(useAppStore.getState().baseline).toMatchObject({ itemId: 'x', rank: 4 });
    // Events that arrive after the answer change nothing.
    calls[0].onProgress(started('zzz', 99));
    expect(useAppStore.getState().explanation.rank).toBe(4);
    // The same subject asked explicitly is not explained again.
    explainItem('x');
    await flush();
    expect(calls).toHaveLength(1);
  });

  it('a newer request cancels the one in flight and drops its late events and answer', async () => {
    useAppStore.getState().selectUser('u1');
    await flush();
    explainItem('y');
    await flush();
    expect(mocked.cancelExplanation).toHaveBeenCalledTimes(1);
    expect(calls).toHaveLength(2);
    expect(calls[1].args.slice(0, 3)).toEqual(['gru', 'u1', 'y']);
    calls[0].onProgress(started('x', 1));
    calls[0].reject(new Error('cancelled'));
    await flush();
    expect(useAppStore.getState().explanation).toMatchObject({ status: 'running', item: null });
    calls[1].resolve(report('y', 7));
    calls[0].resolve(report('x', 1));
    await flush();
    expect(useAppStore.getState().explanation).toMatchObject({ status: 'ready', item: 'y' });
  });

  it('debounces what-if edits into one request, cancelling the running one at the first edit', async () => {
    await explainedTopOne();
    explainItem('x');
    await flush();
    expect(calls).toHaveLength(1);

    // A slow unedited explanation of another item is in flight when the edits start.
    explainItem('y');
    await flush();
    expect(calls).toHaveLength(2);
    mocked.cancelExplanation.mockClear();

    applyEdit({ kind: 'remove', position: 0 });
    expect(mocked.cancelExplanation).toHaveBeenCalledTimes(1);
    expect(useAppStore.getState().explanation.status).toBe('running');
    await vi.advanceTimersByTimeAsync(WHATIF_DEBOUNCE_MS - 50);
    toggleRemoval(2);
    await vi.advanceTimersByTimeAsync(WHATIF_DEBOUNCE_MS - 50);
    applyEdit({ kind: 'add', itemId: 'z', index: null });
    await vi.advanceTimersByTimeAsync(WHATIF_DEBOUNCE_MS - 1);
    expect(mocked.explainHistory).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(mocked.explainHistory).toHaveBeenCalledTimes(1);
    expect(mocked.explainHistory).toHaveBeenCalledWith(
      'gru',
      { items: ['b', 'z'], times: [1000, null] },
      'y',
      { k: 10 },
      expect.any(Function),
    );
    expect(mocked.recommendHistory).toHaveBeenCalledWith(
      'gru',
      { items: ['b', 'z'], times: [1000, null] },
      10,
    );
    // The rank before the edits of y was never explained: asked for directly.
    expect(mocked.rankItem).toHaveBeenCalledWith('gru', 'u1', 'y', null);
    calls[2].resolve(report('y', 30));
    await flush();
    expect(useAppStore.getState().explanation).toMatchObject({ status: 'ready', rank: 30 });
    expect(useAppStore.getState().baseline).toMatchObject({ itemId: 'y', rank: 3 });
  });

  it('pins the explained top-1 before the first edit, and undo/reset go back', async () => {
    await explainedTopOne();
    applyEdit({ kind: 'remove', position: 1 });
    expect(useAppStore.getState().whyItem).toBe('x');
    await vi.advanceTimersByTimeAsync(WHATIF_DEBOUNCE_MS);
    expect(calls[1].args[2]).toBe('x');
    // The baseline from the first explanation is reused.
    expect(mocked.rankItem).not.toHaveBeenCalled();
    calls[1].resolve(report('x', 12));
    await flush();

    undoEdit();
    expect(useAppStore.getState().edits).toEqual([]);
    await vi.advanceTimersByTimeAsync(WHATIF_DEBOUNCE_MS);
    expect(calls).toHaveLength(3);
    expect(mocked.explain).toHaveBeenLastCalledWith(
      'gru',
      'u1',
      'x',
      { k: 10 },
      expect.any(Function),
    );
    applyEdit({ kind: 'move', position: 2, by: -1 });
    resetEdits();
    await vi.advanceTimersByTimeAsync(WHATIF_DEBOUNCE_MS);
    // The edit and its reset inside one debounce window: back to the unedited request.
    expect(mocked.explainHistory).toHaveBeenCalledTimes(1);
  });

  it('applies the counterfactual as removals', async () => {
    useAppStore.getState().selectUser('u1');
    await flush();
    calls[0].onProgress(started('x', 1));
    calls[0].resolve(report('x', 1, [0, 2]));
    await flush();
    applyCounterfactual();
    expect(useAppStore.getState().edits).toEqual([
      { kind: 'remove', position: 0 },
      { kind: 'remove', position: 2 },
    ]);
    await vi.advanceTimersByTimeAsync(WHATIF_DEBOUNCE_MS);
    expect(mocked.explainHistory.mock.calls[0][1]).toEqual({ items: ['b'], times: [1000] });
  });

  it('cancel keeps the parts that arrived; the late cancelled rejection is no error', async () => {
    useAppStore.getState().selectUser('u1');
    await flush();
    calls[0].onProgress(started('x', 2));
    calls[0].onProgress({
      kind: 'method',
      method: 'exact',
      result: method('exact', 1),
      done: 1,
      total: 5,
    });
    mocked.cancelExplanation.mockClear();
    cancelWhyExplanation();
    expect(mocked.cancelExplanation).toHaveBeenCalledTimes(1);
    expect(useAppStore.getState().explanation).toMatchObject({
      status: 'idle',
      cancelled: true,
      rank: 2,
      done: 1,
    });
    calls[0].reject(new Error('cancelled'));
    await flush();
    expect(useAppStore.getState().explanation).toMatchObject({ status: 'idle', cancelled: true });
    // Nothing asks again by itself.
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toHaveLength(1);
  });

  it('a failure shows its message; other views explain nothing', async () => {
    useAppStore.getState().selectUser('u1');
    await flush();
    calls[0].reject(new Error('There is no item p1 in the loaded dataset.'));
    await flush();
    expect(useAppStore.getState().explanation).toMatchObject({
      status: 'error',
      error: 'There is no item p1 in the loaded dataset.',
    });
    useAppStore.getState().setView('models');
    explainItem('other');
    await flush();
    expect(calls).toHaveLength(1);
    useAppStore.getState().setView('why');
    await flush();
    expect(calls).toHaveLength(2);
  });
});
