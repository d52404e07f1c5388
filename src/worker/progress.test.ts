import { describe, expect, it } from 'vitest';
import type { IngestProgress } from '../core/data/types';
import { throttleProgress } from './progress';

const step = (rows: number): IngestProgress => ({
  phase: 'reading',
  bytesRead: rows,
  totalBytes: 100,
  rows,
});

describe('throttleProgress', () => {
  it('sends at most one message per interval and the newest pending one on flush', () => {
    let clock = 0;
    const sent: number[] = [];
    const progress = throttleProgress(
      (p) => sent.push(p.rows),
      50,
      () => clock,
    );
    for (let rows = 1; rows <= 10; rows++) {
      progress.update(step(rows));
      clock += 10; // 100 updates a second
    }
    expect(sent).toEqual([1, 6]);
    progress.flush();
    expect(sent).toEqual([1, 6, 10]);
    progress.flush(); // nothing new: no duplicate final message
    expect(sent).toEqual([1, 6, 10]);
  });

  it('survives a callback that throws or rejects (page gone, proxy released)', () => {
    const throwing = throttleProgress(() => {
      throw new Error('port closed');
    });
    expect(() => throwing.update(step(1))).not.toThrow();
    const rejecting = throttleProgress(() => Promise.reject(new Error('released')));
    expect(() => rejecting.update(step(1))).not.toThrow();
  });

  it('does nothing without a callback', () => {
    const progress = throttleProgress(undefined);
    expect(() => {
      progress.update(step(1));
      progress.flush();
    }).not.toThrow();
  });
});
