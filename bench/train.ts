/**
 * `npm run bench -- train`: training throughput (next-item examples per second of training
 * steps) and time to the best validation NDCG@10 for every model on the bundled sample
 * (sample-data/), in Node on wasm; the cpu backend for one small model as a ratio; and in
 * headless Chromium on wasm, driving the real app, for the fastest neural model and sasrec.
 * Prints tables and writes bench/results/train-<date>.json.
 *
 * Options: --train-cap SECONDS per model in Node (default 60), --browser-epochs N (default 3),
 * --cpu-model ID (default weighted), --no-browser.
 */
import { join } from 'node:path';
import { wasmBinaryFolder } from '../src/cli/backend';
import { forceBackend, initBackend } from '../src/core/backend';
import type { ModelId } from '../src/core/models/types';
import { availableVariants, DEFAULT_TRAINING } from '../src/core/train/variants';
import { round } from './stats';
import { type BrowserTrainRun, openBrowserSession, trainInBrowser } from './train-browser';
import { type BenchRun, loadBenchData, stepThroughput, trainCapped } from './train-node';
import { loadNow, machineFacts, runRow, writeNamedResult } from './train-report';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** One model trained the same way (epochs, seed) in Node and in Chromium. */
interface NodeVsBrowser {
  model: string;
  epochs: number;
  node: { secondsForEpochs: number | null; examplesPerSecond: number | null };
  browser: BrowserTrainRun;
  /** Browser time / Node time for the same epochs (above 1: the browser is slower). */
  timeRatio: number | null;
  /** Browser examples/s / Node examples/s. */
  throughputRatio: number | null;
}

/** Seconds per epoch (steps only) of a run: the measure of "fastest". */
const secondsPerEpoch = (run: BenchRun) =>
  run.examplesPerSecond && run.examplesPerEpoch
    ? run.examplesPerEpoch / run.examplesPerSecond
    : Number.POSITIVE_INFINITY;

async function browserPart(
  root: string,
  nodeRuns: BenchRun[],
  epochs: number,
): Promise<{ chromium: string; backend: string; runs: NodeVsBrowser[] }> {
  const neural = nodeRuns.filter((r) => r.kind === 'neural');
  const fastest = [...neural].sort((a, b) => secondsPerEpoch(a) - secondsPerEpoch(b))[0];
  const chosen = [...new Set([fastest?.model, 'sasrec'])].filter(
    (id): id is ModelId => id !== undefined && neural.some((r) => r.model === id),
  );
  const session = await openBrowserSession(root);
  console.log(`[train] Chromium ${session.version}, page backend ${session.backend}`);
  const runs: NodeVsBrowser[] = [];
  try {
    for (const id of chosen) {
      console.log(`[train] browser: ${id}, ${epochs} epochs...`);
      const browser = await trainInBrowser(
        session.page,
        id,
        epochs,
        DEFAULT_TRAINING.seed,
        600_000,
      );
      const node = nodeRuns.find((r) => r.model === id) as BenchRun;
      const at = node.epochs.find((e) => e.epoch === epochs)?.atSeconds ?? null;
      runs.push({
        model: id,
        epochs,
        node: { secondsForEpochs: at, examplesPerSecond: node.examplesPerSecond },
        browser,
        timeRatio:
          at !== null && browser.cardTrainSeconds !== null
            ? round(browser.cardTrainSeconds / at, 2)
            : null,
        throughputRatio:
          node.examplesPerSecond && browser.examplesPerSecond
            ? round(browser.examplesPerSecond / node.examplesPerSecond, 2)
            : null,
      });
      console.log(`[train] browser ${id}: ${JSON.stringify(browser)}`);
    }
  } finally {
    await session.close();
  }
  return { chromium: session.version, backend: session.backend, runs };
}

/** Runs the training benchmark on the bundled sample and writes train-<date>.json. */
export async function runTrainBench(root: string): Promise<void> {
  const capSeconds = Number(option('train-cap') ?? 60);
  const browserEpochs = Number(option('browser-epochs') ?? 3);
  const cpuModel = (option('cpu-model') ?? 'weighted') as ModelId;
  const loadStart = loadNow();
  const wasm = await initBackend({ wasmPaths: wasmBinaryFolder() });
  console.log(`[train] backend: ${wasm.reason}`);
  const data = await loadBenchData(
    join(root, 'sample-data', 'interactions.csv'),
    join(root, 'sample-data', 'items.csv'),
  );
  console.log(
    `[train] sample: ${data.dataset.userIds.length} users, ${data.dataset.itemIds.length} items, ${data.rows.accepted} interactions`,
  );
  const runs: BenchRun[] = [];
  for (const v of availableVariants()) {
    console.log(`[train] node wasm: ${v.id}...`);
    runs.push(
      await trainCapped(data, v.id as ModelId, v.kind, {
        capSeconds,
        epochs: DEFAULT_TRAINING.epochs,
        patience: DEFAULT_TRAINING.patience,
        backend: wasm.backend,
        log: (line) => console.log(line),
      }),
    );
  }
  console.table(runs.map(runRow));

  // wasm against cpu on the same steps of one small model: the ratio, not a full training.
  console.log(`[train] ${cpuModel}: 20 s of steps on wasm, then on cpu...`);
  const wasmSteps = await stepThroughput(data, cpuModel, 20);
  await forceBackend('cpu');
  const cpuSteps = await stepThroughput(data, cpuModel, 40).catch((error: unknown) => ({
    error: error instanceof Error ? error.message : String(error),
  }));
  await forceBackend('wasm', { wasmPaths: wasmBinaryFolder() });
  const cpuRatio =
    'examplesPerSecond' in cpuSteps
      ? round(wasmSteps.examplesPerSecond / Math.max(cpuSteps.examplesPerSecond, 1e-9), 1)
      : null;
  console.log(
    `[train] ${cpuModel}: wasm ${JSON.stringify(wasmSteps)}, cpu ${JSON.stringify(cpuSteps)}, wasm/cpu ${cpuRatio}`,
  );

  const browser = process.argv.includes('--no-browser')
    ? null
    : await browserPart(root, runs, browserEpochs).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        console.log(`[train] browser part failed: ${message}`);
        process.exitCode = 1;
        return { error: message };
      });
  if (browser && 'runs' in browser) {
    console.table(
      browser.runs.map((r) => ({
        model: r.model,
        epochs: r.epochs,
        'node s': r.node.secondsForEpochs,
        'chromium s': r.browser.cardTrainSeconds,
        'chromium/node time': r.timeRatio,
        'node ex/s': r.node.examplesPerSecond,
        'chromium ex/s': r.browser.examplesPerSecond,
        'chromium/node ex/s': r.throughputRatio,
        'chromium HR@10': r.browser.hr10,
      })),
    );
  }
  const result = {
    date: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ') || 'train'}`,
    machine: machineFacts(loadStart, browser && 'chromium' in browser ? browser.chromium : null),
    backend: { node: wasm.backend, reason: wasm.reason },
    data: {
      name: 'bundled sample (sample-data/interactions.csv + items.csv)',
      users: data.dataset.userIds.length,
      items: data.dataset.itemIds.length,
      interactions: data.rows.accepted,
    },
    settings: {
      capSecondsPerModel: capSeconds,
      maxEpochs: DEFAULT_TRAINING.epochs,
      patience: DEFAULT_TRAINING.patience,
      training: "each model's own learning rate and batch size (registry, per run below)",
      seed: DEFAULT_TRAINING.seed,
      hyper: 'registry defaults',
      examplesPerSecond:
        'median over finished epochs of next-item examples / seconds of training steps (validation excluded)',
      secondsToBestValidation:
        'wall seconds from the start until the validation pass of the kept epoch finished',
    },
    node: runs,
    cpuVsWasm: { model: cpuModel, wasm: wasmSteps, cpu: cpuSteps, wasmOverCpu: cpuRatio },
    browser,
  };
  const path = writeNamedResult(join(root, 'bench', 'results'), 'train', result);
  console.log(`[train] wrote ${path}`);
}
