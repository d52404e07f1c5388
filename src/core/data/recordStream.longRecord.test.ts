/**
 * Regression (found by the fuzz suite's clock, src/core/fuzz): a record longer than a slice was
 * appended to slice by slice, and each append copied all of it (V8 flattens the concatenated
 * string at the next search), so its cost grew with the square of its length: a 200 KB field
 * read in 1-byte slices took 22 s, a 160 MB field in the default 4 MB slices 10 s. The
 * scanner's work counters cannot see a copy, so this counts reads: while a long record is
 * pending, each read is as long as what is pending, and the pending text at least doubles.
 */
import { describe, expect, it } from 'vitest';
import { streamRecords } from './recordStream';
import { bytesSource } from './sources';
import type { ByteSource } from './types';

function countingSource(text: string): { source: ByteSource; reads: () => number } {
  const inner = bytesSource(new TextEncoder().encode(text), 'long.csv');
  let reads = 0;
  return {
    source: {
      name: inner.name,
      size: inner.size,
      read(start, end) {
        reads++;
        return inner.read(start, end);
      },
    },
    reads: () => reads,
  };
}

async function rowsOf(
  text: string,
  sliceBytes: number,
): Promise<{ rows: string[][]; reads: number }> {
  const { source, reads } = countingSource(text);
  const rows: string[][] = [];
  await streamRecords(
    source,
    { delimiter: ',', newline: '\n', encoding: 'utf-8', bom: false, sliceBytes },
    (batch) => rows.push(...batch.rows),
  );
  return { rows, reads: reads() };
}

describe('a record longer than a slice', () => {
  it('is read in slices that grow with it: reads logarithmic in its length, not linear', async () => {
    const field = 'ab'.repeat(500_000); // 1 MB
    const text = `user,item,timestamp\nu1,${field},1700000000\nu2,i2,1700000001\n`;
    const { rows, reads } = await rowsOf(text, 64);
    expect(rows).toEqual([
      ['user', 'item', 'timestamp'],
      ['u1', field, '1700000000'],
      ['u2', 'i2', '1700000001'],
    ]);
    // Fixed 64-byte slices: 15,626 reads, each copying the pending record.
    expect(reads).toBeLessThan(40);
  });

  it('takes linear time: 200 KB in 1-byte slices (was 22 s)', async () => {
    const field = 'a'.repeat(200_000);
    const started = performance.now();
    const { rows } = await rowsOf(`u,${field},1\nu2,i2,2\n`, 1);
    expect(rows[0][1]).toBe(field);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('reads the same records whatever the slice size (quoted, multi-line, stray quotes)', async () => {
    const long = `"${'x""y\n,'.repeat(20_000)}"`;
    const text = `a,b,c\n1,${long},2\n"u ""3""",${'z'.repeat(50_000)},3\n4,5,6\n7,"tail`;
    const whole = await rowsOf(text, text.length + 1);
    expect(whole.rows).toHaveLength(5);
    for (const size of [1, 3, 64, 1000, 65_536]) {
      expect((await rowsOf(text, size)).rows, `slice ${size}`).toEqual(whole.rows);
    }
  });
});
