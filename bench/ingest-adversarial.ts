/**
 * `npm run bench -- adversarial [--mb 100] [--runs 1]` (or `npx tsx bench/ingest-adversarial.ts`):
 * ingest throughput on hostile files, generated in memory, through the core ingest in Node (the
 * code the worker runs). Each file is `--mb` MB:
 *
 * - unterminated-rows: a header, then rows like `"u1,i1,1700000000`, each opening a quote that
 *   never closes (each is rejected, and reading goes on from the next line).
 * - quote-run-field: one quoted field holding `a"` repeated (lone quotes that do not close it).
 * - stray-quote: ordinary rows, but the first data row opens a quote that never closes.
 * - quoted-fields-one-line: one line of `"a",` repeated (many quoted fields, one line).
 * - ordinary-rows: the stray-quote file without its stray quote, for comparison.
 *
 * Before the recovery and scanner were made linear, the first two took 26 s for 0.6 MB and 58 s
 * for 2 MB. Prints MB/s per file; not part of `npm test` nor of `bench all`.
 */
import { ingestInteractions } from '../src/core/data';
import { bytesSource } from '../src/core/data/sources';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const HEADER = 'user,item,timestamp\n';

/** `unit` repeated to about `bytes` bytes between `head` and `tail`. */
function repeatTo(head: string, unit: string, bytes: number, tail = ''): string {
  return head + unit.repeat(Math.max(1, Math.floor(bytes / unit.length))) + tail;
}

/** Distinct ordinary rows, about `bytes` bytes of them (no duplicates to reject). */
function ordinaryRows(bytes: number): string {
  const rows: string[] = [];
  let size = 0;
  for (let k = 0; size < bytes; k++) {
    const row = `u${k % 9973},i${k % 7919},${1_700_000_000 + k}\n`;
    rows.push(row);
    size += row.length;
  }
  return rows.join('');
}

const FILES: Record<string, (bytes: number) => string> = {
  'unterminated-rows': (bytes) => repeatTo(HEADER, '"u1,i1,1700000000\n', bytes),
  'quote-run-field': (bytes) =>
    repeatTo(`${HEADER}u0,i0,1700000000\nu1,"`, 'a"', bytes, ',1700000000\nu2,i2,1700000000\n'),
  'stray-quote': (bytes) => `${HEADER}"x0,y0,1700000000\n${ordinaryRows(bytes)}`,
  'quoted-fields-one-line': (bytes) => repeatTo(HEADER, '"a",', bytes, '\n'),
  'ordinary-rows': (bytes) => `${HEADER}x0,y0,1700000000\n${ordinaryRows(bytes)}`,
};

export async function runAdversarialBench(): Promise<void> {
  const mb = option('mb', 100);
  const runs = option('runs', 1);
  console.log(`[bench] adversarial ingest, ${mb} MB per file, ${runs} run(s) each`);
  const rows: Record<string, string | number>[] = [];
  for (const [name, make] of Object.entries(FILES)) {
    const bytes = new TextEncoder().encode(make(mb * 1e6));
    const source = bytesSource(bytes, `${name}.csv`);
    for (let run = 1; run <= runs; run++) {
      const started = performance.now();
      const { report } = await ingestInteractions(source, null);
      const seconds = (performance.now() - started) / 1000;
      const mbps = bytes.length / 1e6 / seconds;
      console.log(`[bench] ${name} run ${run}: ${seconds.toFixed(2)} s, ${mbps.toFixed(1)} MB/s`);
      rows.push({
        file: name,
        run,
        MB: Number((bytes.length / 1e6).toFixed(1)),
        seconds: Number(seconds.toFixed(2)),
        'MB/s': Number(mbps.toFixed(1)),
        accepted: report.accepted,
        rejected: report.rejected,
      });
    }
  }
  console.table(rows);
}

if (process.argv[1]?.endsWith('ingest-adversarial.ts')) {
  runAdversarialBench().catch((error: unknown) => {
    console.error(`[bench] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
