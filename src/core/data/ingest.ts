/**
 * Streaming, validated, re-indexed ingest of an interaction file. Every data row ends up either
 * accepted (ids trimmed, nothing else changed) or rejected with a reason and its line number:
 * report.dataRows === report.accepted + report.rejected, always.
 */
import { detectFormat, noTimestampNotice, readTableLayout } from './detect';
import { optionsFromDetection } from './detectedOptions';
import { InteractionCollector } from './interactionCollector';
import { type DuplicateRow, orderInteractions } from './orderInteractions';
import { cellText } from './parquetCells';
import { detectParquet, type ParquetLayout, parquetNotice } from './parquetDetect';
import { isParquet } from './parquetMagic';
import { readParquetRows } from './parquetTable';
import {
  InvalidUtf8Error,
  type RecordBatch,
  streamRecords,
  throwIfCancelled,
  yieldToEventLoop,
} from './recordStream';
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
  type UserSample,
  type UserSampleReport,
} from './types';
import { fittingFraction, formatShare, UserSampler, userSampleProblem } from './userSample';

export interface IngestHooks {
  onProgress?: (p: IngestProgress) => void;
  signal?: AbortSignal;
  /** Bytes per read; tests use tiny slices to prove chunk boundaries do not matter. */
  sliceBytes?: number;
  /** Largest file accepted; default {@link MAX_INGEST_BYTES}. */
  maxBytes?: number;
  /** The current time (epoch ms), for what counts as a future timestamp; default now. */
  now?: number;
  /**
   * Most rows loaded from a Parquet file (whose compressed bytes say little about the memory
   * its rows take) or kept by a sample; default {@link MAX_INGEST_ROWS}.
   */
  maxRows?: number;
  /**
   * Load only a user-hash sample (every interaction of each kept user); overrides
   * `options.sample`. Null loads every user.
   */
  sample?: UserSample | null;
  /**
   * When the file is above what a tab holds (`maxBytes` for text, `maxRows` for Parquet) and
   * no sample was asked for, load a user-hash sample that fits instead of refusing the file.
   * The page does; the CLI refuses and names the `--sample-users` that would fit.
   */
  sampleIfTooLarge?: boolean;
  /** Rows decoded at once from a Parquet row group; tests use small ranges. */
  parquetRangeRows?: number;
}

/**
 * The largest text file loaded whole by default: 1 GiB, about 40 million rows of a typical
 * log. Indexed rows cost ~28 bytes of typed arrays plus the id strings; far above this, a
 * browser tab runs out of memory part-way, so a larger file is refused up front with one
 * sentence naming the user sample that would fit, or (`sampleIfTooLarge`) sampled instead.
 */
export const MAX_INGEST_BYTES = 1024 * 1024 * 1024;

/**
 * Rows loaded at most from a Parquet file or kept by a sample: what 1 GiB of a typical log
 * holds, and about what a browser tab can index.
 */
export const MAX_INGEST_ROWS = 40_000_000;

const gib = (n: number) => `${(n / 1024 ** 3).toFixed(2)} GiB`;
const rowCount = (n: number) => n.toLocaleString('en-US');

/** The one-sentence refusal for a file above the limit, naming the sample that would fit. */
export function tooLargeMessage(bytes: number, limit: number): string {
  const fraction = fittingFraction(bytes, limit);
  return (
    `This file is ${gib(bytes)}, above the ${gib(limit)} a browser tab can index ` +
    `(about 40 million rows): load a sample of its users instead, at most ${formatShare(fraction)} ` +
    `(\`--sample-users ${fraction}\` on the command line; see "Scale beyond one browser" in the README).`
  );
}

/** The refusal for a Parquet file with more rows than a load holds. */
export function tooManyRowsMessage(rows: number, limit: number): string {
  const fraction = fittingFraction(rows, limit);
  return (
    `This file has ${rowCount(rows)} rows, above the ${rowCount(limit)} a browser tab can index: ` +
    `load a sample of its users instead, at most ${formatShare(fraction)} ` +
    `(\`--sample-users ${fraction}\` on the command line; see "Scale beyond one browser" in the README).`
  );
}

/** What a load will keep: every user, or a sample (asked for, or chosen to fit). */
interface SamplePlan {
  sample: UserSample | null;
  reason: UserSampleReport['reason'];
  /** Why a chosen sample was needed, for its notice (e.g. "This file is 3.20 GiB, ..."). */
  why: string;
}

/**
 * Settles the sample before anything is read: an asked-for sample must fit the limit (`total`
 * bytes or rows of the whole file, times the fraction); without one, a file above the limit is
 * refused, or sampled to fit when `auto`.
 */
function planSample(
  requested: UserSample | null,
  total: number,
  limit: number,
  auto: boolean,
  unit: 'bytes' | 'rows',
): SamplePlan {
  const size = unit === 'bytes' ? gib : (n: number) => `${rowCount(Math.round(n))} rows`;
  if (requested !== null && requested.fraction < 1) {
    if (total * requested.fraction > limit) {
      const most = fittingFraction(total, limit);
      throw new IngestError(
        `A sample of ${formatShare(requested.fraction)} of the users of this ${size(total)} file is about ${size(total * requested.fraction)}, above the ${size(limit)} a browser tab can index: choose at most ${formatShare(most)} (${most}).`,
        'too-large',
      );
    }
    return { sample: requested, reason: 'asked', why: '' };
  }
  if (total <= limit) return { sample: null, reason: 'asked', why: '' };
  if (!auto) {
    throw new IngestError(
      unit === 'bytes' ? tooLargeMessage(total, limit) : tooManyRowsMessage(total, limit),
      'too-large',
    );
  }
  return {
    sample: { fraction: fittingFraction(total, limit), seed: requested?.seed ?? 0 },
    reason: 'too-large',
    why: `This file is ${size(total)}, above the ${size(limit)} a browser tab can index, so `,
  };
}

/** The notice that says a sample was loaded, how it was chosen and what it left out. */
function sampleNotice(report: UserSampleReport, why: string): Notice {
  const users = `${rowCount(report.droppedUsers)}${report.droppedUsersExact ? '' : ' (estimated)'}`;
  const lead =
    why === ''
      ? 'Only a sample of users was loaded: '
      : `${why}only a sample of users was loaded: `;
  return {
    level: 'warning',
    code: 'user-sample',
    message:
      `${lead}${formatShare(report.fraction)} of users (chosen by a hash of the user id, seed ${report.seed}) ` +
      `with every interaction of each, leaving out ${users} users and ${rowCount(report.droppedRows)} rows.`,
  };
}

/** The kept rows of a sample passed the row limit: the users kept are heavier than average. */
function sampleTooManyRows(sample: UserSample, limit: number): IngestError {
  const smaller = Math.max(1e-6, Number((sample.fraction / 2).toPrecision(2)));
  return new IngestError(
    `The sample of ${formatShare(sample.fraction)} of users holds more than the ${rowCount(limit)} rows a browser tab can index: choose a smaller share, such as ${formatShare(smaller)}.`,
    'too-large',
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
 * Loads an interaction file (delimited text or Parquet, told by its content). With `options`
 * null the file is detected first; otherwise the given options are followed exactly (after
 * checking they fit the file). A text file that turns out not to be UTF-8 past the detection
 * sample is re-read as Windows-1252, with a notice.
 */
export async function ingestInteractions(
  source: ByteSource,
  options: ParseOptions | null,
  hooks: IngestHooks = {},
): Promise<IngestResult> {
  throwIfCancelled(hooks.signal);
  let requested = hooks.sample !== undefined ? hooks.sample : (options?.sample ?? null);
  if (requested !== null) {
    const problem = userSampleProblem(requested);
    if (problem) throw new IngestError(problem, 'invalid-options');
    if (requested.fraction >= 1) requested = { fraction: 1, seed: requested.seed };
  }
  if (await isParquet(source)) return ingestParquet(source, options, requested, hooks);

  const limit = hooks.maxBytes ?? MAX_INGEST_BYTES;
  const plan = planSample(requested, source.size, limit, hooks.sampleIfTooLarge === true, 'bytes');
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
  checkOptions(chosen, layout.fieldCount);
  const detection: Detection = detected ?? {
    delimiter: chosen.delimiter,
    hasHeader: chosen.hasHeader,
    encoding: layout.sample.encoding,
    bom: layout.sample.bom,
    columns: layout.columns,
    mapping: { ...chosen.mapping },
    timestampFormat: chosen.timestampFormat,
    notices: layout.notices,
    format: 'delimited',
  };
  const baseNotices = (detected?.notices ?? layout.notices).filter(
    (n) => n.code !== 'encoding-fallback' && n.code !== 'no-timestamp',
  );
  const fallback = layout.notices.find((n) => n.code === 'encoding-fallback');
  const encoding = fallback ? 'windows-1252' : chosen.encoding;
  const textStream = (parse: ParseOptions): RowStream => ({
    rowOptions: parse,
    rowWidth: layout.fieldCount,
    header: parse.hasHeader,
    fileFields: null,
    run: (onBatch, onBytes) =>
      streamRecords(source, tableStreamOptions(parse, layout, hooks, onBytes), onBatch),
  });
  const parse = { ...chosen, encoding };
  try {
    return await runIngest(
      source,
      parse,
      layout.fieldCount,
      textStream(parse),
      plan,
      detection,
      hooks,
      [...baseNotices, ...(encoding === 'windows-1252' && fallback ? [fallback] : [])],
    );
  } catch (error) {
    if (!(error instanceof InvalidUtf8Error)) throw error;
    const notice = windows1252FallbackNotice(error);
    const retry = { ...chosen, encoding: 'windows-1252' as const };
    return runIngest(
      source,
      retry,
      layout.fieldCount,
      textStream(retry),
      plan,
      { ...detection, encoding: 'windows-1252' },
      hooks,
      [...baseNotices, notice],
    );
  }
}

/**
 * A Parquet file: detected as text is (roles from names and the first rows), then streamed
 * row group by row group. Only the mapped columns are read; their cells become the text a CSV
 * of the same table would hold, and go through the same row validation.
 */
async function ingestParquet(
  source: ByteSource,
  options: ParseOptions | null,
  requested: UserSample | null,
  hooks: IngestHooks,
): Promise<IngestResult> {
  const { layout, detection: detected } = await detectParquet(source);
  throwIfCancelled(hooks.signal);
  const chosen: ParseOptions =
    options === null
      ? optionsFromDetection(detected)
      : { ...options, delimiter: ',', hasHeader: true, encoding: 'utf-8' };
  checkOptions(chosen, layout.fieldCount);
  const limit = hooks.maxRows ?? MAX_INGEST_ROWS;
  const plan = planSample(
    requested,
    layout.table.rows,
    limit,
    hooks.sampleIfTooLarge === true,
    'rows',
  );
  const detection: Detection =
    options === null
      ? detected
      : {
          ...detected,
          mapping: { ...chosen.mapping },
          timestampFormat: chosen.timestampFormat,
          notices: [parquetNotice(layout.table)],
        };
  const notices = detection.notices.filter((n) => n.code !== 'no-timestamp');
  return runIngest(
    source,
    chosen,
    layout.fieldCount,
    parquetStream(layout, chosen, hooks),
    plan,
    detection,
    hooks,
    notices,
  );
}

/**
 * The mapped columns of a Parquet file as batches of text records, one per decoded range.
 * Records hold only the mapped columns (each once), and are validated with the mapping onto
 * them; a rejected row's fields are put back at the file's column positions.
 */
function parquetStream(
  layout: ParquetLayout,
  options: ParseOptions,
  hooks: IngestHooks,
): RowStream {
  const { table } = layout;
  const read = [
    ...new Set(Object.values(options.mapping).filter((c): c is number => c !== null)),
  ].sort((a, b) => a - b);
  const position = new Map(read.map((column, i) => [column, i]));
  const mapping = { ...options.mapping };
  for (const role of Object.keys(mapping) as (keyof typeof mapping)[]) {
    const column = mapping[role];
    mapping[role] = column === null ? null : (position.get(column) as number);
  }
  const width = layout.fieldCount;
  const checkpoint = async () => {
    throwIfCancelled(hooks.signal);
    await yieldToEventLoop();
    throwIfCancelled(hooks.signal);
  };
  return {
    rowOptions: { ...options, mapping },
    rowWidth: read.length,
    header: false,
    fileFields: (fields) => {
      const out = new Array<string>(width).fill('');
      for (let i = 0; i < read.length; i++) out[read[i]] = fields[i];
      return out;
    },
    run: (onBatch, onBytes) =>
      readParquetRows(
        table,
        read,
        (columns, n, firstRow) => {
          // Cells as text column by column, then records of the mapped columns.
          const k = columns.length;
          const texts: string[][] = new Array(k);
          for (let c = 0; c < k; c++) {
            const values = columns[c];
            const text = new Array<string>(n);
            for (let r = 0; r < n; r++) {
              const v = values[r];
              text[r] = typeof v === 'string' ? v : cellText(v);
            }
            texts[c] = text;
          }
          const records: string[][] = new Array(n);
          const lines = new Int32Array(n);
          for (let r = 0; r < n; r++) {
            const fields = new Array<string>(k);
            for (let c = 0; c < k; c++) fields[c] = texts[c][r];
            records[r] = fields;
            lines[r] = firstRow + r + 2; // as the same table written as CSV with a header
          }
          onBatch({
            rows: records,
            lines,
            spans: new Int32Array(n).fill(1),
            unterminated: new Uint8Array(n),
            endsWithoutNewline: false,
          });
          onBytes(Math.round((table.source.size * (firstRow + n)) / table.rows));
        },
        checkpoint,
        hooks.parquetRangeRows,
      ),
  };
}

/** Options the user edited must still name real, distinct user and item columns. */
function checkOptions(options: ParseOptions, fieldCount: number): void {
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
    if (column !== null && (column < 0 || column >= fieldCount)) {
      throw new IngestError(
        `The ${role} column is set to column ${column + 1}, but the file has ${fieldCount} columns with this delimiter.`,
        'not-a-table',
      );
    }
  }
}

/** Where the records of a file come from: delimited text, or a Parquet file's mapped columns. */
interface RowStream {
  /** Streams every record in file order to `onBatch`, telling `onBytes` how far it has read. */
  run(onBatch: (batch: RecordBatch) => void, onBytes: (bytesRead: number) => void): Promise<void>;
  /** The options records are validated with (for Parquet, the mapping onto the columns read). */
  rowOptions: ParseOptions;
  /** Fields every record should have. */
  rowWidth: number;
  /** The first non-blank record is a header. */
  header: boolean;
  /** A rejected record's fields as the file's columns, when records hold only some of them. */
  fileFields: ((fields: string[]) => string[]) | null;
}

async function runIngest(
  source: ByteSource,
  options: ParseOptions,
  fieldCount: number,
  stream: RowStream,
  plan: SamplePlan,
  detection: Detection,
  hooks: IngestHooks,
  notices: Notice[],
): Promise<IngestResult> {
  const hasTimestamps = options.mapping.timestamp !== null && options.timestampFormat !== 'none';
  const collector = new InteractionCollector(hasTimestamps);
  const log = new RejectionLog();
  log.fieldsOf = stream.fileFields;
  const sampler = plan.sample && plan.sample.fraction < 1 ? new UserSampler(plan.sample) : null;
  const rowLimit = hooks.maxRows ?? MAX_INGEST_ROWS;
  const state = { dataRows: 0, blankLines: 0, headerSeen: !stream.header };
  const progress = (phase: IngestProgress['phase'], bytesRead: number) =>
    hooks.onProgress?.({ phase, bytesRead, totalBytes: source.size, rows: state.dataRows });

  await stream.run(
    (batch) => {
      validateRows(batch, stream.rowOptions, stream.rowWidth, state, collector, log, sampler);
      if (sampler && collector.size > rowLimit) throw sampleTooManyRows(sampler.sample, rowLimit);
    },
    (bytesRead) => progress('reading', bytesRead),
  );
  log.fieldsOf = null;
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
      rebuildFields(dup, dataset, options, fieldCount),
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
  const sample = sampler ? sampler.report(dataset.userIds.length, plan.reason) : undefined;
  if (sample) notices.unshift(sampleNotice(sample, plan.why));
  const report: IngestReport = {
    dataRows: state.dataRows,
    accepted: dataset.user.length,
    rejected: log.total,
    rejectedByReason: log.byReason(),
    blankLines: state.blankLines,
    bytes: source.size,
    suspicious,
    notices,
    options: withSample(options, sample ? { fraction: sample.fraction, seed: sample.seed } : null),
    format: detection.format ?? 'delimited',
  };
  if (sample) report.sample = sample;
  return {
    dataset,
    report,
    detection,
    rejectedRows: log.sortedRows(),
    rejectedRowsTruncated: log.truncated,
  };
}

/** The options as read: with the sample that was taken, or without any. */
function withSample(options: ParseOptions, sample: UserSample | null): ParseOptions {
  const { sample: _asked, ...rest } = options;
  return sample ? { ...rest, sample } : rest;
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
