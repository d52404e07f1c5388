import { describe, expect, it } from 'vitest';
import {
  daysBetween,
  formatBytes,
  formatCompact,
  formatCount,
  formatDensity,
  formatIsoDate,
} from './format';

describe('format', () => {
  it('formats counts with thousands separators', () => {
    expect(formatCount(34812)).toBe('34,812');
  });

  it('shortens axis counts', () => {
    expect([950, 1000, 1200, 25_000, 3_400_000].map(formatCompact)).toEqual([
      '950',
      '1k',
      '1.2k',
      '25k',
      '3.4M',
    ]);
  });

  it('shows density with enough digits to be non-zero', () => {
    expect(formatDensity(0.0123)).toBe('1.23%');
    expect(formatDensity(0.000041)).toBe('0.0041%');
    expect(formatDensity(0.5)).toBe('50.0%');
    expect(formatDensity(0)).toBe('0%');
  });

  it('formats instants as UTC ISO dates and counts days', () => {
    expect(formatIsoDate(Date.UTC(2024, 0, 31, 23, 59))).toBe('2024-01-31');
    expect(daysBetween(Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1))).toBe(31);
  });

  it('formats byte sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(40 * 1024 * 1024)).toBe('40.0 MB');
  });
});
