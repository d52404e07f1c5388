/**
 * The ingest invariants of the fuzz checks (see ./checks.ts): nothing escapes but an
 * `IngestError` with a documented code; on success `accepted + rejected = dataRows` (the
 * report's identity), the rejected rows by reason and those kept add up, the dataset holds
 * exactly the accepted rows with valid ids, lines and values, records fit in the file's
 * physical lines, the counts of a structurally intact file are the generator's, and the
 * rejected rows written as CSV read back as they were; time within {@link timeBudgetMs} of the
 * input's size.
 */
import { type IngestResult, ingestInteractions } from '../data/ingest';
import { MAX_PADDED_FIELDS, rejectedRowsToCsv } from '../data/rejections';
import { bytesSource } from '../data/sources';
import { type Dataset, IngestError, type RejectedRow } from '../data/types';
import { expectedCell, readBack, sameRows } from './cellCheck';
import { describeError, timeBudgetMs } from './checks';
import type { CsvCase } from './generators';

/** A fixed "now" for ingest, so suspicious-timestamp notices do not depend on the date. */
export const FUZZ_NOW = Date.UTC(2026, 11, 1);

const INGEST_CODES: readonly IngestError['code'][] = [
  'not-a-table',
  'empty',
  'binary',
  'no-user-item',
  'cancelled',
  'too-large',
];

/** Lines of the file however they end (CRLF, LF or CR): an upper bound on records. */
export function physicalLines(bytes: Uint8Array): number {
  let lines = 1;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 10) lines++;
    else if (bytes[i] === 13) {
      lines++;
      if (bytes[i + 1] === 10) i++;
    }
  }
  return lines;
}

export interface CsvOutcome {
  /** `accepted` or the IngestError code (or `undocumented`). */
  result: string;
  accepted: number;
  rejected: number;
  dataRows: number;
  blankLines: number;
  /** Rejected rows per reason. */
  byReason: Record<string, number>;
  ms: number;
  violations: string[];
  /** With `withFingerprint`: everything the ingest returned, as JSON (for determinism). */
  fingerprint: string;
}

function datasetViolations(d: Dataset, accepted: number, lines: number): string[] {
  const v: string[] = [];
  const n = d.user.length;
  if (n !== accepted) v.push(`dataset has ${n} rows, report accepted ${accepted}`);
  for (const [name, ids] of [
    ['user', d.userIds],
    ['item', d.itemIds],
  ] as const) {
    if (new Set(ids).size !== ids.length) v.push(`${name} ids are not unique`);
    if (ids.some((id) => id.length === 0)) v.push(`an empty ${name} id was accepted`);
  }
  for (const arr of [d.item, d.action, d.value, d.timestamp, d.line]) {
    if (arr.length !== n) v.push('dataset arrays differ in length');
  }
  if (d.userOffsets.length !== d.userIds.length + 1 || d.userOffsets[d.userIds.length] !== n) {
    v.push('user offsets do not cover the rows');
  }
  const seenLines = new Set<number>();
  for (let k = 0; k < n && v.length < 10; k++) {
    if (!(d.user[k] >= 0 && d.user[k] < d.userIds.length)) v.push(`row ${k}: user out of range`);
    if (!(d.item[k] >= 0 && d.item[k] < d.itemIds.length)) v.push(`row ${k}: item out of range`);
    if (k > 0 && d.user[k] < d.user[k - 1]) v.push(`row ${k}: not sorted by user`);
    if (d.hasTimestamps && !Number.isFinite(d.timestamp[k])) {
      v.push(`row ${k}: timestamp ${d.timestamp[k]} accepted`);
    }
    const value = d.value[k];
    if (!Number.isNaN(value) && !Number.isFinite(value)) v.push(`row ${k}: value ${value}`);
    const line = d.line[k];
    if (!(line >= 1 && line <= lines)) v.push(`row ${k}: line ${line} outside 1..${lines}`);
    if (seenLines.has(line)) v.push(`row ${k}: line ${line} accepted twice`);
    seenLines.add(line);
  }
  return v;
}

function rejectedViolations(rows: RejectedRow[], accepted: Dataset, lines: number): string[] {
  const v: string[] = [];
  const acceptedLines = new Set(accepted.line);
  for (const row of rows) {
    if (!(row.line >= 1 && row.line <= lines))
      v.push(`rejected line ${row.line} outside 1..${lines}`);
    if (acceptedLines.has(row.line)) v.push(`line ${row.line} both accepted and rejected`);
    if (v.length >= 10) break;
  }
  return v;
}

/** The rejected rows as the download writes them, read back: must be the rows themselves. */
async function rejectedCsvViolation(rows: RejectedRow[]): Promise<string | null> {
  if (rows.length === 0) return null;
  const csv = rejectedRowsToCsv(rows);
  const width = rows.reduce((max, row) => Math.max(max, row.fields.length), 0);
  const header = ['line', 'reason', 'detail'];
  for (let i = 1; i <= width; i++) header.push(`field ${i}`);
  const want = [header, ...rows.map((r) => [r.line, r.reason, r.detail, ...r.fields])].map(
    (row) => {
      const cells = row.map(expectedCell);
      while (cells.length < 3 + Math.min(width, MAX_PADDED_FIELDS)) cells.push('');
      return cells;
    },
  );
  const mismatch = sameRows(await readBack(csv, '\n'), want);
  return mismatch ? `rejected rows CSV: ${mismatch}` : null;
}

/** Runs one CSV case through `ingestInteractions` and checks it (see the module comment). */
export async function checkCsvCase(c: CsvCase, withFingerprint = false): Promise<CsvOutcome> {
  const source = bytesSource(c.bytes, `fuzz-${c.index}.csv`);
  const controller = new AbortController();
  if (c.aborted) controller.abort();
  const violations: string[] = [];
  const started = performance.now();
  let result: IngestResult;
  try {
    result = await ingestInteractions(source, c.options, {
      sliceBytes: c.sliceBytes,
      maxBytes: c.maxBytes,
      signal: controller.signal,
      now: FUZZ_NOW,
    });
  } catch (error) {
    const ms = performance.now() - started;
    const documented = error instanceof IngestError && INGEST_CODES.includes(error.code);
    if (!documented) violations.push(`undocumented exception ${describeError(error)}`);
    const code = documented ? (error as IngestError).code : 'undocumented';
    if (c.aborted && code !== 'cancelled') violations.push(`aborted load ended with ${code}`);
    if (ms > timeBudgetMs(c.bytes.length)) {
      violations.push(`took ${ms.toFixed(0)} ms for ${c.bytes.length} bytes`);
    }
    return {
      result: code,
      accepted: 0,
      rejected: 0,
      dataRows: 0,
      blankLines: 0,
      byReason: {},
      ms,
      violations,
      fingerprint: `error ${code} ${(error as Error)?.message}`,
    };
  }
  const ms = performance.now() - started;
  const { report, dataset, rejectedRows, rejectedRowsTruncated } = result;
  if (c.aborted) violations.push('an aborted load succeeded');
  if (c.maxBytes !== undefined && c.bytes.length > c.maxBytes) {
    violations.push(`a ${c.bytes.length}-byte file passed a ${c.maxBytes}-byte limit`);
  }
  if (report.accepted + report.rejected !== report.dataRows) {
    violations.push(
      `accepted ${report.accepted} + rejected ${report.rejected} != data rows ${report.dataRows}`,
    );
  }
  const byReason = Object.values(report.rejectedByReason).reduce((n, r) => n + (r?.count ?? 0), 0);
  if (byReason !== report.rejected) {
    violations.push(`rejections by reason add up to ${byReason}, not ${report.rejected}`);
  }
  if (rejectedRows.length + rejectedRowsTruncated !== report.rejected) {
    violations.push(
      `${rejectedRows.length} rejected rows kept + ${rejectedRowsTruncated} truncated != ${report.rejected}`,
    );
  }
  if (report.bytes !== c.bytes.length) violations.push(`report says ${report.bytes} bytes`);
  const lines = physicalLines(c.bytes);
  const records = report.dataRows + report.blankLines + (report.options.hasHeader ? 1 : 0);
  if (records > lines) violations.push(`${records} records in ${lines} physical lines`);
  if (c.expected) {
    if (report.dataRows !== c.expected.dataRows) {
      violations.push(`${report.dataRows} data rows, the file has ${c.expected.dataRows}`);
    }
    if (report.blankLines !== c.expected.blankLines) {
      violations.push(`${report.blankLines} blank lines, the file has ${c.expected.blankLines}`);
    }
  }
  violations.push(...datasetViolations(dataset, report.accepted, lines));
  violations.push(...rejectedViolations(rejectedRows, dataset, lines));
  const csvProblem = await rejectedCsvViolation(rejectedRows);
  if (csvProblem) violations.push(csvProblem);
  if (ms > timeBudgetMs(c.bytes.length)) {
    violations.push(`took ${ms.toFixed(0)} ms for ${c.bytes.length} bytes`);
  }
  return {
    result: 'accepted',
    accepted: report.accepted,
    rejected: report.rejected,
    dataRows: report.dataRows,
    blankLines: report.blankLines,
    byReason: Object.fromEntries(
      Object.entries(report.rejectedByReason).map(([reason, r]) => [reason, r?.count ?? 0]),
    ),
    ms,
    violations,
    fingerprint: !withFingerprint
      ? ''
      : JSON.stringify({
          report,
          rejectedRows,
          userIds: dataset.userIds,
          itemIds: dataset.itemIds,
          user: [...dataset.user],
          item: [...dataset.item],
          timestamp: [...dataset.timestamp],
          value: Array.from(dataset.value, (x) => (Number.isNaN(x) ? null : x)),
          line: [...dataset.line],
        }),
  };
}
