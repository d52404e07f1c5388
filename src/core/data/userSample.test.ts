import { describe, expect, it } from 'vitest';
import { ingestInteractions } from './ingest';
import { textSource } from './testSupport';
import { IngestError } from './types';
import {
  EXACT_DISTINCT_LIMIT,
  fittingFraction,
  formatShare,
  UserSampler,
  userHash,
  userSampleProblem,
} from './userSample';

describe('userHash', () => {
  it('matches an independent implementation of the documented hash (Python, on UTF-8 bytes)', () => {
    // Computed with the Python function in docs/data.md ("User-hash samples").
    const vectors: [string, number, number][] = [
      ['', 0, 2872998923],
      ['u1', 0, 612938007],
      ['u1', 1, 3372026498],
      ['user-42', 7, 3117168937],
      ['é', 0, 2387039943],
      ['日本', 3, 3236518989],
      ['😀x', 0, 1712820238],
      ['1000000000001', 0, 426142754],
      ['\ud800x', 0, 3337331921], // a lone surrogate is U+FFFD, as TextEncoder writes it
    ];
    for (const [id, seed, want] of vectors) expect(userHash(id, seed), id).toBe(want);
  });

  it('spreads sequential ids evenly over the range', () => {
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 20_000; i++) buckets[Math.floor(userHash(`u${i}`, 0) / 2 ** 32 / 0.1)]++;
    for (const b of buckets) expect(Math.abs(b - 2000)).toBeLessThan(200);
  });
});

describe('sample settings', () => {
  it('says what is wrong with a fraction or a seed, in one sentence', () => {
    expect(userSampleProblem({ fraction: 0.1, seed: 0 })).toBeNull();
    expect(userSampleProblem({ fraction: 0, seed: 0 })).toMatch(/share of users.*got 0\.$/);
    expect(userSampleProblem({ fraction: 1.5, seed: 0 })).toMatch(/from 0\.000001 to 1/);
    expect(userSampleProblem({ fraction: Number.NaN, seed: 0 })).toMatch(/got NaN/);
    expect(userSampleProblem({ fraction: 0.5, seed: -1 })).toMatch(/seed must be an integer/);
    expect(userSampleProblem({ fraction: 0.5, seed: 2 ** 32 })).toMatch(/seed/);
  });

  it('proposes a readable fraction that fits with room to spare', () => {
    expect(fittingFraction(3.2, 1)).toBe(0.28);
    expect(fittingFraction(100, 1)).toBe(0.009);
    expect(fittingFraction(1, 1)).toBe(0.9);
    expect(fittingFraction(1, 2)).toBe(1);
    expect(formatShare(0.28)).toBe('28%');
    expect(formatShare(0.012)).toBe('1.2%');
    expect(formatShare(0.0005)).toBe('0.05%');
  });
});

/** A log of `users` users with 1 to 9 interactions each, in a shuffled (not user) order. */
function sampleLog(users: number, seed = 1): { text: string; rows: number } {
  const rows: string[] = [];
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  for (let u = 0; u < users; u++) {
    const n = 1 + Math.floor(next() * 9);
    for (let k = 0; k < n; k++) rows.push(`user${u},item${(u * 7 + k) % 501},${1_700_000_000 + k}`);
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return { text: `user,item,timestamp\n${rows.join('\n')}\n`, rows: rows.length };
}

describe('user-hash sampling while a CSV streams', () => {
  const log = sampleLog(3000);

  it('keeps whole users, the same ones every time, close to the asked fraction', async () => {
    const sample = { fraction: 0.1, seed: 7 };
    const full = await ingestInteractions(textSource(log.text), null);
    const first = await ingestInteractions(textSource(log.text), null, { sample, sliceBytes: 997 });
    const again = await ingestInteractions(textSource(log.text), null, { sample });
    expect(again.dataset.userIds).toEqual(first.dataset.userIds);
    expect([...again.dataset.line]).toEqual([...first.dataset.line]);

    // Exactly the users whose hash is under the threshold, each with all of their rows.
    const kept = new Set(first.dataset.userIds);
    const expected = full.dataset.userIds.filter((u) => userHash(u, 7) < 0.1 * 2 ** 32);
    expect([...kept].sort()).toEqual(expected.sort());
    const perUser = (d: typeof full.dataset, id: string) => {
      const u = d.userIds.indexOf(id);
      return d.userOffsets[u + 1] - d.userOffsets[u];
    };
    for (const id of kept) expect(perUser(first.dataset, id)).toBe(perUser(full.dataset, id));

    const { report } = first;
    expect(Math.abs(kept.size / 3000 - 0.1)).toBeLessThan(0.025);
    expect(report.sample).toMatchObject({
      fraction: 0.1,
      seed: 7,
      reason: 'asked',
      keptUsers: kept.size,
      droppedUsers: 3000 - kept.size,
      droppedUsersExact: true,
    });
    expect(report.sample?.method).toMatch(/FNV-1a.*seed.*fmix32/);
    expect(report.sample?.keptUserShare).toBeCloseTo(kept.size / 3000, 10);
    // Rows left out are accounted for apart from rejected ones.
    expect(report.dataRows).toBe(log.rows);
    expect(report.accepted + report.rejected + (report.sample?.droppedRows ?? 0)).toBe(log.rows);
    expect(report.rejected).toBe(0);
    expect(report.options.sample).toEqual(sample);
    const notice = report.notices.find((n) => n.code === 'user-sample');
    expect(notice?.message).toMatch(
      /^Only a sample of users was loaded: 10% of users \(chosen by a hash of the user id, seed 7\) with every interaction of each, leaving out [\d,]+ users and [\d,]+ rows\.$/,
    );
  });

  it('keeps other users with another seed, and the same users whatever the row order', async () => {
    const a = await ingestInteractions(textSource(log.text), null, {
      sample: { fraction: 0.2, seed: 1 },
    });
    const b = await ingestInteractions(textSource(log.text), null, {
      sample: { fraction: 0.2, seed: 2 },
    });
    expect(new Set(a.dataset.userIds)).not.toEqual(new Set(b.dataset.userIds));
    const reordered = sampleLog(3000, 99); // same users, rows shuffled differently
    const c = await ingestInteractions(textSource(reordered.text), null, {
      sample: { fraction: 0.2, seed: 1 },
    });
    expect([...c.dataset.userIds].sort()).toEqual([...a.dataset.userIds].sort());
  });

  it('reads the sample from the options too, and a fraction of 1 keeps everyone without a sample', async () => {
    const viaOptions = await ingestInteractions(textSource(log.text), null, {});
    const options = { ...viaOptions.report.options, sample: { fraction: 0.05, seed: 3 } };
    const sampled = await ingestInteractions(textSource(log.text), options);
    expect(sampled.report.sample?.fraction).toBe(0.05);
    const all = await ingestInteractions(textSource(log.text), null, {
      sample: { fraction: 1, seed: 3 },
    });
    expect(all.report.sample).toBeUndefined();
    expect(all.report.options.sample).toBeUndefined();
    expect(all.report.accepted).toBe(log.rows);
  });

  it('rejects rows without a user as before', async () => {
    const text = 'user,item,timestamp\n,i1,1700000000\nuser1,i1,yesterday\nuser1,i2,1700000001\n';
    const all = await ingestInteractions(textSource(text), null);
    expect(Object.keys(all.report.rejectedByReason).sort()).toEqual([
      'bad_timestamp',
      'missing_user',
    ]);
  });

  it("counts a sampled-out user's rows apart from the rejected ones", async () => {
    const text =
      'user,item,timestamp\n,i1,1700000000\nuser1,i1,yesterday\nuser1,i2,1700000001\nkeep,i3,1700000002\n';
    // With seed 5, `keep` hashes below `user1`: a threshold right above it keeps only `keep`.
    expect(userHash('keep', 5)).toBeLessThan(userHash('user1', 5));
    const fraction = (userHash('keep', 5) + 1) / 2 ** 32;
    const { report } = await ingestInteractions(textSource(text), null, {
      sample: { fraction, seed: 5 },
    });
    expect(report.rejectedByReason).toEqual({ missing_user: { count: 1, firstLines: [2] } });
    expect(report.sample).toMatchObject({ droppedRows: 2, droppedUsers: 1, keptUsers: 1 });
    expect(report).toMatchObject({ dataRows: 4, accepted: 1, rejected: 1 });
  });

  it('loads a sample that fits instead of refusing a file above the limit, when asked to', async () => {
    const source = textSource(log.text);
    const refused = await ingestInteractions(source, null, { maxBytes: source.size / 4 }).catch(
      (e) => e,
    );
    expect(refused).toBeInstanceOf(IngestError);
    expect(refused.code).toBe('too-large');
    expect(refused.message).toMatch(/at most 22%.*--sample-users 0\.22/);
    const loaded = await ingestInteractions(source, null, {
      maxBytes: source.size / 4,
      sampleIfTooLarge: true,
    });
    expect(loaded.report.sample).toMatchObject({ fraction: 0.22, seed: 0, reason: 'too-large' });
    const notice = loaded.report.notices[0];
    expect(notice.code).toBe('user-sample');
    expect(notice.message).toMatch(
      /^This file is 0\.00 GiB, above the 0\.00 GiB a browser tab can index, so only a sample of users was loaded: 22% of users/,
    );
  });

  it('refuses an asked-for sample that would still not fit, naming one that would', async () => {
    const source = textSource(log.text);
    const error = await ingestInteractions(source, null, {
      maxBytes: source.size / 4,
      sample: { fraction: 0.5, seed: 0 },
    }).catch((e) => e);
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(
      /^A sample of 50% of the users .* choose at most 22% \(0\.22\)\.$/,
    );
    const invalid = await ingestInteractions(source, null, {
      sample: { fraction: 0, seed: 0 },
    }).catch((e) => e);
    expect(invalid.code).toBe('invalid-options');
  });

  it('stops a sample that holds more rows than a tab can index', async () => {
    const error = await ingestInteractions(textSource(log.text), null, {
      sample: { fraction: 0.5, seed: 0 },
      maxRows: 100,
    }).catch((e) => e);
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/holds more than the 100 rows .* such as 25%\.$/);
  });
});

describe('counting the users a sample leaves out', () => {
  it('is exact up to its limit, then estimates within a few percent and says so', () => {
    const sampler = new UserSampler({ fraction: 1e-6, seed: 0 });
    const n = EXACT_DISTINCT_LIMIT + 200_000;
    let keptRows = 0;
    for (let i = 0; i < n; i++) if (sampler.keeps(`id-${i}`)) keptRows++;
    for (let i = 0; i < 1000; i++) if (sampler.keeps(`id-${i}`)) keptRows++; // repeats count once
    const report = sampler.report(0, 'asked');
    expect(report.droppedRows).toBe(n + 1000 - keptRows);
    expect(report.droppedUsersExact).toBe(false);
    expect(Math.abs(report.droppedUsers / n - 1)).toBeLessThan(0.05);

    const small = new UserSampler({ fraction: 0.5, seed: 0 });
    let dropped = 0;
    for (let i = 0; i < 10_000; i++) if (!small.keeps(`id-${i}`)) dropped++;
    for (let i = 0; i < 10_000; i++) small.keeps(`id-${i}`);
    expect(small.report(10_000 - dropped, 'asked')).toMatchObject({
      droppedUsers: dropped,
      droppedUsersExact: true,
      droppedRows: 2 * dropped,
    });
  });
});
