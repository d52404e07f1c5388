/**
 * Parquet values as the text a CSV export of the same table would hold, so that one row
 * validator reads both: null as an empty cell, BigInt ids as their decimal digits, numbers in
 * plain decimal notation (never `1e-7`), times as epoch milliseconds (see PARSERS in
 * parquetPages.ts), lists joined by `|` (a multi-valued category cell), structs as JSON.
 */

const decoder = new TextDecoder('utf-8');

/** A number in plain decimal notation with the shortest digits that read back to it. */
export function plainDecimal(n: number): string {
  const s = String(n);
  const e = s.indexOf('e');
  if (e < 0) return s; // NaN, Infinity and ordinary numbers
  const negative = s.charCodeAt(0) === 45;
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exponent = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const point = (dot < 0 ? mantissa.length : dot) + exponent; // digits before the point
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return decoder.decode(value);
  return value;
}

/** The cell text of one decoded Parquet value. */
export function cellText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return plainDecimal(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return '';
    case 'object': {
      if (value === null) return '';
      if (value instanceof Date) return String(value.getTime());
      if (value instanceof Uint8Array) return decoder.decode(value);
      if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
        return cellText(Array.from(value as unknown as ArrayLike<unknown>));
      }
      if (Array.isArray(value)) {
        const parts: string[] = [];
        for (const element of value) {
          const text = cellText(element);
          if (text !== '') parts.push(text);
        }
        return parts.join('|');
      }
      try {
        return JSON.stringify(value, jsonReplacer) ?? '';
      } catch {
        return String(value);
      }
    }
    default:
      return String(value);
  }
}
