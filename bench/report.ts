/** Turns benchmark runs into the results file and the printed table. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import type { SyntheticCsvStats } from '../e2e/support/synthetic-csv';
import type { AppRun } from './measure-app';
import type { PapaRun } from './measure-papa';
import { MB, MiB, median, round } from './stats';

/** Target from the issue: 1M rows parsed, validated and indexed in under 2 s. */
export const TARGET_MS_PER_MILLION_ROWS = 2000;

interface Throughput {
  runsMs: number[];
  medianMs: number;
  rowsPerSecond: number;
  mbPerSecond: number;
  /** Median of the in-page timings (input change event to done). */
  medianPageMs: number;
  peakPageHeapMiB: number;
  peakWorkerHeapMiB: number | null;
}

export interface IngestBenchResult {
  date: string;
  command: string;
  machine: {
    cores: number;
    cpuModel: string;
    memoryGiB: number;
    chromium: string;
    node: string;
    /** 1-minute load average when the runs finished: above the core count, timings are inflated. */
    loadAverage1m: number;
  };
  file: { rows: number; bytes: number; distinctUsers: number; distinctItems: number };
  app: Throughput & {
    backend: string;
    /** Every run accepted exactly the generated rows, users and items, and rejected none. */
    verified: boolean;
    counts: { users: number; items: number; interactions: number; rejected: number };
    meetsTarget: boolean;
    /**
     * Median in-page time per phase, from when the progress line first showed it: to the first
     * progress (detection plus the first ~4 MiB chunk), the rest of reading and indexing
     * (decode, split, validate, order, dedupe; the progress line rarely shows "Indexing"
     * long enough to be seen), then summarising plus handing the summary over and rendering.
     */
    phasesMedianMs: Record<'firstChunk' | 'readAndIndex' | 'summariseAndRender', number | null>;
  };
  papa: (Throughput & { records: number; errors: number }) | null;
  /** app median / papa median: how many times longer the full ingest takes than parsing alone. */
  ratioAppToPapa: number | null;
}

function throughput(
  runs: {
    wallMs: number;
    pageMs: number;
    heap: { pageBytes: number; workerBytes: number | null };
  }[],
  file: SyntheticCsvStats,
): Throughput {
  const medianMs = median(runs.map((r) => r.wallMs));
  const workerPeaks = runs.map((r) => r.heap.workerBytes).filter((b): b is number => b !== null);
  return {
    runsMs: runs.map((r) => round(r.wallMs, 0)),
    medianMs: round(medianMs, 0),
    rowsPerSecond: Math.round(file.rows / (medianMs / 1000)),
    mbPerSecond: round(file.bytes / MB / (medianMs / 1000), 1),
    medianPageMs: round(median(runs.map((r) => r.pageMs)), 0),
    peakPageHeapMiB: round(Math.max(...runs.map((r) => r.heap.pageBytes)) / MiB, 1),
    peakWorkerHeapMiB: workerPeaks.length > 0 ? round(Math.max(...workerPeaks) / MiB, 1) : null,
  };
}

/** Median duration between two phase marks over the runs that rendered both. */
function phaseMedian(
  runs: AppRun[],
  from: (r: AppRun) => number | null,
  to: (r: AppRun) => number | null,
): number | null {
  const spans = runs
    .map((r) => [from(r), to(r)])
    .filter((pair): pair is [number, number] => pair[0] !== null && pair[1] !== null)
    .map(([a, b]) => b - a);
  return spans.length > 0 ? round(median(spans), 0) : null;
}

/** Assembles the results record, checking every app run's counts against the generated file. */
export function buildResult(input: {
  csv: SyntheticCsvStats;
  app: AppRun[];
  backend: string;
  papa: PapaRun[];
  browser: Browser;
}): IngestBenchResult {
  const { csv, app, papa } = input;
  const last = app[app.length - 1];
  const verified = app.every(
    (r) =>
      r.interactions === csv.rows &&
      r.rejected === 0 &&
      r.users === csv.distinctUsers &&
      r.items === csv.distinctItems,
  );
  const appThroughput = throughput(app, csv);
  const papaThroughput = papa.length > 0 ? throughput(papa, csv) : null;
  return {
    date: new Date().toISOString(),
    command: 'npm run bench',
    machine: {
      cores: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: round(totalmem() / 1024 ** 3, 1),
      chromium: input.browser.version(),
      node: process.version,
      loadAverage1m: round(loadavg()[0], 2),
    },
    file: {
      rows: csv.rows,
      bytes: csv.bytes,
      distinctUsers: csv.distinctUsers,
      distinctItems: csv.distinctItems,
    },
    app: {
      ...appThroughput,
      backend: input.backend,
      verified,
      counts: {
        users: last.users,
        items: last.items,
        interactions: last.interactions,
        rejected: last.rejected,
      },
      phasesMedianMs: {
        firstChunk: phaseMedian(
          app,
          () => 0,
          (r) => r.phases.reading,
        ),
        readAndIndex: phaseMedian(
          app,
          (r) => r.phases.reading,
          (r) => r.phases.summarising,
        ),
        summariseAndRender: phaseMedian(
          app,
          (r) => r.phases.summarising,
          (r) => r.pageMs,
        ),
      },
      meetsTarget: appThroughput.medianMs <= (TARGET_MS_PER_MILLION_ROWS * csv.rows) / 1_000_000,
    },
    papa: papaThroughput
      ? { ...papaThroughput, records: papa[0].records, errors: papa[0].errors }
      : null,
    ratioAppToPapa: papaThroughput
      ? round(appThroughput.medianMs / papaThroughput.medianMs, 2)
      : null,
  };
}

/** Prints the medians as a small table, plus the verdict against the target. */
export function printTable(result: IngestBenchResult): void {
  const rows: Record<string, Record<string, string | number>> = {};
  const add = (name: string, t: Throughput) => {
    rows[name] = {
      'median ms': t.medianMs,
      runs: t.runsMs.join(' / '),
      'rows/s': t.rowsPerSecond.toLocaleString('en'),
      'MB/s': t.mbPerSecond,
      'page heap MiB': t.peakPageHeapMiB,
      'worker heap MiB': t.peakWorkerHeapMiB ?? '-',
    };
  };
  add(`Interest Lens ingest (${result.app.backend})`, result.app);
  if (result.papa) add('Papa Parse alone (reference)', result.papa);
  console.table(rows);
  const phases = Object.entries(result.app.phasesMedianMs)
    .map(([name, ms]) => `${name} ${ms ?? '?'} ms`)
    .join(', ');
  console.log(`Ingest phases in the page (medians): ${phases}.`);
  const { file, app } = result;
  console.log(
    `${file.rows.toLocaleString('en')} rows, ${(file.bytes / MB).toFixed(1)} MB; ` +
      `Chromium ${result.machine.chromium}, ${result.machine.cores} cores, ` +
      `load average ${result.machine.loadAverage1m}. ` +
      (result.ratioAppToPapa !== null ? `App / Papa = ${result.ratioAppToPapa}x. ` : '') +
      `Target ${TARGET_MS_PER_MILLION_ROWS} ms per 1M rows: ${app.meetsTarget ? 'met' : 'NOT met'}.` +
      (app.verified ? '' : ' COUNTS WRONG: the app did not accept exactly the generated rows.'),
  );
}

/** Writes `ingest-<YYYY-MM-DD>.json` (overwriting that day's file) and returns its path. */
export function writeResult(dir: string, result: IngestBenchResult): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `ingest-${result.date.slice(0, 10)}.json`);
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}
