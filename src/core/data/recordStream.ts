/**
 * Streams a file as batches of parsed records with their physical line numbers. Bytes are read
 * in slices and decoded by one streaming TextDecoder (so a character split across slices is
 * exact); each decoded piece is cut after its last complete record and parsed by Papa Parse's
 * string parser (or, for records with stray quotes, by parseRecordText, which reads them the
 * same way without an error object per quote). Papa's own file streamers are not used: they
 * split UTF-8 at chunk edges and guess the line ending from the first chunk.
 */
import Papa from 'papaparse';
import { type ParsedRecords, parseRecordText } from './recordParser';
import { RecordBoundaryScanner, VisitMarks } from './recordScanner';
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
  /** Filled in with how much work the stream took (tests hold it to linear time). */
  stats?: RecordStreamStats;
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

/** Counters a caller (a test, a benchmark) can pass to see how much work a stream took. */
export interface RecordStreamStats {
  /** Characters the record boundary scanner examined. */
  scanned: number;
  /** Characters handed to the parser. */
  parsed: number;
  /** Times the stream gave up on a quote that never closes and read on from the next line. */
  restarts: number;
}

/**
 * Reads the whole source and hands each batch of complete records to `onBatch`, in file order.
 * Linear time on every input, and a cancel is noticed within one slice's worth of work: while
 * reading, after each slice; once a quote that never closes has been found at the end, every
 * `sliceBytes` characters of the recovery (which reads on from the line after each such quote).
 */
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
  const stats = options.stats ?? { scanned: 0, parsed: 0, restarts: 0 };
  const start = options.bom ? 3 : 0;
  const out = new BatchBuilder(onBatch);
  let nextLine = 1;
  let buffer = '';
  let sinceYield = 0;

  let straysParsed = 0;
  /** Papa for ordinary text; the same reading without Papa where it has stray quotes. */
  const parse = (text: string, ownParser: boolean): ParsedRecords => {
    stats.parsed += text.length;
    if (ownParser) return parseRecordText(text, delimiter, newline);
    const parsed = Papa.parse<string[]>(text, parseConfig);
    let missingQuotesRow = -1;
    for (const error of parsed.errors) {
      if (error.code === 'MissingQuotes' && error.row !== undefined) missingQuotesRow = error.row;
    }
    return { rows: parsed.data, missingQuotesRow };
  };

  /**
   * Parses `text` (complete records, or the file's last record when `endsWithoutNewline`) and
   * queues its rows. Records with stray quotes go to {@link parseRecordText}, as does `own` text.
   */
  const emit = (text: string, multiline: boolean, endsWithoutNewline: boolean, own = false) => {
    const strays = scanner.strayQuotes(!endsWithoutNewline);
    // Papa would drop a U+FEFF that starts the text (it takes it for a byte order mark).
    const ownParser = own || strays > straysParsed || text.charCodeAt(0) === 0xfeff;
    const { rows, missingQuotesRow } = parse(text, ownParser);
    straysParsed = Math.max(straysParsed, strays);
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
    for (let r = 0; r < rows.length; r++) {
      const span = multiline ? 1 + countNewlines(rows[r], newline) : 1;
      out.push(rows[r], nextLine, span, r === missingQuotesRow);
      nextLine += span;
    }
    if (endsWithoutNewline) out.endsWithoutNewline = true;
  };

  const take = (count: number, multiline: boolean) => {
    emit(buffer.slice(0, count), multiline, false);
    buffer = buffer.slice(count);
    scanner.consumed(count);
  };

  for (let offset = start; offset < source.size; ) {
    throwIfCancelled(signal);
    // While a record longer than a slice is pending, read as much again as is pending: each
    // append copies the pending text (V8 flattens the concatenation at the next search), so
    // fixed slices made a long record cost time quadratic in its length (a 160 MB field took
    // 10 s, 200 KB in 1-byte slices 22 s); growing reads keep it linear.
    const end = Math.min(source.size, offset + Math.max(sliceBytes, buffer.length));
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
    stats.scanned = scanner.work;
    if (complete > 0) take(complete, multiline);
    out.flush();
    options.onSlice?.(offset);
  }
  try {
    buffer += decoder.decode();
  } catch {
    const from = Math.max(start, source.size - 3);
    throw await locateInvalidUtf8(source, start, from, source.size, nextLine, buffer, newline);
  }

  // The rest of the file is in `buffer`. From here on nothing is consumed: positions are
  // offsets into `buffer`, and `base` is where the text not yet handed on starts.
  const chunk = Math.min(sliceBytes, YIELD_EVERY_BYTES);
  let checked = scanner.work + stats.parsed;
  const checkpoint = async (force: boolean) => {
    const work = scanner.work + stats.parsed;
    stats.scanned = scanner.work;
    if (!force && work - checked < chunk) return;
    out.flush();
    sinceYield += work - checked;
    checked = work;
    if (sinceYield >= YIELD_EVERY_BYTES) {
      sinceYield = 0;
      await yieldToEventLoop();
    }
    throwIfCancelled(signal);
  };
  let base = 0;
  /** Scans on to the end, handing on complete records each `chunk` of work. */
  const scanToEnd = async () => {
    for (;;) {
      const result = scanner.scan(buffer, true, chunk);
      if (!result.paused) return result;
      if (result.complete > base) {
        emit(buffer.slice(base, result.complete), result.multiline, false);
        base = result.complete;
        scanner.recordsTaken();
      }
      await checkpoint(true);
    }
  };

  let marks: VisitMarks | null = null;
  let result = await scanToEnd();
  for (;;) {
    if (result.complete > base) {
      emit(buffer.slice(base, result.complete), result.multiline, false);
      base = result.complete;
    }
    if (base === buffer.length) break;
    if (!scanner.insideQuotes) {
      emit(buffer.slice(base), true, true);
      break;
    }
    // A quoted field never closes: reject the line it opens on, and read on from the next line
    // rather than swallowing the rest of the file into one field.
    const at = buffer.indexOf(newline, base);
    if (at === -1) {
      emit(buffer.slice(base), false, true, true);
      break;
    }
    emit(buffer.slice(base, at), false, false, true);
    base = at + newline.length;
    stats.restarts++;
    if (marks === null) {
      marks = new VisitMarks(buffer.length + 1);
      scanner.track(marks);
    }
    scanner.restartAt(base);
    await checkpoint(false);
    result = await scanToEnd();
  }
  stats.scanned = scanner.work;
  out.flush();
}

/** Collects records and hands them on as one batch. */
class BatchBuilder {
  private rows: string[][] = [];
  private lines: number[] = [];
  private spans: number[] = [];
  private unterminated: number[] = [];
  /** The last record pushed is the file's last and has no line ending after it. */
  endsWithoutNewline = false;

  constructor(private readonly onBatch: (batch: RecordBatch) => void) {}

  push(row: string[], line: number, span: number, unterminated: boolean): void {
    if (unterminated) this.unterminated.push(this.rows.length);
    this.rows.push(row);
    this.lines.push(line);
    this.spans.push(span);
  }

  flush(): void {
    if (this.rows.length === 0) return;
    const unterminated = new Uint8Array(this.rows.length);
    for (const r of this.unterminated) unterminated[r] = 1;
    const batch: RecordBatch = {
      rows: this.rows,
      lines: Int32Array.from(this.lines),
      spans: Int32Array.from(this.spans),
      unterminated,
      endsWithoutNewline: this.endsWithoutNewline,
    };
    this.rows = [];
    this.lines = [];
    this.spans = [];
    this.unterminated = [];
    this.endsWithoutNewline = false;
    this.onBatch(batch);
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
