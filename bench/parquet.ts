/**
 * `npm run bench -- parquet`: Parquet interactions and user-hash sampling, through the core
 * ingest in Node (the code the worker and the CLI run), reading files with the Node byte source.
 *
 * 1. Parquet vs CSV: the benchmark's synthetic 1,000,000-row log (bench/run.ts's ingest part)
 *    written as CSV and as the same table in Parquet (STRING user and item, TIMESTAMP time,
 *    STRING action; Snappy; --row-group rows per row group), each ingested --runs times after a
 *    warm-up; median time, rows/s and the ratio. Both must give the same dataset.
 * 2. Sampling a file above what a tab holds: a --gib GiB CSV (default 2, twice the 1 GiB a tab
 *    indexes; users = rows / 40) is streamed to the temp folder, then ingested with a
 *    --fraction user sample (default 0.05) in a child Node process whose heap is capped at
 *    --heap-mib MiB (default 1024, half the file): time, peak RSS, kept share of users.
 *
 * Options: --rows N, --runs N, --row-group N, --gib G, --fraction F, --heap-mib M,
 * --no-sample (part 1 only), --no-compare (part 2 only). Prints a table and writes
 * bench/results/parquet-<date>.json. Not part of `bench all`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { writeSyntheticCsv } from '../e2e/support/synthetic-csv';
import { ingestInteractions } from '../src/core/data';
import { fileSource } from '../src/core/data/nodeSource';
import { median, round } from './stats';

const THIS_FILE = fileURLToPath(import.meta.url);

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

/** The CSV's rows as Parquet columns (the same values, time as a TIMESTAMP column). */
function csvToParquet(csvPath: string, parquetPath: string, rowGroupSize: number): number {
  const lines = readFileSync(csvPath, 'utf8').split('\n');
  const user: string[] = [];
  const item: string[] = [];
  const time: Date[] = [];
  const action: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '') continue;
    const [u, it, ts, a] = lines[i].split(',');
    user.push(u);
    item.push(it);
    time.push(new Date(Number(ts) * 1000));
    action.push(a);
  }
  const bytes = parquetWriteBuffer({
    columnData: [
      { name: 'user', type: 'STRING', data: user, nullable: false },
      { name: 'item', type: 'STRING', data: item, nullable: false },
      { name: 'timestamp', type: 'TIMESTAMP', data: time, nullable: false },
      { name: 'action', type: 'STRING', data: action, nullable: false },
    ],
    rowGroupSize,
  });
  writeFileSync(parquetPath, new Uint8Array(bytes));
  return bytes.byteLength;
}

interface Timed {
  runsMs: number[];
  medianMs: number;
  rowsPerSecond: number;
  mbPerSecond: number;
  accepted: number;
  users: number;
  items: number;
  /** A fingerprint of the dataset, to check both formats give the same one. */
  checksum: number;
}

async function timeIngest(path: string, runs: number): Promise<Timed> {
  const bytes = statSync(path).size;
  const runsMs: number[] = [];
  let last: Awaited<ReturnType<typeof ingestInteractions>> | null = null;
  for (let i = 0; i <= runs; i++) {
    const source = await fileSource(path);
    const started = performance.now();
    last = await ingestInteractions(source, null);
    const ms = performance.now() - started;
    console.log(
      `[parquet] ${path.split('/').pop()} ${i === 0 ? 'warm-up' : `run ${i}`}: ${ms.toFixed(0)} ms`,
    );
    if (i > 0) runsMs.push(ms);
  }
  if (!last) throw new Error('no run');
  const { dataset, report } = last;
  let checksum = 0;
  for (let k = 0; k < dataset.user.length; k += 997) {
    checksum = (checksum * 31 + dataset.user[k] * 7 + dataset.item[k] + dataset.timestamp[k]) % 1e9;
  }
  const medianMs = median(runsMs);
  return {
    runsMs: runsMs.map((ms) => round(ms, 0)),
    medianMs: round(medianMs, 0),
    rowsPerSecond: Math.round(report.dataRows / (medianMs / 1000)),
    mbPerSecond: round(bytes / 1e6 / (medianMs / 1000), 1),
    accepted: report.accepted,
    users: dataset.userIds.length,
    items: dataset.itemIds.length,
    checksum,
  };
}

async function compareFormats(dir: string, rows: number, runs: number, rowGroup: number) {
  const csvPath = join(dir, `interactions-${rows}.csv`);
  const parquetPath = join(dir, `interactions-${rows}.parquet`);
  console.log(`[parquet] writing ${rows.toLocaleString('en')} rows as CSV and as Parquet`);
  const csv = await writeSyntheticCsv(csvPath, { rows });
  const parquetBytes = csvToParquet(csvPath, parquetPath, rowGroup);
  const fromCsv = await timeIngest(csvPath, runs);
  const fromParquet = await timeIngest(parquetPath, runs);
  const same =
    fromCsv.accepted === fromParquet.accepted &&
    fromCsv.users === fromParquet.users &&
    fromCsv.items === fromParquet.items &&
    fromCsv.checksum === fromParquet.checksum;
  return {
    rows,
    rowGroupRows: rowGroup,
    csvBytes: csv.bytes,
    parquetBytes,
    csv: fromCsv,
    parquet: fromParquet,
    /** CSV median time / Parquet median time: above 1, Parquet loads faster. */
    speedupParquetOverCsv: round(fromCsv.medianMs / fromParquet.medianMs, 2),
    sameDataset: same,
  };
}

/** Part 2, in the child process: one sampled ingest of the big file, measured from inside. */
async function sampleChild(path: string, fraction: number): Promise<void> {
  const started = performance.now();
  let peakRss = 0;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);
  const { report, dataset } = await ingestInteractions(await fileSource(path), null, {
    sample: { fraction, seed: 0 },
  });
  clearInterval(timer);
  const seconds = (performance.now() - started) / 1000;
  const sample = report.sample;
  const result = {
    seconds: round(seconds, 1),
    mbPerSecond: round(report.bytes / 1e6 / seconds, 1),
    rowsPerSecond: Math.round(report.dataRows / seconds),
    peakRssMiB: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 20),
    heapUsedMiBAfter: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    dataRows: report.dataRows,
    keptRows: report.accepted,
    rejected: report.rejected,
    keptUsers: dataset.userIds.length,
    droppedUsers: sample?.droppedUsers ?? 0,
    droppedUsersExact: sample?.droppedUsersExact ?? true,
    droppedRows: sample?.droppedRows ?? 0,
    keptUserShare: round(sample?.keptUserShare ?? 1, 4),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function sampleBigFile(dir: string, gib: number, fraction: number, heapMiB: number) {
  const path = join(dir, `interactions-${gib}gib.csv`);
  const rows = Math.round((gib * 2 ** 30) / 30.5);
  const users = Math.max(1000, Math.round(rows / 40));
  console.log(
    `[parquet] writing a ${gib} GiB CSV (${rows.toLocaleString('en')} rows, ${users.toLocaleString('en')} users) to ${path}`,
  );
  const started = performance.now();
  const csv = await writeSyntheticCsv(path, { rows, users, items: 100_000 });
  const writeSeconds = (performance.now() - started) / 1000;
  console.log(
    `[parquet] wrote ${(csv.bytes / 2 ** 30).toFixed(2)} GiB in ${writeSeconds.toFixed(0)} s; ingesting a ${fraction} user sample with a ${heapMiB} MiB heap`,
  );
  const child = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${heapMiB}`,
      '--import',
      'tsx',
      THIS_FILE,
      '--sample-child',
      path,
      String(fraction),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (child.status !== 0) throw new Error(`the sampling run failed (exit ${child.status})`);
  const measured = JSON.parse(child.stdout.trim().split('\n').at(-1) as string);
  return {
    file: {
      gib: round(csv.bytes / 2 ** 30, 2),
      bytes: csv.bytes,
      rows: csv.rows,
      users: csv.distinctUsers,
    },
    writeSeconds: round(writeSeconds, 0),
    fraction,
    heapCapMiB: heapMiB,
    ...measured,
  };
}

export async function runParquetBench(root: string): Promise<void> {
  const rows = option('rows', 1_000_000);
  const runs = option('runs', 3);
  const rowGroup = option('row-group', 262_144);
  const gib = option('gib', 2);
  const fraction = option('fraction', 0.05);
  const heapMiB = option('heap-mib', 1024);
  const dir = mkdtempSync(join(tmpdir(), 'lens-parquet-'));
  try {
    const formats = process.argv.includes('--no-compare')
      ? null
      : await compareFormats(dir, rows, runs, rowGroup);
    const sampling = process.argv.includes('--no-sample')
      ? null
      : await sampleBigFile(dir, gib, fraction, heapMiB);
    const result = {
      date: new Date().toISOString(),
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`,
      machine: {
        cores: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGiB: round(totalmem() / 2 ** 30, 1),
        node: process.version,
        loadAverage1m: round(loadavg()[0], 2),
      },
      formats,
      sampling,
    };
    if (formats) {
      console.table({
        csv: { MB: round(formats.csvBytes / 1e6, 1), ...pick(formats.csv) },
        parquet: { MB: round(formats.parquetBytes / 1e6, 1), ...pick(formats.parquet) },
      });
      console.log(
        `[parquet] Parquet/CSV speed-up ${formats.speedupParquetOverCsv}x; same dataset: ${formats.sameDataset}`,
      );
      if (!formats.sameDataset) process.exitCode = 1;
    }
    if (sampling) console.table({ sampling });
    const out = join(root, 'bench', 'results');
    mkdirSync(out, { recursive: true });
    const path = join(out, `parquet-${result.date.slice(0, 10)}.json`);
    writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`[parquet] wrote ${path}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function pick(t: Timed) {
  return { medianMs: t.medianMs, rowsPerSecond: t.rowsPerSecond, mbPerSecond: t.mbPerSecond };
}

const childAt = process.argv.indexOf('--sample-child');
if (childAt >= 0) {
  sampleChild(process.argv[childAt + 1], Number(process.argv[childAt + 2])).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
