/**
 * What the values of one column look like, for assigning roles to headerless columns.
 */
import { guessTimestampFormat, parsePlainNumber, type TimestampGuess } from './timestamps';

export interface ColumnProfile {
  index: number;
  /** Share of rows where the value is non-empty. */
  filled: number;
  /** Share of non-empty values that are plain numbers. */
  numeric: number;
  /** Share of non-empty values that are numbers with a fractional part. */
  fractional: number;
  distinct: number;
  maxAbs: number;
  /** Share of non-empty values with a space inside. */
  spaced: number;
  /** Share of non-empty values holding `|` or `;` (multi-valued lists). */
  listed: number;
  /** Share of non-empty values that are 0 or 1. */
  binary: number;
  /** Timestamp format the values fit when read strictly (9-13 digit epochs), or null. */
  time: TimestampGuess | null;
}

export function profileColumn(rows: string[][], index: number): ColumnProfile {
  const values: string[] = [];
  for (const row of rows) {
    const v = (row[index] ?? '').trim();
    if (v !== '') values.push(v);
  }
  const n = Math.max(1, values.length);
  let numeric = 0;
  let fractional = 0;
  let maxAbs = 0;
  let spaced = 0;
  let listed = 0;
  let binary = 0;
  for (const v of values) {
    const num = parsePlainNumber(v);
    if (!Number.isNaN(num)) {
      numeric++;
      if (v.includes('.')) fractional++;
      maxAbs = Math.max(maxAbs, Math.abs(num));
    }
    if (v.includes(' ')) spaced++;
    if (v.includes('|') || v.includes(';')) listed++;
    if (v === '0' || v === '1') binary++;
  }
  return {
    index,
    filled: rows.length === 0 ? 0 : values.length / rows.length,
    numeric: numeric / n,
    fractional: fractional / n,
    distinct: new Set(values).size,
    maxAbs,
    spaced: spaced / n,
    listed: listed / n,
    binary: values.length === 0 ? 0 : binary / n,
    time: values.length === 0 ? null : guessTimestampFormat(values, true),
  };
}

/** Could hold ids: filled, not fractional numbers, not date strings, mostly without spaces. */
export function isIdLike(p: ColumnProfile): boolean {
  const dateString = p.time !== null && p.numeric < 0.9;
  return p.filled >= 0.8 && p.fractional < 0.1 && !dateString && p.spaced < 0.5;
}

/** Few distinct words such as view / click / cart / buy. */
export function isActionLike(p: ColumnProfile, rows: number): boolean {
  return (
    p.filled >= 0.9 &&
    p.numeric < 0.1 &&
    p.spaced < 0.2 &&
    p.listed < 0.1 &&
    p.distinct <= Math.max(3, Math.min(20, Math.floor(rows / 2)))
  );
}

/** A rating or weight: numeric with few distinct small values, or with fractions. */
export function isValueLike(p: ColumnProfile): boolean {
  return (
    p.filled >= 0.5 &&
    p.numeric >= 0.9 &&
    ((p.distinct <= 11 && p.maxAbs <= 100) || p.fractional >= 0.5)
  );
}

export function isCategoryListLike(p: ColumnProfile): boolean {
  return p.numeric < 0.1 && p.listed >= 0.3;
}

export function isTitleLike(p: ColumnProfile): boolean {
  return p.numeric < 0.1 && p.spaced >= 0.5;
}
