/**
 * Byte-level facts about a file, read from its first megabyte: encoding, byte order mark,
 * line ending, and whether it is text at all. Shared by interaction and item-metadata loading.
 */
import { type ByteSource, type EncodingName, IngestError } from './types';

/** How much of a file detection looks at. */
export const SAMPLE_BYTES = 1 << 20;

export type Newline = '\n' | '\r\n' | '\r';

export interface TextSample {
  /** Decoded text of the first bytes, cut after the last line ending unless `complete`. */
  text: string;
  encoding: EncodingName;
  bom: boolean;
  newline: Newline;
  /** The sample is the whole file. */
  complete: boolean;
  /** Byte offset of the first byte that is not UTF-8 in the sample, when it fell back. */
  invalidUtf8At: number | null;
  /** Its 1-based line. */
  invalidUtf8Line: number | null;
}

/** What a file was expected to be, for the one-sentence error when it is not. */
export type Expectation = 'interactions' | 'items';

const EXPECTED: Record<Expectation, string> = {
  interactions: 'expected delimited text with at least a user column and an item column',
  items: 'expected delimited text with an item id column',
};
const WHAT: Record<Expectation, string> = {
  interactions: 'a table of user behaviour',
  items: 'item metadata',
};

/** Byte offset of the first byte that breaks UTF-8, or -1. An incomplete tail is invalid only when `final`. */
export function findInvalidUtf8(bytes: Uint8Array, start = 0, final = true): number {
  const n = bytes.length;
  let i = start;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + need >= n) {
      if (final) return i;
      // An incomplete sequence at the end of a slice may continue in the next one.
      for (let k = i + 1; k < n; k++) if ((bytes[k] & 0xc0) !== 0x80) return i;
      return -1;
    }
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Whether the bytes start with the UTF-8 byte order mark. */
export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** Throws the one-sentence error for bytes that are not a text table at all. */
export function assertText(
  bytes: Uint8Array,
  fileSize: number,
  expectation: Expectation = 'interactions',
): void {
  const expected = EXPECTED[expectation];
  if (fileSize === 0) {
    throw new IngestError(`This file is empty: ${expected}.`, 'empty');
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new IngestError(
      `This file is UTF-16 text: ${expected} in UTF-8 or Windows-1252, so save it as UTF-8 CSV and load it again.`,
      'not-a-table',
    );
  }
  let control = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0) {
      throw new IngestError(
        `This file does not look like ${WHAT[expectation]}: ${expected}, but found binary data${binaryHint(bytes, expectation)}.`,
        'binary',
      );
    }
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  }
  if (control > 8 && control > bytes.length / 100) {
    throw new IngestError(
      `This file does not look like ${WHAT[expectation]}: ${expected}, but found binary data${binaryHint(bytes, expectation)}.`,
      'binary',
    );
  }
}

function binaryHint(bytes: Uint8Array, expectation: Expectation): string {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return ' (a ZIP archive, such as an Excel workbook)';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return ' (a gzip archive: unpack it first)';
  if (bytes[0] === 0x50 && bytes[1] === 0x41 && bytes[2] === 0x52 && bytes[3] === 0x31) {
    // Interaction files are told apart before this; item metadata is read from text only.
    return expectation === 'items'
      ? ' (a Parquet file: item metadata is read from delimited text only, so export it as CSV)'
      : ' (a Parquet file)';
  }
  return '';
}

/** The line ending most records use; `\r\n` wins over `\n` when at least half the lines use it. */
export function detectNewline(text: string): Newline {
  let lf = 0;
  let cr = 0;
  let crlf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    lf++;
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
  }
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) cr++;
  if (crlf > 0 && crlf >= lf - crlf) return '\r\n';
  if (lf > 0) return '\n';
  if (cr > 0) return '\r';
  return '\n';
}

/**
 * Reads and decodes the first megabyte. With no encoding given, UTF-8 is tried strictly and
 * Windows-1252 (a superset of Latin-1 in practice) is the fallback, as for MovieLens files.
 */
export async function readSample(
  source: ByteSource,
  encoding?: EncodingName,
  expectation: Expectation = 'interactions',
): Promise<TextSample> {
  const bytes = await source.read(0, Math.min(source.size, SAMPLE_BYTES));
  assertText(bytes, source.size, expectation);
  const complete = bytes.length >= source.size;
  const bom = hasUtf8Bom(bytes);
  const body = bom ? bytes.subarray(3) : bytes;
  let chosen: EncodingName = encoding ?? 'utf-8';
  let invalidUtf8At: number | null = null;
  let invalidUtf8Line: number | null = null;
  let text: string;
  if (chosen === 'utf-8') {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body, {
        stream: !complete,
      });
    } catch {
      const at = Math.max(0, findInvalidUtf8(body, 0, complete));
      invalidUtf8At = at + (bom ? 3 : 0);
      invalidUtf8Line = lineOfByte(
        body,
        at,
        detectNewline(new TextDecoder('windows-1252').decode(body)),
      );
      chosen = 'windows-1252';
      text = new TextDecoder('windows-1252').decode(body);
    }
  } else {
    text = new TextDecoder('windows-1252').decode(body);
  }
  const newline = detectNewline(text);
  if (!complete) {
    const cut = text.lastIndexOf(newline);
    if (cut > 0) text = text.slice(0, cut + newline.length);
  }
  if (text.trim() === '') {
    throw new IngestError(
      `This file has no data, only blank lines: ${EXPECTED[expectation]}.`,
      'empty',
    );
  }
  return { text, encoding: chosen, bom, newline, complete, invalidUtf8At, invalidUtf8Line };
}

/** 1-based line of a byte offset, counting `\n` (or `\r` for old Mac files) before it. */
export function lineOfByte(bytes: Uint8Array, offset: number, newline: Newline): number {
  const nl = newline === '\r' ? 13 : 10;
  let line = 1;
  const end = Math.min(offset, bytes.length);
  for (let i = 0; i < end; i++) if (bytes[i] === nl) line++;
  return line;
}
