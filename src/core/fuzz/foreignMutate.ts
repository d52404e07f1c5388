/**
 * Helpers the foreign fuzz's mutations share (./foreignTfjsJson.ts, ./foreignTfjsFiles.ts,
 * ./foreignIdLists.ts, ./foreignFactor.ts): JSON written with raw tokens (`NaN`, `1e999`) and
 * deeply nested values, own `__proto__` keys, junk text, byte flips and insertions.
 */
import type { SeededRandom } from '../random';
import { concatBytes, DEEP, deepJson, type Json, randomText } from './generators';

const encoder = new TextEncoder();

const decoder = new TextDecoder();

export const utf8 = (text: string) => encoder.encode(text);

export const textOf = (bytes: Uint8Array) => decoder.decode(bytes);

/** Placeholder for a raw JSON token (`NaN`, `Infinity`, `1e999`) written after stringify. */
export const literal = (token: string) => `\u0000lit:${token}\u0000`;

/** JSON text of `json`, with the deep-nesting and literal placeholders written out. */
export function serialise(json: Json, rng: SeededRandom, pretty = false): string {
  let text = JSON.stringify(json, null, pretty ? 2 : undefined) ?? 'null';
  if (text.includes(JSON.stringify(DEEP))) {
    text = text.replaceAll(JSON.stringify(DEEP), () => deepJson(rng));
  }
  return text.replace(/"\\u0000lit:([^"\\]*)\\u0000"/g, '$1');
}

export const asObject = (value: Json): Json | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;

export const objectsIn = (list: Json): Json[] =>
  Array.isArray(list) ? list.filter((x) => asObject(x) !== null) : [];

/** Sets `key` on `target` as an own enumerable property (`__proto__` included). */
export function defineKey(target: Json, key: string, value: Json): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    configurable: true,
    writable: true,
  });
}

/** Random text without sentence breaks (". X"), so refusals quoting it stay one sentence. */
export function junkText(rng: SeededRandom, length: number): string {
  return randomText(rng, length).replace(/[.!?](?=\s)/g, ',');
}

export function flipBytes(
  bytes: Uint8Array,
  rng: SeededRandom,
  count: number,
  from = 0,
): Uint8Array {
  const out = bytes.slice();
  if (out.length === 0) return out;
  const start = Math.min(from, out.length - 1);
  for (let n = 0; n < count; n++) out[rng.int(start, out.length - 1)] = rng.int(0, 255);
  return out;
}

/** Inserts `insert` at one random position. */
export function insertBytes(bytes: Uint8Array, rng: SeededRandom, insert: Uint8Array): Uint8Array {
  const at = rng.int(0, bytes.length);
  return concatBytes([bytes.subarray(0, at), insert, bytes.subarray(at)]);
}

/** Bytes of a float32 value, little-endian. */
export function float32Bytes(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setFloat32(0, value, true);
  return out;
}

/** A case's kind: its mutations joined with `+`, or `unmutated`. */
export const caseKind = (kinds: readonly string[]) =>
  kinds.length > 0 ? kinds.join('+') : 'unmutated';
