/**
 * Streams a file as batches of parsed records with their physical line numbers. Bytes are read
 * in slices and decoded by one streaming TextDecoder (so a character split across slices is
 * exact); each decoded piece is cut after its last complete record and parsed by Papa Parse's
 * string parser. Papa's own file streamers are not used: they split UTF-8 at chunk edges and
 * guess the line ending from the first chunk.
 */
import Papa from 'papaparse';
import { RecordBoundaryScanner } from './recordScanner';
import { findInvalidUtf8, lineOfByte, type Newline } from './text';
import { type ByteSource, type Delimiter, type EncodingName, IngestError } from './types';

/** Default slice size: large enough to amortise each read, small enough to cancel promptly. */
export const SLICE_BYTES = 4 << 20;

export interface RecordStreamOptions {
  delimiter: Delimiter;
  newline: Newline;
  encoding: EncodingName;
  /** Skip a UTF-8 byte order mark at the start. */
  bom: boolean;
  sliceBytes?: number;
  signal?: AbortSignal;
  /** Called after each slice with the bytes read so far. */
  onSlice?: (bytesRead: number) => void;
}

export interface RecordBatch {
  rows: string[][];
  /** 1-based physical line where each row starts. */
  lines: Int32Array;
  /** Physical lines each row covers (more than one when a quoted field holds line endings). */
  spans: Int32Array;
  /** Per row: 1 when a quoted field in it never closes (Papa's MissingQuotes). */
  unterminated: Uint8Array;
  /** The batch's last row is the file's last record and has no line ending after it. */
  endsWithoutNewline: boolean;
}

/** Thrown by the UTF-8 decoder on the first invalid byte; the caller restarts as Windows-1252. */
export class InvalidUtf8Error extends Error {
  constructor(
    readonly byteOffset: number,
    readonly line: number,
  ) {
    super(`Invalid UTF-8 at byte ${byteOffset} (line ${line}).`);
    this.name = 'InvalidUtf8Error';
  }
}

/** The error every cancelled load rejects with. */
export function cancelledError(): IngestError {
  return new IngestError('Loading was cancelled.', 'cancelled');
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

/** Lets the worker's event loop run (a cancel message is a macrotask). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

const YIELD_EVERY_BYTES = 1 << 20;

/** Reads the whole source and hands each batch of complete records to `onBatch`, in file order. */
export async function streamRecords(
  source: ByteSource,
  options: RecordStreamOptions,
  onBatch: (batch: RecordBatch) => void,
): Promise<void> {
  const { delimiter, newline, encoding, signal } = options;
  const sliceBytes = Math.max(1, options.sliceBytes ?? SLICE_BYTES);
  const fatal = encoding === 'utf-8';
  const decoder = new TextDecoder(encoding, { fatal, ignoreBOM: true });
  const scanner = new RecordBoundaryScanner(delimiter, newline);
  const parseConfig = { delimiter, newline, quoteChar: '"', header: false, skipEmptyLines: false };
  const start = options.bom ? 3 : 0;
  let nextLine = 1;
  let buffer = '';
  let sinceYield = 0;

  const emit = (text: string, multiline: boolean, endsWithoutNewline: boolean) => {
    const parsed = Papa.parse<string[]>(text, parseConfig);
    const rows = parsed.data;
    let missingQuotesRow = -1;
    for (const error of parsed.errors) {
      if (error.code === 'MissingQuotes' && error.row !== undefined) missingQuotesRow = error.row;
    }
    const last = rows[rows.length - 1];
    if (
      !endsWithoutNewline &&
      last !== undefined &&
      last.length === 1 &&
      last[0] === '' &&
      missingQuotesRow !== rows.length - 1
    ) {
      rows.pop(); // Papa's empty "row" after the final line ending
    }
    const n = rows.length;
    const lines = new Int32Array(n);
    const spans = new Int32Array(n).fill(1);
    const unterminated = new Uint8Array(n);
    if (missingQuotesRow >= 0 && missingQuotesRow < n) unterminated[missingQuotesRow] = 1;
    for (let r = 0; r < n; r++) {
      lines[r] = nextLine;
      if (multiline) spans[r] = 1 + countNewlines(rows[r], newline);
      nextLine += spans[r];
    }
    onBatch({ rows, lines, spans, unterminated, endsWithoutNewline });
  };

  const take = (count: number, multiline: boolean) => {
    emit(buffer.slice(0, count), multiline, false);
    buffer = buffer.slice(count);
    scanner.consumed(count);
  };

  for (let offset = start; offset < source.size; ) {
    throwIfCancelled(signal);
    const end = Math.min(source.size, offset + sliceBytes);
    const bytes = await source.read(offset, end);
    sinceYield += bytes.length;
    if (sinceYield >= YIELD_EVERY_BYTES) {
      sinceYield = 0;
      await yieldToEventLoop();
    }
    throwIfCancelled(signal);
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      throw await locateInvalidUtf8(source, start, offset, end, nextLine, buffer, newline);
    }
    offset = end;
    buffer = buffer.length === 0 ? text : buffer + text;
    const { complete, multiline } = scanner.scan(buffer, false);
    if (complete > 0) take(complete, multiline);
    options.onSlice?.(offset);
  }
  try {
    buffer += decoder.decode();
  } catch {
    const from = Math.max(start, source.size - 3);
    throw await locateInvalidUtf8(source, start, from, source.size, nextLine, buffer, newline);
  }

  for (;;) {
    const { complete, multiline } = scanner.scan(buffer, true);
    if (complete > 0) take(complete, multiline);
    if (buffer.length === 0) break;
    if (!scanner.insideQuotes) {
      emit(buffer, true, true);
      break;
    }
    // A quoted field never closes: reject the line it opens on, and read on from the next line
    // rather than swallowing the rest of the file into one field.
    const at = buffer.indexOf(newline);
    if (at === -1) {
      emit(buffer, false, true);
      break;
    }
    emit(buffer.slice(0, at), false, false);
    buffer = buffer.slice(at + newline.length);
    scanner.restartAt(0);
  }
}

function countNewlines(fields: string[], newline: string): number {
  let count = 0;
  for (let f = 0; f < fields.length; f++) {
    const field = fields[f];
    for (let i = field.indexOf(newline); i !== -1; i = field.indexOf(newline, i + newline.length)) {
      count++;
    }
  }
  return count;
}

/** Finds the first invalid byte at or after `from` (looking back over a split sequence). */
async function locateInvalidUtf8(
  source: ByteSource,
  start: number,
  from: number,
  to: number,
  nextLine: number,
  pending: string,
  newline: Newline,
): Promise<InvalidUtf8Error> {
  const windowStart = Math.max(start, from - 3);
  const window = await source.read(windowStart, to);
  let skip = 0;
  while (skip < window.length && (window[skip] & 0xc0) === 0x80) skip++;
  const at = findInvalidUtf8(window, skip, to >= source.size);
  const byteOffset = windowStart + (at < 0 ? skip : at);
  let line = nextLine;
  for (let i = pending.indexOf(newline); i !== -1; i = pending.indexOf(newline, i + 1)) line++;
  const sliceStart = Math.max(from, windowStart);
  if (byteOffset > sliceStart) {
    line +=
      lineOfByte(window.subarray(sliceStart - windowStart), byteOffset - sliceStart, newline) - 1;
  }
  return new InvalidUtf8Error(byteOffset, line);
}
