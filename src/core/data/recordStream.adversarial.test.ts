/**
 * Hostile input: quotes that never close, quoted fields full of stray quotes, very long lines.
 * Work is measured by counters (characters the scanner examined and the parser was handed),
 * never by the clock, so these tests cannot flake: before the scanner and the recovery from
 * unclosed quotes were made linear, a file of rows each opening a quote took time quadratic in
 * its length (26 s for 32k rows), and so did a field of `a"` repeated (58 s for 2 MB).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RecordBatch, type RecordStreamStats, streamRecords } from './recordStream';
import { bytesSource } from './sources';
import type { Newline } from './text';
import type { Delimiter } from './types';

interface Streamed {
  rows: string[][];
  lines: number[];
  unterminated: number[];
  stats: RecordStreamStats;
  length: number;
}

async function stream(
  text: string,
  sliceBytes: number,
  delimiter: Delimiter = ',',
  newline: Newline = '\n',
): Promise<Streamed> {
  const bytes = new TextEncoder().encode(text);
  const stats: RecordStreamStats = { scanned: 0, parsed: 0, restarts: 0 };
  const out: Streamed = { rows: [], lines: [], unterminated: [], stats, length: text.length };
  await streamRecords(
    bytesSource(bytes, 't'),
    { delimiter, newline, encoding: 'utf-8', bom: false, sliceBytes, stats },
    (b: RecordBatch) => {
      b.rows.forEach((row, r) => {
        if (b.unterminated[r]) out.unterminated.push(b.lines[r]);
        out.rows.push(row);
        out.lines.push(b.lines[r]);
      });
    },
  );
  return out;
}

/** Characters examined or parsed per character of input. */
const workPerChar = (s: Streamed) => (s.stats.scanned + s.stats.parsed) / s.length;

const unterminatedRows = (n: number) => `user,item,timestamp\n${'"u1,i1,1700000000\n'.repeat(n)}`;
const quoteRunField = (n: number) =>
  `user,item,timestamp\nu0,i0,1700000000\nu1,"${'a"'.repeat(n)},1700000000\nu2,i2,1700000000\n`;

describe('linear work on hostile input', () => {
  it('rows that each open a quote that never closes: each rejected alone, linear work', async () => {
    const small = await stream(unterminatedRows(2000), 4096);
    const large = await stream(unterminatedRows(16000), 4096);
    expect(large.rows).toHaveLength(16001);
    expect(large.rows[1]).toEqual(['u1,i1,1700000000']);
    expect(large.unterminated).toEqual(Array.from({ length: 16000 }, (_, k) => k + 2));
    expect(large.stats.restarts).toBe(16000);
    // Quadratic before: every restart re-scanned the rest of the file.
    expect(workPerChar(small)).toBeLessThan(6);
    expect(workPerChar(large)).toBeLessThan(6);
    expect(large.stats.scanned / small.stats.scanned).toBeLessThan(8 * 1.25);
  });

  it('a quoted field of `a"` repeated: read as one field, linear work', async () => {
    const small = await stream(quoteRunField(20_000), 4096);
    const large = await stream(quoteRunField(160_000), 4096);
    expect(large.rows).toEqual([
      ['user', 'item', 'timestamp'],
      ['u0', 'i0', '1700000000'],
      ['u1', 'a"'.repeat(160_000).slice(0, -1), '1700000000'],
      ['u2', 'i2', '1700000000'],
    ]);
    expect(large.unterminated).toEqual([]);
    expect(workPerChar(small)).toBeLessThan(6);
    expect(workPerChar(large)).toBeLessThan(6);
  });

  it('stray quotes each followed by whitespace, then a closing quote', async () => {
    const text = `a,"${'x"   '.repeat(30_000)}" ,b\nc,d,e\n`;
    const result = await stream(text, 1000);
    expect(result.rows).toEqual([
      ['a', `${'x"   '.repeat(30_000)}`, 'b'],
      ['c', 'd', 'e'],
    ]);
    expect(workPerChar(result)).toBeLessThan(6);
  });

  it('a long line of quoted fields, and a long line with no line ending, in small slices', async () => {
    const fields = await stream(`${'"a",'.repeat(50_000)}"z"\n`, 256);
    expect(fields.rows).toHaveLength(1);
    expect(fields.rows[0]).toHaveLength(50_001);
    expect(workPerChar(fields)).toBeLessThan(6);
    // Before, each slice searched the whole unfinished line again for a line ending.
    const endless = await stream(`a,b,${'x'.repeat(200_000)}`, 256);
    expect(endless.rows).toEqual([['a', 'b', 'x'.repeat(200_000)]]);
    expect(workPerChar(endless)).toBeLessThan(6);
    const endlessQuoted = await stream(`a,"${'x'.repeat(200_000)}`, 256);
    expect(endlessQuoted.unterminated).toEqual([1]);
    expect(workPerChar(endlessQuoted)).toBeLessThan(6);
  });

  it('restarts that run far before failing again cost linear work in all', async () => {
    // From each line, a quote opens and runs to the last line, closes there, and a new quote
    // opens that never closes: every restart fails at the very end of the file.
    const n = 4000;
    const text = `${'"a\n'.repeat(n)}",x,"y\n`;
    const result = await stream(text, 512);
    expect(result.unterminated).toHaveLength(n + 1);
    expect(workPerChar(result)).toBeLessThan(8);
  });

  it('stays within a constant factor of linear on generated hostile text', async () => {
    const piece = fc.constantFrom('"', '"', '""', ',', '\n', '\r\n', ' ', 'a', 'b"', '" ', '\t');
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 30 }),
        async (pieces, sliceBytes, repeat) => {
          const text = pieces.join('').repeat(repeat);
          const whole = await stream(text, text.length + 1);
          const sliced = await stream(text, sliceBytes);
          expect(sliced.rows).toEqual(whole.rows);
          expect(sliced.lines).toEqual(whole.lines);
          expect(sliced.unterminated).toEqual(whole.unterminated);
          expect(workPerChar(whole)).toBeLessThan(12);
          expect(workPerChar(sliced)).toBeLessThan(12);
        },
      ),
      { numRuns: 150, seed: 20240602 },
    );
  });
});

describe('cancel on hostile input', () => {
  it('stops within one slice of work once the reading is done and the recovery runs', async () => {
    const text = unterminatedRows(20_000);
    const bytes = new TextEncoder().encode(text);
    const sliceBytes = 4096;
    const controller = new AbortController();
    const stats: RecordStreamStats = { scanned: 0, parsed: 0, restarts: 0 };
    let atAbort = 0;
    const error = await streamRecords(
      bytesSource(bytes, 't'),
      {
        delimiter: ',',
        newline: '\n',
        encoding: 'utf-8',
        bom: false,
        sliceBytes,
        stats,
        signal: controller.signal,
        onSlice: (bytesRead) => {
          if (bytesRead < bytes.length) return;
          controller.abort();
          atAbort = stats.scanned + stats.parsed;
        },
      },
      () => {},
    ).catch((e) => e);
    expect(error.code).toBe('cancelled');
    expect(stats.scanned + stats.parsed - atAbort).toBeLessThanOrEqual(2 * sliceBytes + 64);
    expect(stats.restarts).toBeLessThan(2 * (sliceBytes / 18));
  });

  it('stops within one slice of work when cancelled in the middle of the recovery', async () => {
    const text = unterminatedRows(20_000);
    const sliceBytes = 2048;
    const controller = new AbortController();
    const stats: RecordStreamStats = { scanned: 0, parsed: 0, restarts: 0 };
    let rowsAfterAbort = 0;
    const error = await streamRecords(
      bytesSource(new TextEncoder().encode(text), 't'),
      {
        delimiter: ',',
        newline: '\n',
        encoding: 'utf-8',
        bom: false,
        sliceBytes,
        stats,
        signal: controller.signal,
      },
      (batch) => {
        if (controller.signal.aborted) rowsAfterAbort += batch.rows.length;
        if (stats.restarts > 1000) controller.abort();
      },
    ).catch((e) => e);
    expect(error.code).toBe('cancelled');
    expect(rowsAfterAbort * 18).toBeLessThanOrEqual(2 * sliceBytes);
    expect(stats.restarts).toBeLessThan(1000 + (2 * sliceBytes) / 18);
  });
});

describe('cancel after a stray quote near the start', () => {
  it('hands on the rows after it in slices of work, so a cancel is noticed within one', async () => {
    const rows = Array.from({ length: 20_000 }, (_, k) => `u${k},i${k},${1_700_000_000 + k}\n`);
    const text = `user,item,timestamp\n"u,i,1\n${rows.join('')}`;
    const sliceBytes = 4096;
    const controller = new AbortController();
    let batches = 0;
    let largest = 0;
    const error = await streamRecords(
      bytesSource(new TextEncoder().encode(text), 't'),
      {
        delimiter: ',',
        newline: '\n',
        encoding: 'utf-8',
        bom: false,
        sliceBytes,
        signal: controller.signal,
      },
      (batch) => {
        batches++;
        largest = Math.max(largest, batch.rows.length);
        if (batches === 5) controller.abort();
      },
    ).catch((e) => e);
    expect(error.code).toBe('cancelled');
    // Each batch holds about one slice of text (rows of ~25 characters), not the whole file.
    expect(largest * 20).toBeLessThanOrEqual(2 * sliceBytes);
  });
});

describe('U+FEFF at the start of a record', () => {
  it('is data wherever a slice begins (Papa would drop it at the start of its input)', async () => {
    const text = 'a,b\n\ufeff"x",y\n\ufeffz,w\n';
    const whole = await stream(text, text.length + 1);
    expect(whole.rows).toEqual([
      ['a', 'b'],
      ['\ufeff"x"', 'y'],
      ['\ufeffz', 'w'],
    ]);
    for (let size = 1; size <= 12; size++) {
      expect((await stream(text, size)).rows, `slice ${size}`).toEqual(whole.rows);
    }
  });
});
