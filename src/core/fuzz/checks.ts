/**
 * The invariants every fuzzed input is held to, shared by the fuzz suite in `npm test`
 * (./fuzz.test.ts) and the long campaign (bench/fuzz.ts). Each `check*` runs one input and
 * returns what happened plus a list of violations (empty when every invariant held):
 *
 * - ingest: nothing escapes but an `IngestError` with a documented code; on success
 *   `accepted + rejected = dataRows` (the report's identity), the rejected rows by reason and
 *   those kept add up, the dataset holds exactly the accepted rows with valid ids, lines and
 *   values, records fit in the file's physical lines, the counts of a structurally intact file
 *   are the generator's, and the rejected rows written as CSV read back as they were; time
 *   within {@link timeBudgetMs} of the input's size.
 * - model files: nothing escapes `loadSavedModel` but a `ModelFileError` with a documented
 *   code; a refused file leaves TF.js exactly as before (tensors, bytes, data buffers) and
 *   still working; an accepted one scores and, disposed, leaves no tensor; no prototype is
 *   polluted; an unmutated file loads.
 * - CSV cells: a row written by `csvLine` reads back through our reader as the text (as UTF-8
 *   writes it), after a leading `'` when formula-like, and no cell can start a formula.
 */
import { csvLine } from '../csv';
import { type IngestResult, ingestInteractions } from '../data/ingest';
import { streamRecords } from '../data/recordStream';
import { MAX_PADDED_FIELDS, rejectedRowsToCsv } from '../data/rejections';
import { bytesSource } from '../data/sources';
import type { Newline } from '../data/text';
import { type Dataset, IngestError, type RejectedRow } from '../data/types';
import { ModelFileError, type ModelFileErrorCode } from '../models/modelFileError';
import { loadSavedModel } from '../persist/restore';
import * as tf from '../tf';
import { asUtf8, type CsvCase, type ModelCase } from './generators';

/** Time allowed for one input: generous (a loaded 2-core machine), but linear in its size. */
export function timeBudgetMs(bytes: number): number {
  return 2000 + (50 * bytes) / 1024;
}

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

const MODEL_CODES: readonly ModelFileErrorCode[] = [
  'not-json',
  'not-interest-lens',
  'version-too-new',
  'unknown-model',
  'invalid-metadata',
  'unsupported-dtype',
  'weights-truncated',
  'weights-too-long',
  'shape-mismatch',
  'non-finite-weights',
  'dataset-mismatch',
  'too-large',
];

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}` : String(error);

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

/** The records of `text` as our ingest reader reads them (UTF-8, comma-separated). */
export async function readBack(text: string, newline: Newline): Promise<string[][]> {
  const rows: string[][] = [];
  await streamRecords(
    bytesSource(new TextEncoder().encode(text), 'back.csv'),
    { delimiter: ',', newline, encoding: 'utf-8', bom: false },
    (batch) => {
      for (const row of batch.rows) rows.push(row);
    },
  );
  return rows;
}

/** A cell a spreadsheet could run: a formula starter, unless it is a plain decimal number. */
export function startsFormula(cell: string): boolean {
  return /^[=+\-@\t\r]/.test(cell) && !/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(cell);
}

/** What a text cell must read back as: its UTF-8 text, after a `'` when it could run. */
function expectedCell(value: string | number): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = asUtf8(value);
  return startsFormula(value) ? `'${text}` : text;
}

function sameRows(got: string[][], want: string[][]): string | null {
  if (got.length !== want.length) return `read back ${got.length} rows, wrote ${want.length}`;
  for (let r = 0; r < want.length; r++) {
    const a = got[r];
    const b = want[r];
    if (a.length !== b.length) return `row ${r}: read back ${a.length} cells, wrote ${b.length}`;
    for (let c = 0; c < b.length; c++) {
      if (a[c] !== b[c]) {
        return `row ${r} cell ${c}: read back ${JSON.stringify(a[c].slice(0, 80))}, expected ${JSON.stringify(b[c].slice(0, 80))}`;
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Ingest

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
    if (!documented) violations.push(`undocumented exception ${describe(error)}`);
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

// ---------------------------------------------------------------------------------------------
// Model files

export interface ModelOutcome {
  /** `loaded` or the ModelFileError code (or `undocumented`). */
  result: string;
  ms: number;
  violations: string[];
}

function polluted(): boolean {
  const probe: Record<string, unknown> = {};
  return 'polluted' in probe || 'polluted' in Object.prototype || 'polluted' in Array.prototype;
}

/** The live TF.js counters (a refused file must leave every one as it was). */
function tfCounters() {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes, numDataBuffers: m.numDataBuffers };
}

function tfStillWorks(): boolean {
  const sum = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
  const ok = sum.dataSync()[0] === 3;
  sum.dispose();
  return ok;
}

/**
 * Loads one model case with `loadSavedModel` on `dataset` and checks it (see the module
 * comment); an accepted model scores one short history before it is disposed.
 */
export async function checkModelCase(c: ModelCase, dataset: Dataset): Promise<ModelOutcome> {
  const violations: string[] = [];
  const before = tfCounters();
  const started = performance.now();
  let result = 'loaded';
  try {
    const loaded = loadSavedModel(c.modelJson, c.weightsBin, dataset);
    const ms = performance.now() - started;
    try {
      const n = dataset.itemIds.length;
      const history = {
        offsets: Int32Array.of(0, 3),
        items: Int32Array.of(0, 1, 2).map((i) => Math.min(i, n - 1)),
        timestamps: Float64Array.of(0, 1000, 2000),
      };
      const scores = await loaded.model.score(Int32Array.of(-1), history);
      if (scores.length !== n) violations.push(`scored ${scores.length} items, not ${n}`);
      if (scores.some((s) => Number.isNaN(s))) violations.push('an accepted model scores NaN');
    } catch (error) {
      violations.push(`an accepted model failed to score: ${describe(error)}`);
    } finally {
      loaded.model.dispose();
    }
    const after = tfCounters();
    if (after.numTensors !== before.numTensors) {
      violations.push(`${after.numTensors - before.numTensors} tensors left after dispose`);
    }
    if (ms > timeBudgetMs(c.modelJson.length + c.weightsBin.length)) {
      violations.push(`loading took ${ms.toFixed(0)} ms`);
    }
    return { result, ms, violations };
  } catch (error) {
    const ms = performance.now() - started;
    const documented = error instanceof ModelFileError && MODEL_CODES.includes(error.code);
    result = documented ? (error as ModelFileError).code : 'undocumented';
    if (!documented) violations.push(`undocumented exception ${describe(error)}`);
    if (c.kind === 'unmutated') violations.push(`an unmutated ${c.base} file was refused`);
    const after = tfCounters();
    for (const key of ['numTensors', 'numBytes', 'numDataBuffers'] as const) {
      if (after[key] !== before[key]) {
        violations.push(`refused file changed ${key} by ${after[key] - before[key]}`);
      }
    }
    if (!tfStillWorks()) violations.push('TF.js no longer adds 1 + 2 after a refused file');
    if (ms > timeBudgetMs(c.modelJson.length + c.weightsBin.length)) {
      violations.push(`refusing took ${ms.toFixed(0)} ms`);
    }
    return { result, ms, violations };
  } finally {
    if (polluted()) violations.push('Object.prototype was polluted');
  }
}

// ---------------------------------------------------------------------------------------------
// CSV cells

export interface CellOutcome {
  neutralised: number;
  violations: string[];
}

/** Writes `cells` as one record (and a second copy) and reads them back (see the module comment). */
export async function checkCellCase(
  cells: readonly (string | number)[],
  newline: '\n' | '\r\n',
): Promise<CellOutcome> {
  const violations: string[] = [];
  const line = csvLine(cells);
  const want = cells.map(expectedCell);
  const got = await readBack(`${line}${newline}${line}${newline}`, newline);
  const mismatch = sameRows(got, [want, want]);
  if (mismatch) violations.push(mismatch);
  let neutralised = 0;
  for (const row of got) {
    for (const value of row) {
      if (startsFormula(value)) violations.push(`a cell reads back as a formula: ${value}`);
    }
  }
  for (let i = 0; i < cells.length; i++) {
    const value = cells[i];
    if (typeof value === 'string' && startsFormula(value)) neutralised++;
  }
  // Unquoted, no written cell starts a formula (split on the writer's own cells, not the line).
  for (const value of cells) {
    const raw = csvLine([value]);
    if (!raw.startsWith('"') && startsFormula(raw)) violations.push(`unquoted formula cell ${raw}`);
  }
  return { neutralised, violations };
}
