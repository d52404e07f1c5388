/**
 * `npm run bench -- train-speed`: our SASRec against the PyTorch reference
 * (/work/shared/reference/train.py) on MovieLens 100K, in one run on one machine, with the same
 * configuration: 2 blocks, 1 head, width 64, history length 50, dropout 0.2, the exact softmax
 * over all items, Adam at 0.001, at batch 32, 128 and 512. Reported per batch size: seconds per
 * training epoch (validation excluded, the median of the epochs after the first), next-item
 * examples per second, and the ratio ours / PyTorch. The reference runs when a Python with torch
 * is found ($PYTHON, /usr/bin/python3: Debian's python3-torch); otherwise only ours is measured.
 *
 * Options: --ml100k DIR, --batches 32,128,512, --epochs N (ours, default 3), --ref-minutes M
 * (the reference's wall budget per batch size, default 1.5). Writes
 * bench/results/train-speed-<date>.json. Import only after `allowTfjsBundlerImports()`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { wasmBinaryFolder } from '../src/cli/backend';
import { initBackend } from '../src/core/backend';
import { trainingWindows } from '../src/core/train/batches';
import { trainVariant } from '../src/core/train/variants';
import { findTorchPython } from './explain-reference';
import { median, round } from './stats';
import { loadBenchData } from './train-node';
import { writeNamedResult } from './train-report';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const REFERENCE = '/work/shared/reference';
const HYPER = { blocks: 2, heads: 1, dim: 64, maxLen: 50, dropout: 0.2, loss: 'softmax' };
const LEARNING_RATE = 0.001;

interface Side {
  epochs: number;
  secondsPerEpoch: number | null;
  examplesPerSecond: number | null;
  bestValidationNdcg10: number | null;
}

/** Seconds per epoch after the first (warm-up), or the first when there is only one. */
const steady = (seconds: number[]) =>
  seconds.length > 1 ? median(seconds.slice(1)) : (seconds[0] ?? Number.NaN);

async function ours(
  data: Awaited<ReturnType<typeof loadBenchData>>,
  batch: number,
  epochs: number,
): Promise<Side & { examplesPerEpoch: number }> {
  const seconds: number[] = [];
  // Every training transition is predicted once per epoch (the same count in the reference).
  const examples = trainingWindows(data.split.train, HYPER.maxLen).examples;
  let best = Number.NEGATIVE_INFINITY;
  const { model } = await trainVariant(data.dataset, data.split, 'sasrec', {
    hyper: HYPER,
    epochs,
    batchSize: batch,
    learningRate: LEARNING_RATE,
    patience: epochs,
    seed: 42,
    onEpoch: (p) => {
      seconds.push(p.trainSeconds);
      best = Math.max(best, p.validation.atK.find((m) => m.k === 10)?.ndcg ?? best);
    },
  });
  model.dispose();
  const perEpoch = steady(seconds);
  return {
    epochs: seconds.length,
    secondsPerEpoch: round(perEpoch, 2),
    examplesPerSecond: examples > 0 ? Math.round(examples / perEpoch) : null,
    examplesPerEpoch: examples,
    bestValidationNdcg10: Number.isFinite(best) ? round(best, 4) : null,
  };
}

/** The reference at one batch size: its per-epoch training seconds from its log lines. */
function reference(python: string, batch: number, minutes: number, examplesPerEpoch: number): Side {
  const run = spawnSync(
    python,
    [
      'train.py',
      '--dataset',
      'ml-100k',
      '--model',
      'sasrec',
      '--loss',
      'ce',
      '--max-len',
      String(HYPER.maxLen),
      '--dropout',
      String(HYPER.dropout),
      '--lr',
      String(LEARNING_RATE),
      '--batch',
      String(batch),
      '--eval-every',
      '1',
      '--max-minutes',
      String(minutes),
      '--tag',
      `speed-b${batch}`,
    ],
    {
      cwd: REFERENCE,
      encoding: 'utf8',
      env: { ...process.env, REF_OUT: '/tmp/interest-lens-reference-speed' },
    },
  );
  if (run.status !== 0) throw new Error(`reference failed: ${run.stderr.slice(-500)}`);
  const cumulative: number[] = [];
  let best = Number.NEGATIVE_INFINITY;
  for (const line of run.stdout.split('\n')) {
    const m = /ep\s+(\d+) loss \S+ val NDCG@10 (\S+) HR@10 \S+ train (\d+(?:\.\d+)?)s/.exec(line);
    if (!m) continue;
    cumulative.push(Number(m[3]));
    best = Math.max(best, Number(m[2]));
  }
  // The reference prints whole seconds: differences of its cumulative training time.
  const perEpoch = cumulative.map((c, i) => c - (i > 0 ? cumulative[i - 1] : 0));
  const seconds = steady(perEpoch);
  return {
    epochs: perEpoch.length,
    secondsPerEpoch: Number.isFinite(seconds) ? round(seconds, 2) : null,
    examplesPerSecond:
      Number.isFinite(seconds) && seconds > 0 ? Math.round(examplesPerEpoch / seconds) : null,
    bestValidationNdcg10: Number.isFinite(best) ? round(best, 4) : null,
  };
}

export async function runTrainSpeedBench(root: string): Promise<void> {
  const dir = option('ml100k') ?? process.env.ML100K_DIR ?? '/work/shared/data/ml-100k';
  if (!existsSync(join(dir, 'u.data'))) {
    console.log(`[train-speed] skipped: no MovieLens 100K at ${dir} (pass --ml100k DIR).`);
    return;
  }
  const batches = (option('batches') ?? '32,128,512').split(',').map(Number);
  const epochs = Number(option('epochs') ?? 3);
  const refMinutes = Number(option('ref-minutes') ?? 1.5);
  const backend = await initBackend({ wasmPaths: wasmBinaryFolder() });
  const data = await loadBenchData(join(dir, 'u.data'), null);
  const torch = findTorchPython();
  const threads = torch
    ? spawnSync(torch.python, ['-c', 'import torch; print(torch.get_num_threads())'], {
        encoding: 'utf8',
      }).stdout.trim()
    : null;
  console.log(
    `[train-speed] ${backend.reason}; reference: ${torch ? `torch ${torch.torch} (${threads} threads)` : 'no Python with torch found'}`,
  );
  const rows = [];
  for (const batch of batches) {
    console.log(`[train-speed] batch ${batch}: ours...`);
    const o = await ours(data, batch, epochs);
    console.log(`[train-speed] batch ${batch}: reference...`);
    const r = torch ? reference(torch.python, batch, refMinutes, o.examplesPerEpoch) : null;
    rows.push({
      batch,
      oursSecondsPerEpoch: o.secondsPerEpoch,
      referenceSecondsPerEpoch: r?.secondsPerEpoch ?? null,
      ratio:
        r?.secondsPerEpoch && o.secondsPerEpoch
          ? round(o.secondsPerEpoch / r.secondsPerEpoch, 2)
          : null,
      oursExamplesPerSecond: o.examplesPerSecond,
      referenceExamplesPerSecond: r?.examplesPerSecond ?? null,
      oursEpochs: o.epochs,
      referenceEpochs: r?.epochs ?? null,
      oursBestValidationNdcg10: o.bestValidationNdcg10,
      referenceBestValidationNdcg10: r?.bestValidationNdcg10 ?? null,
    });
    console.table(rows);
  }
  const result = {
    date: new Date().toISOString(),
    machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`,
    backend: backend.backend,
    reference: torch ? { torch: torch.torch, threads } : null,
    configuration: { ...HYPER, learningRate: LEARNING_RATE, dataset: 'ml-100k' },
    rows,
  };
  console.log(`wrote ${writeNamedResult(join(root, 'bench', 'results'), 'train-speed', result)}`);
}
