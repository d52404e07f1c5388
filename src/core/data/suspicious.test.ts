import { describe, expect, it } from 'vitest';
import { ingestInteractions } from './ingest';
import { futureTimestampLimit, suspiciousTimestamp } from './suspicious';
import { plainCsvOptions, textSource } from './testSupport';

/** 1 June 2026: "next year" is 2027, so 2028 on is the future. */
const NOW = Date.UTC(2026, 5, 1);

describe('values too large to store', () => {
  it('rejects a rating that would become Infinity as a 32-bit float, with its own reason', async () => {
    const text = [
      'user,item,rating',
      'a,x,4',
      `b,y,${2n ** 128n}`, // 3.4028236692e38: rounds to Infinity
      `c,z,-${2n ** 128n}`,
      'd,w,340282340000000000000000000000000000000', // just below the largest float32
      `e,v,1${'0'.repeat(400)}`, // Infinity even as a double
    ].join('\n');
    const { dataset, report, rejectedRows } = await ingestInteractions(textSource(text), null);
    expect(report).toMatchObject({ dataRows: 5, accepted: 2, rejected: 3 });
    expect(report.rejectedByReason.value_out_of_range).toEqual({ count: 3, firstLines: [3, 4, 6] });
    expect(rejectedRows[0].detail).toBe(
      '"340282366920938463463374607431768211456" is too large to store (the limit is ±3.4e38)',
    );
    expect([...dataset.value].every(Number.isFinite)).toBe(true);
  });
});

describe('suspicious timestamps', () => {
  it('classifies 0, before 1990 and after next year', () => {
    const limit = futureTimestampLimit(NOW);
    expect(limit).toBe(Date.UTC(2028, 0, 1));
    expect(suspiciousTimestamp(0, limit)).toBe('timestamp_zero');
    expect(suspiciousTimestamp(-1000, limit)).toBe('timestamp_before_1990');
    expect(suspiciousTimestamp(Date.UTC(1989, 11, 31), limit)).toBe('timestamp_before_1990');
    expect(suspiciousTimestamp(Date.UTC(1990, 0, 1), limit)).toBeNull();
    expect(suspiciousTimestamp(Date.UTC(2027, 11, 31, 23), limit)).toBeNull();
    expect(suspiciousTimestamp(limit, limit)).toBe('timestamp_future');
  });

  it('keeps the rows and reports counts, users and the first three lines of each kind', async () => {
    const text = [
      'user,item,timestamp',
      'u1,i1,1700000000',
      'u2,i1,0', // line 3
      'u2,i2,0',
      'u2,i3,0',
      'u2,i4,0',
      'u3,i1,315532800', // 1980
      'u3,i2,7258118400', // 2200
      'u2,i4,0', // line 9, a duplicate of line 6: rejected, not counted twice
      'u4,i1,-5',
    ].join('\n');
    const { report, dataset } = await ingestInteractions(textSource(text), null, { now: NOW });
    expect(report).toMatchObject({ dataRows: 9, accepted: 8, rejected: 1 });
    expect(report.rejectedByReason.duplicate?.firstLines).toEqual([9]);
    expect(dataset.user.length).toBe(8);
    expect(report.suspicious).toEqual({
      timestamp_zero: { count: 4, users: 1, firstLines: [3, 4, 5] },
      timestamp_before_1990: { count: 2, users: 2, firstLines: [7, 10] },
      timestamp_future: { count: 1, users: 1, firstLines: [8] },
    });
    const notice = report.notices.find((n) => n.code === 'suspicious-timestamps');
    expect(notice).toEqual({
      level: 'warning',
      code: 'suspicious-timestamps',
      message:
        '7 accepted rows have timestamps that look wrong: 4 are 0, i.e. 1 January 1970 (1 user; e.g. ' +
        'lines 3, 4, 5); 2 are before 1990 (2 users; lines 7, 10); 1 is after 2027 (1 user; ' +
        'line 8). The rows were kept; check the time column and its unit.',
    });
  });

  it('says nothing when every timestamp looks fine, or there are none', async () => {
    const timed = await ingestInteractions(
      textSource('user,item,timestamp\na,x,1700000000\n'),
      null,
      {
        now: NOW,
      },
    );
    expect(timed.report.suspicious).toEqual({});
    expect(timed.report.notices.map((n) => n.code)).not.toContain('suspicious-timestamps');
    const untimed = await ingestInteractions(textSource('user,item\na,x\n'), null, { now: NOW });
    expect(untimed.report.suspicious).toEqual({});
  });

  it('reads 0 the same in a seconds file and a milliseconds file: accepted, reported', async () => {
    const seconds = await ingestInteractions(
      textSource('user,item,timestamp\na,x,1700000000\nb,y,0\n'),
      plainCsvOptions({ timestamp: 2 }),
      { now: NOW },
    );
    const millis = await ingestInteractions(
      textSource('user,item,timestamp\na,x,1700000000000\nb,y,0\n'),
      { ...plainCsvOptions({ timestamp: 2 }), timestampFormat: 'epoch-ms' },
      { now: NOW },
    );
    for (const { report, dataset } of [seconds, millis]) {
      expect(report).toMatchObject({ accepted: 2, rejected: 0 });
      expect([...dataset.timestamp].sort()).toEqual([0, 1700000000000]);
      expect(report.suspicious?.timestamp_zero).toEqual({ count: 1, users: 1, firstLines: [3] });
    }
  });

  it('reports dates before 1990 in any format', async () => {
    const text = 'user,item,time\na,x,1985-06-01T00:00:00Z\nb,y,2024-03-01T10:00:00Z\n';
    const { report } = await ingestInteractions(textSource(text), null, { now: NOW });
    expect(report.options.timestampFormat).toBe('iso-8601');
    expect(report.suspicious).toEqual({
      timestamp_before_1990: { count: 1, users: 1, firstLines: [2] },
    });
  });
});
