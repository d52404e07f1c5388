import { describe, expect, it } from 'vitest';
import { ingestProgress } from './progress';

describe('ingestProgress', () => {
  it('prints each phase once and at most one reading line per interval', () => {
    const lines: string[] = [];
    let now = 0;
    const report = ingestProgress(
      (t) => lines.push(t),
      'u.data',
      2000,
      () => now,
    );
    const reading = (bytesRead: number, rows: number) =>
      report({ phase: 'reading', bytesRead, totalBytes: 4000, rows });
    reading(1000, 2500);
    now = 500;
    reading(2000, 5000); // within the interval: dropped
    now = 2500;
    reading(3000, 7500);
    report({ phase: 'indexing', bytesRead: 4000, totalBytes: 4000, rows: 10000 });
    expect(lines).toEqual([
      'u.data: reading (25%, 2,500 rows)\n',
      'u.data: reading (75%, 7,500 rows)\n',
      'u.data: indexing\n',
    ]);
  });
});
