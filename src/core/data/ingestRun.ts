/**
 * The shared second half of every load: streams the records of a file (text or Parquet)
 * through row validation, then orders, de-duplicates and summarises them into the dataset and
 * its report.
 */
import { noTimestampNotice } from './detect';
import type { IngestHooks, IngestResult } from './ingest';
import { MAX_INGEST_ROWS, type SamplePlan, sampleNotice, sampleTooManyRows } from './ingestLimits';
import { InteractionCollector } from './interactionCollector';
import { type DuplicateRow, orderInteractions } from './orderInteractions';
import { type RecordBatch, throwIfCancelled } from './recordStream';
import { RejectionLog } from './rejections';
import { validateRows } from './rowValidation';
import { findSuspiciousTimestamps, suspiciousTimestampNotice } from './suspicious';
import {
  type ByteSource,
  type Dataset,
  type Detection,
  IngestError,
  type IngestProgress,
  type IngestReport,
  type Notice,
  type ParseOptions,
  type UserSample,
} from './types';
import { UserSampler } from './userSample';

/** Where the records of a file come from: delimited text, or a Parquet file's mapped columns. */
export interface RowStream {
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

export async function runIngest(
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
