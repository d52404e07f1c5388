import { describe, expect, it } from 'vitest';
import {
  guessTimestampFormat,
  parseDateTime,
  parseEpochMillis,
  parseEpochSeconds,
  timestampParser,
} from './timestamps';

describe('timestamp parsing', () => {
  it('reads epoch seconds (with fractions) and milliseconds', () => {
    expect(parseEpochSeconds('874965758')).toBe(874965758000);
    expect(parseEpochSeconds(' 1260759144.5 ')).toBe(1260759144500);
    expect(parseEpochMillis('1700000005123')).toBe(1700000005123);
  });

  it('rejects non-numbers and values outside the unit', () => {
    for (const bad of ['', ' ', 'abc', '12a', '1e9', '0x10', '--1', '.']) {
      expect(parseEpochSeconds(bad)).toBeNaN();
    }
    expect(parseEpochSeconds('1700000005123')).toBeNaN(); // milliseconds in a seconds column
    expect(parseEpochMillis('1700000000')).toBeNaN(); // seconds in a milliseconds column
  });

  it('reads 0 as 1 January 1970 in either unit', () => {
    expect(parseEpochSeconds('0')).toBe(0);
    expect(parseEpochMillis('0')).toBe(0);
    expect(parseEpochMillis(' 0 ')).toBe(0);
    expect(parseEpochMillis('5')).toBeNaN();
  });

  it('reads ISO 8601 with Z, offsets, fractions and no zone (UTC)', () => {
    const iso = timestampParser('iso-8601');
    expect(iso('2024-03-01T10:00:00Z')).toBe(Date.UTC(2024, 2, 1, 10));
    expect(iso('2024-03-01T11:30:00+01:00')).toBe(Date.UTC(2024, 2, 1, 10, 30));
    expect(iso('2024-03-02T09:15:00-0500')).toBe(Date.UTC(2024, 2, 2, 14, 15));
    expect(iso('2024-03-01T10:45:00.250Z')).toBe(Date.UTC(2024, 2, 1, 10, 45, 0, 250));
    expect(iso('2024-03-02T14:15:00.5Z')).toBe(Date.UTC(2024, 2, 2, 14, 15, 0, 500));
    expect(iso('2024-03-01T10:00:00.123456Z')).toBe(Date.UTC(2024, 2, 1, 10, 0, 0, 123));
    expect(iso('2024-03-01 10:00')).toBe(Date.UTC(2024, 2, 1, 10));
    expect(iso('2024-03-01')).toBe(Date.UTC(2024, 2, 1));
  });

  it('reads day/month/year and month/day/year as told', () => {
    expect(parseDateTime('31/01/2024 13:45:07', 'dmy')).toBe(Date.UTC(2024, 0, 31, 13, 45, 7));
    expect(parseDateTime('01/31/2024 13:45', 'mdy')).toBe(Date.UTC(2024, 0, 31, 13, 45));
    expect(parseDateTime('2024/01/31 13:45:07', 'ymd')).toBe(Date.UTC(2024, 0, 31, 13, 45, 7));
    expect(parseDateTime('31.01.2024', 'dmy')).toBe(Date.UTC(2024, 0, 31));
  });

  it('rejects impossible or malformed dates', () => {
    const iso = timestampParser('iso-8601');
    for (const bad of [
      '2024-02-30',
      '2023-02-29',
      '2024-13-01',
      '2024-01-01T25:00:00Z',
      '2024-01-01T10:61Z',
      '2024-01-01T10:00:00Zjunk',
      '24-01-01',
      'yesterday',
      '',
      '2024-01/01',
    ]) {
      expect(iso(bad), bad).toBeNaN();
    }
    expect(parseDateTime('2024-02-29', 'ymd')).toBe(Date.UTC(2024, 1, 29));
    expect(parseDateTime('31/01/2024', 'mdy')).toBeNaN();
  });
});

describe('timestamp format detection', () => {
  it('tells epoch seconds from milliseconds by magnitude', () => {
    expect(guessTimestampFormat(['874965758', '875071561'], true)?.format).toBe('epoch-s');
    expect(guessTimestampFormat(['1700000000000', '1700000005123'], true)?.format).toBe('epoch-ms');
  });

  it('needs 9-13 digit epochs when no header named the column', () => {
    expect(guessTimestampFormat(['1', '5', '3'], true)).toBeNull();
    expect(guessTimestampFormat(['1', '5', '3'], false)?.format).toBe('epoch-s');
  });

  it('recognises ISO (with T or a zone) and zone-less year-month-day', () => {
    expect(guessTimestampFormat(['2024-03-01T10:00:00Z'], true)).toEqual({
      format: 'iso-8601',
      ambiguous: false,
      zoneless: false,
    });
    expect(guessTimestampFormat(['2024-03-01 10:00:00'], true)).toEqual({
      format: 'ymd-datetime',
      ambiguous: false,
      zoneless: true,
    });
  });

  it('decides day/month order by a part above 12, and says when it cannot', () => {
    expect(guessTimestampFormat(['03/04/2024', '25/04/2024'], true)?.format).toBe('dmy-datetime');
    expect(guessTimestampFormat(['03/04/2024', '04/25/2024'], true)?.format).toBe('mdy-datetime');
    expect(guessTimestampFormat(['03/04/2024', '05/06/2024'], true)).toEqual({
      format: 'mdy-datetime',
      ambiguous: true,
      zoneless: true,
    });
  });

  it('returns null for text that is not time', () => {
    expect(guessTimestampFormat(['view', 'click'], false)).toBeNull();
    expect(guessTimestampFormat([], false)).toBeNull();
  });
});
