/**
 * Streaming, validated, re-indexed ingest of an interaction file. Every data row ends up either
 * accepted (ids trimmed, nothing else changed) or rejected with a reason and its line number:
 * report.dataRows === report.accepted + report.rejected, always.
 */
import { detectFormat, noTimestampNotice, readTableLayout, type TableLayout } from './detect';
import { optionsFromDetection } from './detectedOptions';
import { InteractionCollector } from './interactionCollector';
import { type DuplicateRow, orderInteractions } from './orderInteractions';
import { InvalidUtf8Error, streamRecords, throwIfCancelled } from './recordStream';
import { RejectionLog } from './rejections';
import { validateRows } from './rowValidation';
import { findSuspiciousTimestamps, suspiciousTimestampNotice } from './suspicious';
import { tableStreamOptions, windows1252FallbackNotice } from './tableStream';
import {
  type ByteSource,
  type Dataset,
  type Detection,
  IngestError,
  type IngestProgress,
  type IngestReport,
  type Notice,
  type ParseOptions,
  type RejectedRow,
} from './types';

export interface IngestHooks {
  onProgress?: (p: IngestProgress) => void;
  signal?: AbortSignal;
  /** Bytes per read; tests use tiny slices to prove chunk boundaries do not matter. */
  sliceBytes?: number;
  /** Largest file accepted; default {@link MAX_INGEST_BYTES}. */
  maxBytes?: number;
  /** The current time (epoch ms), for what counts as a future timestamp; default now. */
  now?: number;
}

/**
 * The largest interaction file loaded by default: 1 GiB, about 40 million rows of a typical
 * log. Indexed rows cost ~28 bytes of typed arrays plus the id strings; far above this, a
 * browser tab runs out of memory part-way, so the file is refused up front with one sentence
 * saying what to do instead.
 */
export const MAX_INGEST_BYTES = 1024 * 1024 * 1024;

/** The one-sentence refusal for a file above the limit. */
export function tooLargeMessage(bytes: number, limit: number): string {
  const gib = (n: number) => `${(n / 1024 ** 3).toFixed(2)} GiB`;
  return (
    `This file is ${gib(bytes)}, above the ${gib(limit)} a browser tab can index ` +
    '(about 40 million rows): load a sample of the log instead, for example a subset of ' +
    'users (see "Scale beyond one browser" in the README).'
  );
}

export interface IngestResult {
  dataset: Dataset;
  report: IngestReport;
  detection: Detection;
  rejectedRows: RejectedRow[];
  rejectedRowsTruncated: number;
}

/**
 * Loads an interaction file. With `options` null the file is detected first; otherwise the
 * given options are followed exactly (after checking they fit the file). A file that turns out
 * not to be UTF-8 past the detection sample is re-read as Windows-1252, with a notice.
 */
export async function ingestInteractions(
  source: ByteSource,
  options: ParseOptions | null,
  hooks: IngestHooks = {},
): Promise<IngestResult> {
  throwIfCancelled(hooks.signal);
  const limit = hooks.maxBytes ?? MAX_INGEST_BYTES;
  if (source.size > limit) throw new IngestError(tooLargeMessage(source.size, limit), 'too-large');
  let detected: Detection | null = null;
  let chosen: ParseOptions;
  if (options === null) {
    detected = await detectFormat(source);
    chosen = optionsFromDetection(detected);
  } else {
    chosen = options;
  }
  const layout = await readTableLayout(source, {
    delimiter: chosen.delimiter,
    hasHeader: chosen.hasHeader,
    // Detected options: let the sample re-decide, so its fallback notice is reported.
    encoding: options === null ? undefined : chosen.encoding,
  });
  checkOptions(chosen, layout);
  const detection: Detection = detected ?? {
    delimiter: chosen.delimiter,
    hasHeader: chosen.hasHeader,
    encoding: layout.sample.encoding,
    bom: layout.sample.bom,
    columns: layout.columns,
    mapping: { ...chosen.mapping },
    timestampFormat: chosen.timestampFormat,
    notices: layout.notices,
  };
  const baseNotices = (detected?.notices ?? layout.notices).filter(
    (n) => n.code !== 'encoding-fallback' && n.code !== 'no-timestamp',
  );
  const fallback = layout.notices.find((n) => n.code === 'encoding-fallback');
  const encoding = fallback ? 'windows-1252' : chosen.encoding;
  try {
    return await runIngest(source, { ...chosen, encoding }, layout, detection, hooks, [
      ...baseNotices,
      ...(encoding === 'windows-1252' && fallback ? [fallback] : []),
    ]);
  } catch (error) {
    if (!(error instanceof InvalidUtf8Error)) throw error;
    const notice = windows1252FallbackNotice(error);
    const retry = { ...chosen, encoding: 'windows-1252' as const };
    return runIngest(source, retry, layout, { ...detection, encoding: 'windows-1252' }, hooks, [
      ...baseNotices,
      notice,
    ]);
  }
}

/** Options the user edited must still name real, distinct user and item columns. */
function checkOptions(options: ParseOptions, layout: TableLayout): void {
  const { mapping } = options;
  if (mapping.user === null || mapping.item === null) {
    throw new IngestError(
      'Choose a user column and an item column: a behaviour table needs both.',
      'no-user-item',
    );
  }
  if (mapping.user === mapping.item) {
    throw new IngestError(
      'The user column and the item column must be different columns.',
      'no-user-item',
    );
  }
  for (const [role, column] of Object.entries(mapping)) {
    if (column !== null && (column < 0 || column >= layout.fieldCount)) {
      throw new IngestError(
        `The ${role} column is set to column ${column + 1}, but the file has ${layout.fieldCount} columns with this delimiter.`,
        'not-a-table',
      );
    }
  }
}

async function runIngest(
  source: ByteSource,
  options: ParseOptions,
  layout: TableLayout,
  detection: Detection,
  hooks: IngestHooks,
  notices: Notice[],
): Promise<IngestResult> {
  const hasTimestamps = options.mapping.timestamp !== null && options.timestampFormat !== 'none';
  const collector = new InteractionCollector(hasTimestamps);
  const log = new RejectionLog();
  const state = { dataRows: 0, blankLines: 0, headerSeen: !options.hasHeader };
  const progress = (phase: IngestProgress['phase'], bytesRead: number) =>
    hooks.onProgress?.({ phase, bytesRead, totalBytes: source.size, rows: state.dataRows });

  await streamRecords(
    source,
    tableStreamOptions(options, layout, hooks, (bytesRead) => progress('reading', bytesRead)),
    (batch) => validateRows(batch, options, layout.fieldCount, state, collector, log),
  );
  throwIfCancelled(hooks.signal);
  if (state.dataRows === 0) {
    throw new IngestError(
      'This file has no data rows: expected at least one row with a user and an item below the header.',
      'empty',
    );
  }
  progress('indexing', source.size);
  const { dataset, duplicates } = orderInteractions(collector.collected());
  for (const dup of duplicates) {
    log.add(
      dup.line,
      'duplicate',
      `duplicate of line ${dup.ofLine}`,
      rebuildFields(dup, dataset, options, layout.fieldCount),
    );
  }
  throwIfCancelled(hooks.signal);
  progress('summarising', source.size);

  if (!hasTimestamps) notices.push(noTimestampNotice());
  const now = hooks.now ?? Date.now();
  const suspicious = findSuspiciousTimestamps(dataset, now);
  const suspiciousNotice = suspiciousTimestampNotice(suspicious, now);
  if (suspiciousNotice) notices.push(suspiciousNotice);
  if (state.blankLines > 0) {
    notices.push({
      level: 'info',
      code: 'blank-lines',
      message: `${state.blankLines} blank line${state.blankLines === 1 ? ' was' : 's were'} skipped; blank lines are not data rows.`,
    });
  }
  if (log.truncated > 0) {
    notices.push({
      level: 'warning',
      code: 'rejected-rows-truncated',
      message: `${log.total} rows were rejected; the first ${log.rows.length} are kept for download and the other ${log.truncated} are only counted.`,
    });
  }
  const report: IngestReport = {
    dataRows: state.dataRows,
    accepted: dataset.user.length,
    rejected: log.total,
    rejectedByReason: log.byReason(),
    blankLines: state.blankLines,
    bytes: source.size,
    suspicious,
    notices,
    options,
  };
  return {
    dataset,
    report,
    detection,
    rejectedRows: log.sortedRows(),
    rejectedRowsTruncated: log.truncated,
  };
}

/**
 * A duplicate's fields, rebuilt from its parsed values (the accepted rows' text is not kept):
 * ids and action exactly, time and value in canonical form, other columns empty.
 */
function rebuildFields(
  dup: DuplicateRow,
  dataset: Dataset,
  options: ParseOptions,
  width: number,
): string[] {
  const fields = new Array<string>(width).fill('');
  const { mapping } = options;
  if (mapping.user !== null) fields[mapping.user] = dataset.userIds[dup.user];
  if (mapping.item !== null) fields[mapping.item] = dataset.itemIds[dup.item];
  if (mapping.timestamp !== null) {
    const t = dup.timestamp;
    fields[mapping.timestamp] =
      options.timestampFormat === 'epoch-s'
        ? String(t / 1000)
        : options.timestampFormat === 'epoch-ms'
          ? String(t)
          : new Date(t).toISOString();
  }
  if (mapping.action !== null && dup.action >= 0)
    fields[mapping.action] = dataset.actionNames[dup.action];
  if (mapping.value !== null && !Number.isNaN(dup.value)) fields[mapping.value] = String(dup.value);
  return fields;
}
