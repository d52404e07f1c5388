import { describe, expect, it } from 'vitest';
import type { HistoryBatch, Scorer } from '../models/baseline-types';
import { evaluate } from './evaluate';
import { temporalLeaveLastOut } from './split';
import { makeDataset } from './testing';

// Items i0..i5 are indexed in this order; the catalogue is padded to 8 items.
const ds = makeDataset(
  [
    ['u0', 'i0', 1],
    ['u0', 'i1', 2],
    ['u0', 'i2', 3],
    ['u0', 'i3', 4],
    ['u1', 'i4', 2],
    ['u1', 'i5', 9],
    ['u1', 'i0', 3],
    ['u2', 'i5', 1],
  ],
  8,
);
// u0: train [i0 i1], validation i2, test i3. u1 (by time i4, i0, i5): train [i4],
// validation i0, test i5. u2: one interaction, excluded.
const split = temporalLeaveLastOut(ds, { minInteractions: 3 });
const fixed = Float32Array.of(0.1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3);

function fixedScorer(calls: { users: number[]; histories: number[][] }[] = []): Scorer {
  return async (users: Int32Array, h: HistoryBatch) => {
    calls.push({
      users: Array.from(users),
      histories: Array.from(users, (_, r) =>
        Array.from(h.items.subarray(h.offsets[r], h.offsets[r + 1])),
      ),
    });
    const out = new Float32Array(users.length * 8);
    for (let r = 0; r < users.length; r++) out.set(fixed, r * 8);
    return out;
  };
}

describe('evaluate, full ranking (hand-computed)', () => {
  it('test targets: ranks, HR, NDCG, Recall, MRR, coverage and labels', async () => {
    const { report, ranks, users } = await evaluate(fixedScorer(), split, {
      which: 'test',
      k: [2, 10],
    });
    // u0: target i3 (0.7); i1, i2 (0.9, 0.8) are seen -> rank 1.
    // u1: target i5 (0.5); seen i4, i0; above it: i1, i2, i3 -> rank 4.
    expect(Array.from(users)).toEqual([0, 1]);
    expect(Array.from(ranks)).toEqual([1, 4]);
    const [at2, at10] = report.atK;
    expect(at2).toMatchObject({ k: 2, hitRate: 0.5, ndcg: 0.5, recall: 0.5 });
    expect(at10.hitRate).toBe(1);
    expect(at10.ndcg).toBeCloseTo((1 + 1 / Math.log2(5)) / 2, 12);
    expect(report.mrr).toBeCloseTo((1 + 1 / 4) / 2, 12);
    // top-2: u0 -> i3, i4; u1 -> i1, i2: 4 of 8 items. top-10: every unseen item of either
    // user, which is all but i0 (seen by both): 7 of 8.
    expect(at2.coverage).toBe(0.5);
    expect(at10.coverage).toBe(7 / 8);
    expect(report).toMatchObject({
      protocol: 'full-ranking',
      which: 'test',
      tieRule: 'ties-count-against',
      usersEvaluated: 2,
      usersExcluded: 1,
      minInteractions: 3,
      repeatTargets: 0,
      numItems: 8,
      seed: null,
      negativesShortfall: 0,
    });
  });

  it('validation targets are ranked with the shorter history', async () => {
    const calls: { users: number[]; histories: number[][] }[] = [];
    const { ranks } = await evaluate(fixedScorer(calls), split, { which: 'validation' });
    // u0: target i2 (0.8), seen i0 i1 -> rank 1. u1: target i0 (0.1), seen i4 -> 6 above.
    expect(Array.from(ranks)).toEqual([1, 7]);
    expect(calls[0].histories).toEqual([[0, 1], [4]]);
  });

  it('passes the whole history before the target to the scorer, batch by batch', async () => {
    const calls: { users: number[]; histories: number[][] }[] = [];
    const progress: number[] = [];
    await evaluate(fixedScorer(calls), split, {
      which: 'test',
      batchSize: 1,
      onProgress: (done) => progress.push(done),
    });
    expect(calls).toEqual([
      { users: [0], histories: [[0, 1, 2]] },
      { users: [1], histories: [[4, 0]] },
    ]);
    expect(progress).toEqual([1, 2]);
  });

  it('does not depend on the batch size', async () => {
    const a = await evaluate(fixedScorer(), split, { which: 'test', batchSize: 1 });
    const b = await evaluate(fixedScorer(), split, { which: 'test', batchSize: 64 });
    expect(a.report).toEqual(b.report);
  });

  it('counts a repeated target as a miss and reports it', async () => {
    const repeat = makeDataset([
      ['u', 'x', 1],
      ['u', 'y', 2],
      ['u', 'x', 3],
      ['v', 'y', 1],
      ['v', 'x', 2],
      ['v', 'z', 3],
    ]);
    const s = temporalLeaveLastOut(repeat);
    const scorer: Scorer = async (users) => new Float32Array(users.length * 3).fill(1);
    const { report, ranks } = await evaluate(scorer, s, { which: 'test' });
    expect(report.repeatTargets).toBe(1);
    expect(ranks[0]).toBe(Number.POSITIVE_INFINITY);
    expect(report.atK[0].hitRate).toBe(0.5);
  });
});

describe('evaluate, sampled-100 (labelled option)', () => {
  it('uses every unseen item when fewer than 100 are left, and says so', async () => {
    const full = await evaluate(fixedScorer(), split, { which: 'test' });
    const sampled = await evaluate(fixedScorer(), split, {
      which: 'test',
      protocol: 'sampled-100',
    });
    expect(Array.from(sampled.ranks)).toEqual(Array.from(full.ranks));
    expect(sampled.report).toMatchObject({
      protocol: 'sampled-100',
      seed: 42,
      negativesShortfall: 2,
    });
    expect(sampled.report.atK.every((m) => m.coverage === null)).toBe(true);
  });

  it('is seeded: same seed, same ranks, whatever the batch size; ranks are at most 101', async () => {
    const rows: [string, string, number][] = [];
    for (let u = 0; u < 30; u++)
      for (let t = 0; t < 6; t++) rows.push([`u${u}`, `i${(u * 7 + t * 13) % 400}`, t]);
    const big = temporalLeaveLastOut(makeDataset(rows, 400));
    const scorer: Scorer = async (users) => {
      const out = new Float32Array(users.length * 400);
      for (let r = 0; r < users.length; r++) {
        for (let j = 0; j < 400; j++) out[r * 400 + j] = ((users[r] * 31 + j * 17) % 97) / 97;
      }
      return out;
    };
    const a = await evaluate(scorer, big, { which: 'test', protocol: 'sampled-100', batchSize: 7 });
    const b = await evaluate(scorer, big, {
      which: 'test',
      protocol: 'sampled-100',
      batchSize: 64,
    });
    const c = await evaluate(scorer, big, { which: 'test', protocol: 'sampled-100', seed: 3 });
    const full = await evaluate(scorer, big, { which: 'test' });
    expect(Array.from(a.ranks)).toEqual(Array.from(b.ranks));
    expect(Array.from(c.ranks)).not.toEqual(Array.from(a.ranks));
    expect(a.report.negativesShortfall).toBe(0);
    for (let r = 0; r < a.ranks.length; r++) {
      expect(a.ranks[r]).toBeLessThanOrEqual(101);
      expect(a.ranks[r]).toBeLessThanOrEqual(full.ranks[r]);
    }
  });
});

describe('evaluate, refusals', () => {
  it('rejects NaN scores and scores of the wrong size', async () => {
    const nan: Scorer = async (users) => new Float32Array(users.length * 8).fill(Number.NaN);
    await expect(evaluate(nan, split, { which: 'test' })).rejects.toThrow(/16 NaN scores/);
    const short: Scorer = async () => new Float32Array(3);
    await expect(evaluate(short, split, { which: 'test' })).rejects.toThrow(/expected 2 x 8 = 16/);
  });

  it('stops when cancelled and refuses bad options', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      evaluate(fixedScorer(), split, { which: 'test', signal: controller.signal }),
    ).rejects.toThrow();
    await expect(evaluate(fixedScorer(), split, { which: 'test', k: [0] })).rejects.toThrow(
      /positive integer/,
    );
    await expect(evaluate(fixedScorer(), split, { which: 'test', batchSize: 0 })).rejects.toThrow(
      /batchSize/,
    );
  });

  it('says so when no user can be evaluated', async () => {
    const tiny = temporalLeaveLastOut(makeDataset([['u', 'x', 1]]));
    await expect(evaluate(fixedScorer(), tiny, { which: 'test' })).rejects.toThrow(
      /No user has at least 3 interactions.*1 users excluded/,
    );
  });
});
