/**
 * `npm run bench -- [ingest|train|accuracy|all]` (default all):
 *
 * - ingest: throughput of Interest Lens in headless Chromium, against Papa Parse alone on the
 *   same bytes in the same browser. Generates a deterministic 1,000,000-row CSV, serves the
 *   production build, uploads through the real file input (1 warm-up + 3 timed runs each),
 *   prints a table and writes bench/results/ingest-<date>.json.
 *   Options: --rows N (default 1,000,000), --runs N (default 3), --no-papa.
 * - train: training throughput and time to best validation NDCG@10 per model on the bundled
 *   sample, in Node (wasm, and cpu for one model) and in headless Chromium (bench/train.ts).
 * - accuracy: every model on MovieLens 100K when present, or on --dataset ml-100k-large |
 *   sample-20k | sample-100k | FILE (bench/train-accuracy.ts, bench/accuracy-data.ts).
 * - tune: one training run of one model with chosen settings (bench/tune.ts; not part of all).
 * - explain: explanation latency per method at history 50 and 200, Node and Chromium (wasm),
 *   next to the PyTorch reference run in the same benchmark run (bench/explain.ts; not part
 *   of all). Options: --users N, --quick, --model50 DIR, --model200 DIR, --no-browser, ...
 * - compare: time to build the whole model comparison (scoring, intervals and tests, the
 *   explanation agreement over 50 users) for two and four models, sample and ml-100k
 *   (bench/compare.ts; not part of all). Options: --runs N, --cap S, --no-ml100k.
 * - interests: time of the interest layers for one user, all users and the population, the
 *   evolution model's training and its forecast error against the baselines, sample and
 *   ml-100k (bench/interests.ts; not part of all).
 * - parquet: Parquet vs CSV ingest of the same 1,000,000 rows in Node (median of --runs), and a
 *   user-hash sample of a generated --gib GiB CSV (default 2) streamed with a capped heap: time,
 *   peak RSS, kept share (bench/parquet.ts; not part of all). Options: --rows N, --runs N,
 *   --row-group N, --gib G, --fraction F, --heap-mib M, --no-sample, --no-compare.
 * - train-speed: our SASRec against the PyTorch reference on ml-100k, the same configuration
 *   (2 blocks, width 64, length 50, exact softmax) at batch 32, 128 and 512: seconds per epoch,
 *   examples per second, the ratio (bench/train-speed.ts; not part of all). Options:
 *   --batches, --epochs, --ref-minutes, --ml100k.
 * - import: what importing a model from another engine costs (a 10,000-item Keras history-in
 *   and ids-in model, Spark ALS tables): reading, building, mapping and the evaluation it gets
 *   (bench/import.ts; not part of all). Options: --users N, --items N, --runs N.
 * - adversarial: core ingest in Node on hostile files generated in memory (quotes that never
 *   close, a field of stray quotes, ...), MB/s each (bench/ingest-adversarial.ts; not part of
 *   all). Options: --mb N (default 100), --runs N (default 1).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, resolveChromiumPath } from '../e2e/support/chromium';
import { writeSyntheticCsv } from '../e2e/support/synthetic-csv';
import { allowTfjsBundlerImports } from '../src/cli/tfjsResolveHook';
import { type AppRun, measureAppLoad } from './measure-app';
import { measurePapaParse, type PapaRun } from './measure-papa';
import { buildResult, printTable, writeResult } from './report';
import { ensureBuild, startPapaServer, startPreview } from './servers';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const rows = option('rows', 1_000_000);
const runs = option('runs', 3);
const withPapa = !process.argv.includes('--no-papa');

/**
 * tsx compiles this script with esbuild's keepNames, which wraps named functions inside the
 * callbacks we pass to `page.evaluate` in a `__name(...)` helper the page does not have.
 */
const KEEP_NAMES_SHIM = 'globalThis.__name = globalThis.__name || ((fn) => fn);';

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  await context.addInitScript({ content: KEEP_NAMES_SHIM });
  return context.newPage();
}

async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page
    .getByTestId('dataset-summary')
    .and(page.locator('[data-status="ready"]'))
    .waitFor({ timeout: 120_000 });
}

async function benchApp(
  browser: Browser,
  url: string,
  file: string,
): Promise<{ runs: AppRun[]; backend: string }> {
  const page = await newPage(browser);
  const timed: AppRun[] = [];
  for (let i = 0; i <= runs; i++) {
    await openApp(page, url); // a fresh page per run: comparable heap, nothing cached in the worker
    const run = await measureAppLoad(browser, page, file);
    console.log(`[bench] app ${i === 0 ? 'warm-up' : `run ${i}`}: ${run.wallMs.toFixed(0)} ms`);
    if (i > 0) timed.push(run);
  }
  const backend =
    (await page.getByTestId('backend-badge').getAttribute('data-backend')) ?? 'unknown';
  await page.context().close();
  return { runs: timed, backend };
}

async function benchPapa(browser: Browser, url: string, file: string): Promise<PapaRun[]> {
  const page = await newPage(browser);
  const timed: PapaRun[] = [];
  for (let i = 0; i <= runs; i++) {
    await page.goto(url);
    const run = await measurePapaParse(browser, page, file);
    console.log(`[bench] papa ${i === 0 ? 'warm-up' : `run ${i}`}: ${run.wallMs.toFixed(0)} ms`);
    if (i > 0) timed.push(run);
  }
  await page.context().close();
  return timed;
}

async function benchIngest(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lens-bench-'));
  const file = join(dir, `interactions-${rows}.csv`);
  console.log(`[bench] writing ${rows.toLocaleString('en')} rows to ${file}`);
  const csv = await writeSyntheticCsv(file, { rows });
  ensureBuild(root);
  const preview = await startPreview(root);
  const papaServer = await startPapaServer(root);
  const executablePath = resolveChromiumPath();
  const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
  try {
    const app = await benchApp(browser, preview.url, file);
    const papa = withPapa ? await benchPapa(browser, papaServer.url, file) : [];
    const result = buildResult({ csv, app: app.runs, backend: app.backend, papa, browser });
    printTable(result);
    const path = writeResult(join(root, 'bench', 'results'), result);
    console.log(`[bench] wrote ${path}`);
    if (!result.app.verified) process.exitCode = 1;
  } finally {
    await browser.close();
    await preview.close();
    await papaServer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const PARTS = [
  'ingest',
  'train',
  'accuracy',
  'tune',
  'explain',
  'compare',
  'interests',
  'adversarial',
  'fuzz',
  'parquet',
  'import',
  'train-speed',
  'all',
] as const;
type Part = (typeof PARTS)[number];

/** Options that take no value, so the word after them is not theirs. */
const FLAGS = new Set([
  '--no-papa',
  '--no-browser',
  '--quick',
  '--no-reference',
  '--no-sample',
  '--no-ml100k',
  '--no-ref-size',
  '--ref-size-browser',
  '--no-compare',
  '--no-heads',
]);

/** The first argument that is not an option (or an option's value) names the part to run. */
function chosenPart(): Part {
  const args = process.argv.slice(2);
  const takesValue = (arg: string | undefined) => arg?.startsWith('--') && !FLAGS.has(arg);
  const positional = args.filter((a, i) => !a.startsWith('--') && !takesValue(args[i - 1]));
  const part = positional[0] ?? 'all';
  if (!(PARTS as readonly string[]).includes(part)) {
    throw new Error(`unknown benchmark "${part}"; choose one of ${PARTS.join(', ')}.`);
  }
  return part as Part;
}

async function main(): Promise<void> {
  const part = chosenPart();
  // TF.js's ES build needs the resolve hook in plain Node; install it before any part loads it.
  allowTfjsBundlerImports();
  if (part === 'ingest' || part === 'all') await benchIngest();
  if (part === 'train' || part === 'all') {
    const { runTrainBench } = await import('./train');
    await runTrainBench(root);
  }
  if (part === 'tune') {
    const { runTune } = await import('./tune');
    await runTune();
  }
  if (part === 'explain') {
    const { runExplainBench } = await import('./explain');
    await runExplainBench(root);
  }
  if (part === 'compare') {
    const { runCompareBench } = await import('./compare');
    await runCompareBench(root);
  }
  if (part === 'interests') {
    const { runInterestsBench } = await import('./interests');
    await runInterestsBench(root);
  }
  if (part === 'adversarial') {
    const { runAdversarialBench } = await import('./ingest-adversarial');
    await runAdversarialBench();
  }
  if (part === 'parquet') {
    const { runParquetBench } = await import('./parquet');
    await runParquetBench(root);
  }
  if (part === 'train-speed') {
    const { runTrainSpeedBench } = await import('./train-speed');
    await runTrainSpeedBench(root);
  }
  if (part === 'import') {
    const { runImportBench } = await import('./import');
    await runImportBench(root);
  }
  if (part === 'fuzz') {
    const { runFuzzBench } = await import('./fuzz');
    await runFuzzBench(root);
  }
  if (part === 'accuracy' || part === 'all') {
    const { runAccuracyBench } = await import('./train-accuracy');
    await runAccuracyBench(root);
  }
}

main().catch((error: unknown) => {
  console.error(`[bench] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
