/**
 * Where does ingest time go? Runs the core ingest (src/core/data, the same code the worker
 * runs) in Node on the benchmark's synthetic file and times its phases:
 * reading (decode + split + validate), indexing (order + dedupe), summarising (histograms).
 *
 *   npx tsx bench/profile-ingest.ts [--rows 1000000] [--file path.csv]
 *
 * Add `node --cpu-prof` (via `NODE_OPTIONS=--cpu-prof`) for a flame graph of the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticCsv } from '../e2e/support/synthetic-csv';
import { ingestInteractions, summarizeDataset } from '../src/core/data';
import { fileSource } from '../src/core/data/nodeSource';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function profileOnce(path: string): Promise<Record<string, number>> {
  const source = await fileSource(path);
  const marks: Record<string, number> = {};
  const started = performance.now();
  const result = await ingestInteractions(source, null, {
    onProgress: (p) => {
      if (p.phase !== 'reading' && marks[p.phase] === undefined) {
        marks[p.phase] = performance.now() - started;
      }
    },
  });
  const ingested = performance.now() - started;
  summarizeDataset(result.dataset, result.report, result.detection, source.name, null);
  const total = performance.now() - started;
  return {
    'reading (decode, split, validate)': marks.indexing,
    'indexing (order, dedupe)': marks.summarising - marks.indexing,
    'report + rejections': ingested - marks.summarising,
    summarizeDataset: total - ingested,
    total,
    accepted: result.report.accepted,
    rejected: result.report.rejected,
  };
}

async function main(): Promise<void> {
  const rows = Number(option('rows') ?? 1_000_000);
  let file = option('file');
  const dir = file ? null : mkdtempSync(join(tmpdir(), 'lens-profile-'));
  if (dir) {
    file = join(dir, 'interactions.csv');
    await writeSyntheticCsv(file, { rows });
  }
  try {
    await profileOnce(file as string); // warm-up: JIT, page cache
    const runs = [await profileOnce(file as string), await profileOnce(file as string)];
    const table: Record<string, Record<string, number>> = {};
    for (const key of Object.keys(runs[0])) {
      table[key] = Object.fromEntries(runs.map((r, i) => [`run ${i + 1}`, Math.round(r[key])]));
    }
    console.table(table);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
