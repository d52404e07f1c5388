/**
 * What interaction ingest and item metadata ingest share around streaming a table file once
 * its layout is known: the stream's options, and the notice for a file re-read as
 * Windows-1252 when it proves not to be UTF-8 past the detection sample.
 */
import type { TableLayout } from './detect';
import type { IngestHooks } from './ingest';
import type { InvalidUtf8Error, RecordStreamOptions } from './recordStream';
import type { Delimiter, EncodingName, Notice } from './types';

/**
 * Streams with the chosen delimiter and encoding, the newline and byte order mark the sample
 * showed, and the caller's slice size and cancel signal; `onSlice` reports the bytes read.
 */
export function tableStreamOptions(
  chosen: { delimiter: Delimiter; encoding: EncodingName },
  layout: TableLayout,
  hooks: IngestHooks,
  onSlice: (bytesRead: number) => void,
): RecordStreamOptions {
  return {
    delimiter: chosen.delimiter,
    newline: layout.sample.newline,
    encoding: chosen.encoding,
    bom: layout.sample.bom,
    sliceBytes: hooks.sliceBytes,
    signal: hooks.signal,
    onSlice,
  };
}

/** Tells the user where the file stopped being UTF-8 and that it was read as Latin-1 instead. */
export function windows1252FallbackNotice(error: InvalidUtf8Error): Notice {
  return {
    level: 'warning',
    code: 'encoding-fallback',
    message: `The file is not valid UTF-8 (first invalid byte at offset ${error.byteOffset}, line ${error.line}), so it was read as Windows-1252 (Latin-1).`,
  };
}
