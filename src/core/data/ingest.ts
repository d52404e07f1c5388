/**
 * Streaming, validated, re-indexed ingest of an interaction file. Every data row ends up either
 * accepted (ids trimmed, nothing else changed) or rejected with a reason and its line number:
 * report.dataRows === report.accepted + report.rejected, always.
 */
import { detectFormat, readTableLayout } from './detect';
import { optionsFromDetection } from './detectedOptions';
import { MAX_INGEST_BYTES, MAX_INGEST_ROWS, planSample } from './ingestLimits';
import { type RowStream, runIngest } from './ingestRun';
import { detectParquet, parquetNotice } from './parquetDetect';
import { isParquet } from './parquetMagic';
import { parquetStream } from './parquetRowStream';
import { InvalidUtf8Error, streamRecords, throwIfCancelled } from './recordStream';
import { tableStreamOptions, windows1252FallbackNotice } from './tableStream';
import {
  type ByteSource,
  type Dataset,
  type Detection,
  IngestError,
  type IngestProgress,
  type IngestReport,
  type ParseOptions,
  type RejectedRow,
  type UserSample,
} from './types';
import { userSampleProblem } from './userSample';

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
