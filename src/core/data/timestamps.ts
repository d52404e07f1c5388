/**
 * Timestamp formats: detection from sample values and fast parsing (char codes and Date.UTC,
 * never Date.parse, whose reading of zone-less strings depends on the browser).
 * Strings without a zone are read as UTC.
 */
import type { TimestampFormat } from './types';

/** Epoch seconds below this are seconds; at or above, milliseconds (1e11 s is the year 5138). */
const EPOCH_SECONDS_LIMIT = 1e11;
const EPOCH_MS_LIMIT = 1e14;

export type DateOrder = 'ymd' | 'dmy' | 'mdy';

/** Parses a timestamp in the given format to epoch milliseconds; NaN when it does not fit. */
export type TimestampParser = (text: string) => number;

export function timestampParser(format: TimestampFormat): TimestampParser {
  switch (format) {
    case 'epoch-s':
      return parseEpochSeconds;
    case 'epoch-ms':
      return parseEpochMillis;
    case 'iso-8601':
    case 'ymd-datetime':
      return (text) => parseDateTime(text, 'ymd');
    case 'dmy-datetime':
      return (text) => parseDateTime(text, 'dmy');
    case 'mdy-datetime':
      return (text) => parseDateTime(text, 'mdy');
    case 'none':
      return () => Number.NaN;
  }
}

/** A plain decimal number (optionally signed, optionally with a fraction), else NaN. */
export function parsePlainNumber(text: string): number {
  const s = text.trim();
  const n = s.length;
  if (n === 0) return Number.NaN;
  const first = s.charCodeAt(0);
  let i = first === 45 || first === 43 ? 1 : 0;
  let digits = 0;
  let dot = false;
  // Whole numbers up to 15 digits are summed exactly here; anything else goes to Number().
  let whole = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      whole = whole * 10 + (c - 48);
    } else if (c === 46 && !dot) dot = true;
    else return Number.NaN;
  }
  if (digits === 0) return Number.NaN;
  if (dot || digits > 15) return Number(s);
  return first === 45 ? -whole : whole;
}

export function parseEpochSeconds(text: string): number {
  const v = parsePlainNumber(text);
  return v > -EPOCH_SECONDS_LIMIT && v < EPOCH_SECONDS_LIMIT ? Math.round(v * 1000) : Number.NaN;
}

/**
 * Epoch milliseconds from 1e11 (March 1973) up; below that a number is taken for seconds in a
 * milliseconds column, except 0, which is 1 January 1970 in either unit and is read as such
 * (and reported as suspicious), as in a seconds column.
 */
export function parseEpochMillis(text: string): number {
  const v = parsePlainNumber(text);
  if (v === 0) return 0;
  return v >= EPOCH_SECONDS_LIMIT && v < EPOCH_MS_LIMIT ? v : Number.NaN;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Reads `date[(T| )time][zone]` where date is y-m-d, d/m/y or m/d/y (separators `-`, `/`, `.`;
 * four-digit years), time is `HH:MM[:SS[.fff]]` and zone is `Z` or `±HH[:MM]`. No zone = UTC.
 */
export function parseDateTime(text: string, order: DateOrder): number {
  const s = text;
  const n = s.length;
  let i = 0;
  while (i < n && s.charCodeAt(i) <= 32) i++;
  const parts = [0, 0, 0];
  const widths = [0, 0, 0];
  let sep = -1;
  for (let p = 0; p < 3; p++) {
    if (p > 0) {
      const c = s.charCodeAt(i);
      if (p === 1) {
        if (c !== 45 && c !== 47 && c !== 46) return Number.NaN;
        sep = c;
      } else if (c !== sep) return Number.NaN;
      i++;
    }
    const from = i;
    let v = 0;
    while (i < n && i - from < 4) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      i++;
    }
    widths[p] = i - from;
    if (widths[p] === 0) return Number.NaN;
    parts[p] = v;
  }
  let year: number;
  let month: number;
  let day: number;
  if (order === 'ymd') {
    if (widths[0] !== 4 || widths[1] > 2 || widths[2] > 2) return Number.NaN;
    [year, month, day] = parts;
  } else {
    if (widths[2] !== 4 || widths[0] > 2 || widths[1] > 2) return Number.NaN;
    year = parts[2];
    month = order === 'dmy' ? parts[1] : parts[0];
    day = order === 'dmy' ? parts[0] : parts[1];
  }
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return Number.NaN;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) {
    return Number.NaN;
  }
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let offsetMinutes = 0;
  if (i < n && (s.charCodeAt(i) === 84 || s.charCodeAt(i) === 116 || s.charCodeAt(i) === 32)) {
    i++;
    const h = twoDigits(s, i);
    if (h < 0 || s.charCodeAt(i + 2) !== 58) return Number.NaN;
    const m = twoDigits(s, i + 3);
    if (m < 0) return Number.NaN;
    hour = h;
    minute = m;
    i += 5;
    if (s.charCodeAt(i) === 58) {
      const sec = twoDigits(s, i + 1);
      if (sec < 0) return Number.NaN;
      second = sec;
      i += 3;
      if (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44) {
        i++;
        let scale = 100;
        const from = i;
        while (i < n) {
          const c = s.charCodeAt(i);
          if (c < 48 || c > 57) break;
          millis += (c - 48) * scale;
          scale /= 10;
          i++;
        }
        if (i === from) return Number.NaN;
        millis = Math.floor(millis);
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return Number.NaN;
    if (second === 60) second = 59;
    const c = s.charCodeAt(i);
    if (c === 90 || c === 122) {
      i++;
    } else if (c === 43 || c === 45) {
      const oh = twoDigits(s, i + 1);
      if (oh < 0) return Number.NaN;
      i += 3;
      let om = 0;
      if (s.charCodeAt(i) === 58) i++;
      if (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) {
        om = twoDigits(s, i);
        if (om < 0) return Number.NaN;
        i += 2;
      }
      if (oh > 14 || om > 59) return Number.NaN;
      offsetMinutes = (c === 45 ? -1 : 1) * (oh * 60 + om);
    }
  }
  while (i < n && s.charCodeAt(i) <= 32) i++; // trailing spaces, tabs, a stray \r
  if (i !== n) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (!(a >= 0 && a <= 9 && b >= 0 && b <= 9)) return -1;
  return a * 10 + b;
}

export interface TimestampGuess {
  format: Exclude<TimestampFormat, 'none'>;
  /** Day/month order could not be told apart in the sample (month/day assumed). */
  ambiguous: boolean;
  /** Some values carry no zone and are read as UTC. */
  zoneless: boolean;
}

const HAS_ZONE = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)\s*$/;
const HAS_TIME = /\d[T ]\d{2}:\d{2}/;

/**
 * The format at least `minShare` of the non-empty samples share, or null. With `strictEpoch`
 * (no header told us this is a time column) epoch numbers must have 9 to 13 digits. A column
 * named as time by its header needs only a majority: the rest are reported as bad rows.
 */
export function guessTimestampFormat(
  samples: string[],
  strictEpoch: boolean,
  minShare = 0.9,
): TimestampGuess | null {
  const values = samples.map((v) => v.trim()).filter((v) => v.length > 0);
  if (values.length === 0) return null;
  const need = Math.max(1, Math.ceil(values.length * minShare));
  const count = (ok: (v: string) => boolean) => values.filter(ok).length;

  const epochLike = (v: string) => {
    const num = parsePlainNumber(v);
    if (Number.isNaN(num)) return false;
    if (!strictEpoch) return true;
    const digits = v.replace(/^[-+]/, '').split('.')[0].length;
    return digits >= 9 && digits <= 13;
  };
  if (count(epochLike) >= need) {
    const max = values
      .filter(epochLike)
      .reduce((m, v) => Math.max(m, Math.abs(parsePlainNumber(v))), Number.NEGATIVE_INFINITY);
    const format = max < EPOCH_SECONDS_LIMIT ? 'epoch-s' : 'epoch-ms';
    return { format, ambiguous: false, zoneless: false };
  }
  const parsesAs = (order: DateOrder) => (v: string) => !Number.isNaN(parseDateTime(v, order));
  const zoneless = values.some((v) => !(HAS_TIME.test(v) && HAS_ZONE.test(v)));
  const ymd = values.filter(parsesAs('ymd'));
  if (ymd.length >= need) {
    const iso = ymd.some((v) => /\d[Tt]\d/.test(v) || (HAS_TIME.test(v) && HAS_ZONE.test(v)));
    return { format: iso ? 'iso-8601' : 'ymd-datetime', ambiguous: false, zoneless };
  }
  const dmy = count(parsesAs('dmy'));
  const mdy = count(parsesAs('mdy'));
  if (dmy < need && mdy < need) return null;
  // A first part above 12 somewhere means day first; a second part above 12, month first.
  if (dmy > mdy) return { format: 'dmy-datetime', ambiguous: false, zoneless };
  if (mdy > dmy) return { format: 'mdy-datetime', ambiguous: false, zoneless };
  return { format: 'mdy-datetime', ambiguous: true, zoneless };
}
