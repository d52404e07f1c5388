/**
 * The engine's contract around the methods: options refused with a message naming them, the
 * margin target and its competitor, pop's plain zeros, an empty read window, unread items
 * that must not slide into an edited window, the progress stream and cancellation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../models/tfTesting';
import type { TrainedRecommender } from '../models/trained';
import { ExplainError, explainRecommendation, resolveExplainOptions } from './engine';
import {
  distinctItems,
  MAX_LEN,
  NUM_ITEMS,
  oneHistory,
  relativeError,
  request,
  trained,
  untrained,
  valuesOf,
} from './testing';
import {
  DEFAULT_EXPLAIN_OPTIONS,
  EXPLAIN_METHODS,
  type ExplainOptionsInput,
  type ExplainProgress,
} from './types';

let sasrec: TrainedRecommender;
let weighted: TrainedRecommender;

beforeAll(async () => {
  await useBackend('wasm');
  sasrec = untrained('sasrec');
  weighted = untrained('weighted');
});

afterAll(() => {
  sasrec.dispose();
  weighted.dispose();
});

describe('resolveExplainOptions', () => {
  it('fills defaults and merges nested groups', () => {
    expect(resolveExplainOptions()).toEqual(DEFAULT_EXPLAIN_OPTIONS);
    const options = resolveExplainOptions({ k: 5, ig: { maxSteps: 64 }, lime: { seeds: 2 } });
    expect(options.k).toBe(5);
    expect(options.ig).toEqual({ ...DEFAULT_EXPLAIN_OPTIONS.ig, maxSteps: 64 });
    expect(options.lime).toEqual({ ...DEFAULT_EXPLAIN_OPTIONS.lime, seeds: 2 });
    expect(options.shap).toEqual(DEFAULT_EXPLAIN_OPTIONS.shap);
  });

  it.each<[ExplainOptionsInput, RegExp]>([
    [{ k: 0 }, /k must be an integer in 1\.\.1000; got 0/],
    [{ k: 2.5 }, /k must be an integer.*got 2\.5/],
    [{ methods: ['magic' as never] }, /unknown method magic/],
    [
      { ig: { minSteps: 64, maxSteps: 32 } },
      /ig\.maxSteps must be an integer in 64\.\.4096; got 32/,
    ],
    [{ ig: { tolerance: 0 } }, /ig\.tolerance must be positive/],
    [{ lime: { samples: 5 } }, /lime\.samples .*got 5/],
    [{ lime: { seeds: 11 } }, /lime\.seeds .*got 11/],
    [{ lime: { kernelWidth: -1 } }, /lime\.kernelWidth must be positive/],
    [{ lime: { alpha: Number.NaN } }, /lime\.alpha must be positive/],
    [{ shap: { exactMaxItems: 17 } }, /shap\.exactMaxItems .*got 17/],
    [{ shap: { relativeStderr: 0 } }, /shap\.relativeStderr must be positive/],
    [{ maxRemovals: 0 }, /maxRemovals .*got 0/],
    [{ randomOrders: 101 }, /randomOrders .*got 101/],
    [{ target: 'rank' as never }, /target must be score or margin/],
    [{ removal: 'shift' as never }, /removal must be close-up or in-place/],
  ])('refuses %j', (input, message) => {
    expect(() => resolveExplainOptions(input)).toThrow(RangeError);
    expect(() => resolveExplainOptions(input)).toThrow(message);
  });

  it('names every problem at once', () => {
    expect(() => resolveExplainOptions({ k: -1, maxRemovals: 0, target: 'x' as never })).toThrow(
      /k must .*; maxRemovals must .*; target must be score or margin\./,
    );
  });

  it('is applied by explainRecommendation before any work', async () => {
    await expect(explainRecommendation(request(sasrec, [1, 2]), { k: 0 })).rejects.toThrow(
      /Invalid explanation options: k must be/,
    );
  });
});

describe('the margin target', () => {
  it.each([
    ['the top item', null],
    ['an item outside the top K', 'low'],
  ] as const)(
    'for %s: value = score(item) − score(competitor), competitor the K-th best other unseen item',
    async (_what, which) => {
      const history = distinctItems(6, 61);
      const scores = await sasrec.score(Int32Array.of(-1), oneHistory(history));
      const unseen = Array.from({ length: NUM_ITEMS }, (_, j) => j).filter(
        (j) => !history.includes(j),
      );
      const byScore = [...unseen].sort((a, b) => scores[b] - scores[a] || a - b);
      const item = which === null ? byScore[0] : byScore[8];
      const k = 3;
      const e = await explainRecommendation(
        request(sasrec, history, which === null ? null : item),
        {
          target: 'margin',
          k,
          methods: ['occlusion', 'ig'],
          ig: { maxSteps: 64 },
        },
      );
      expect(e.item).toBe(item);
      const others = byScore.filter((j) => j !== item);
      expect(e.target.kind).toBe('margin');
      expect(e.target.k).toBe(k);
      expect(e.target.competitor).toBe(others[k - 1]);
      expect(e.target.value).toBeCloseTo(scores[item] - scores[others[k - 1]], 5);
      if (which === null) expect(e.target.value).toBeGreaterThanOrEqual(0);
      else expect(e.target.value).toBeLessThan(0);
      // Occlusion under the margin: each drop is the score drop minus the competitor's.
      const occlusion = e.methods.occlusion;
      if (occlusion?.status !== 'ok') throw new Error('occlusion did not run');
      const full = oneHistory(history);
      const rows = history.map((_, p) => history.filter((__, q) => q !== p));
      const pairs = async (j: number) =>
        sasrec.scorePairs(
          {
            offsets: Int32Array.from([0, ...rows.map((_, r) => (r + 1) * (history.length - 1))]),
            items: Int32Array.from(rows.flat()),
            timestamps: new Float64Array(rows.length * (history.length - 1)),
          },
          new Int32Array(rows.length).fill(j),
        );
      const [own, other] = [await pairs(item), await pairs(others[k - 1])];
      const [fullOwn] = await sasrec.scorePairs(full, Int32Array.of(item));
      const [fullOther] = await sasrec.scorePairs(full, Int32Array.of(others[k - 1]));
      const expected = history.map((_, p) => fullOwn - fullOther - (own[p] - other[p]));
      expect(relativeError(valuesOf(occlusion.attributions), expected)).toBeLessThan(1e-4);
    },
  );

  it('subtracts the competitor from weighted exact contributions (still equal to in-place occlusion)', async () => {
    const e = await explainRecommendation(request(weighted, distinctItems(6, 62)), {
      target: 'margin',
      k: 2,
      removal: 'in-place',
      methods: ['exact', 'occlusion', 'gradxinput'],
    });
    const exact = e.methods.exact;
    const occlusion = e.methods.occlusion;
    const gxi = e.methods.gradxinput;
    if (exact?.status !== 'ok' || occlusion?.status !== 'ok' || gxi?.status !== 'ok') {
      throw new Error('a method did not run');
    }
    const values = valuesOf(exact.attributions);
    expect(values.reduce((t, v) => t + v, 0)).toBeCloseTo(e.target.value, 5);
    expect(relativeError(valuesOf(occlusion.attributions), values)).toBeLessThan(1e-4);
    expect(relativeError(valuesOf(gxi.attributions), values)).toBeLessThan(1e-4);
  });

  it('refuses a K with too few other unseen items', async () => {
    await expect(
      explainRecommendation(request(sasrec, distinctItems(6, 63)), { target: 'margin', k: 14 }),
    ).rejects.toThrow(ExplainError);
  });
});

describe('pop', () => {
  it('attributes nothing, says so, and has no counterfactual', async () => {
    const pop = await trained('pop');
    const e = await explainRecommendation(request(pop, distinctItems(6, 64)), {
      k: 3,
      lime: { samples: 100 },
    });
    expect(e.historyIndependent).toBe(true);
    let ran = 0;
    for (const outcome of Object.values(e.methods)) {
      if (outcome?.status !== 'ok') continue;
      ran++;
      // Exactly zero (not rounding noise a view would draw as a negative bar).
      expect({ method: outcome.method, values: valuesOf(outcome.attributions) }).toEqual({
        method: outcome.method,
        values: [0, 0, 0, 0, 0, 0],
      });
      expect(outcome.note).toMatch(/does not depend on the history/);
    }
    expect(ran).toBeGreaterThanOrEqual(4); // exact, occlusion, lime, shap
    for (const m of ['ig', 'saliency', 'gradxinput', 'attention'] as const) {
      expect(e.methods[m]?.status).toBe('unavailable');
    }
    expect(e.counterfactual?.status).toBe('unavailable');
    expect(e.counterfactual?.reason).toMatch(/does not depend on the history/);
    expect(e.faithfulness).toEqual({});
    pop.dispose();
  });
});

describe('read window', () => {
  it('with an empty history, every method is unavailable with a reason', async () => {
    const e = await explainRecommendation(request(sasrec, []), { k: 3 });
    expect(e.read).toBe(0);
    expect(e.unread).toBe(0);
    expect(e.history).toEqual([]);
    const outcomes = Object.values(e.methods);
    expect(outcomes).toHaveLength(EXPLAIN_METHODS.length - 1);
    for (const outcome of outcomes) {
      expect(outcome?.status).toBe('unavailable');
      if (outcome?.status === 'unavailable') expect(outcome.reason).toMatch(/no history items/);
    }
    expect(e.counterfactual?.status).not.toBe('found');
    expect(e.faithfulness).toEqual({});
  });

  it('reads the last maxLen items; unread ones never slide into an edited window', async () => {
    const history = distinctItems(MAX_LEN + 4, 65);
    const e = await explainRecommendation(request(sasrec, history), {
      methods: ['occlusion', 'ig'],
    });
    expect(e.read).toBe(MAX_LEN);
    expect(e.unread).toBe(4);
    expect(e.history.map((h) => h.position)).toEqual(
      Array.from({ length: MAX_LEN }, (_, k) => 4 + k),
    );
    expect(e.history.map((h) => h.item)).toEqual(history.slice(4));
    const occlusion = e.methods.occlusion;
    if (occlusion?.status !== 'ok') throw new Error('occlusion did not run');
    expect(occlusion.attributions.map((a) => a.position)).toEqual(e.history.map((h) => h.position));
    // Removing a read item leaves a window of maxLen − 1 read items: the newest unread item
    // (which the model would read if the whole history were re-scored) stays out.
    const read = history.slice(4);
    const [full] = await sasrec.scorePairs(oneHistory(read), Int32Array.of(e.item));
    const without = await Promise.all(
      read.map(async (_, p) => {
        const edited = read.filter((__, q) => q !== p);
        return (await sasrec.scorePairs(oneHistory(edited), Int32Array.of(e.item)))[0];
      }),
    );
    expect(
      relativeError(
        valuesOf(occlusion.attributions),
        without.map((w) => full - w),
      ),
    ).toBeLessThan(1e-4);
  });

  it('refuses history items and explained items outside the catalogue', async () => {
    await expect(explainRecommendation(request(sasrec, [1, NUM_ITEMS]))).rejects.toThrow(
      /outside 0\.\.19/,
    );
    await expect(explainRecommendation(request(sasrec, [1, 2], NUM_ITEMS + 3))).rejects.toThrow(
      ExplainError,
    );
  });
});

describe('progress and cancellation', () => {
  it('streams the start, each method, the counterfactual and the curves, in order', async () => {
    const events: ExplainProgress[] = [];
    const e = await explainRecommendation(
      request(sasrec, distinctItems(5, 66)),
      { methods: ['attention', 'occlusion', 'counterfactual'], k: 3 },
      { onProgress: (p) => events.push(p) },
    );
    expect(events.map((p) => p.kind)).toEqual([
      'started',
      'method',
      'method',
      'counterfactual',
      'faithfulness',
    ]);
    const started = events[0];
    if (started.kind !== 'started') throw new Error('no start');
    expect(started).toMatchObject({ item: e.item, rank: e.rank, read: 5, unread: 0 });
    const methods = events.filter((p) => p.kind === 'method');
    expect(methods.map((p) => [p.method, p.done, p.total])).toEqual([
      ['attention', 1, 2],
      ['occlusion', 2, 2],
    ]);
  });

  it('rejects with the abort reason when cancelled', async () => {
    const controller = new AbortController();
    controller.abort(new DOMException('stop', 'AbortError'));
    await expect(
      explainRecommendation(
        request(sasrec, distinctItems(5, 67)),
        {},
        { signal: controller.signal },
      ),
    ).rejects.toThrow(/stop/);
    // Cancelled mid-way (after the first method), nothing more is computed.
    const late = new AbortController();
    const seen: string[] = [];
    await expect(
      explainRecommendation(
        request(sasrec, distinctItems(5, 67)),
        { methods: ['attention', 'occlusion', 'lime'] },
        {
          signal: late.signal,
          onProgress: (p) => {
            seen.push(p.kind === 'method' ? p.method : p.kind);
            if (p.kind === 'method') late.abort();
          },
        },
      ),
    ).rejects.toThrow();
    expect(seen).toEqual(['started', 'attention']);
  });
});
