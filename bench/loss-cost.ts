/**
 * `npx tsx bench/loss-cost.ts [--items 2500,5000,...] [--windows 32] [--runs 3]`: what one
 * training batch costs on wasm, exact softmax against the corrected sampled softmax, as the
 * catalogue grows (issue 12; the figures behind `AUTO_SOFTMAX_MAX_ITEMS`).
 *
 * For each catalogue size it times, at sasrec's default batch (32 windows of 50 positions, every
 * position a target: 1,600 examples, the most a batch holds) and width (64):
 * - `loss`: the next-item loss and its backward pass alone (hidden states and item table as
 *   variables): the `[positions, items]` logits + softmax + gradients, against the sampled
 *   softmax (default negatives, popularity-mixed, plus in-batch targets);
 * - `step`: a whole sasrec training step (encoder, loss, backward, Adam) with each loss, which
 *   is what the auto threshold compares.
 * Median of `runs` timed repetitions after one warm-up. The machine's load is printed: on a
 * shared machine the absolute times move, the ratios much less.
 */
import { loadavg } from 'node:os';
import { allowTfjsBundlerImports } from '../src/cli/tfjsResolveHook';
import type * as TfTypes from '../src/core/tf';

allowTfjsBundlerImports();

const { wasmBinaryFolder } = await import('../src/cli/backend');
const { initBackend } = await import('../src/core/backend');
const tf = await import('../src/core/tf');
const { nextItemLoss } = await import('../src/core/models/losses');
const { SEQUENCE_HYPER } = await import('../src/core/models/hyper');
const { createModel } = await import('../src/core/models/registry');
const { candidateProposal, drawCandidates } = await import('../src/core/train/candidates');
const { SeededRandom } = await import('../src/core/random');
type TrainingBatch = import('../src/core/models/types').TrainingBatch;

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

const sizes = option('items', '2500,5000,10000,20000,50000').split(',').map(Number);
const windows = Number(option('windows', '32'));
const runs = Number(option('runs', '3'));
const maxLen = 50;
const dim = 64;
const negatives = Number(option('negatives', String(SEQUENCE_HYPER.sharedNegatives.default)));
const popularity = SEQUENCE_HYPER.popularNegatives.default as number;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(fn: () => Promise<void>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

/** A full batch: every position a target; targets and inputs by Zipf(1) popularity. */
function batchOf(numItems: number, rng: InstanceType<typeof SeededRandom>): TrainingBatch {
  const counts = Float64Array.from({ length: numItems }, (_, i) => 1000 / (i + 1));
  const zipf = candidateProposal(counts, 1);
  const examples = windows * maxLen;
  const tokens = new Int32Array(examples);
  const draw = () => {
    const x = rng.next();
    let lo = 0;
    let hi = numItems - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (zipf.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo + 1;
  };
  for (let i = 0; i < examples; i++) tokens[i] = draw();
  const targetTokens = Int32Array.from({ length: examples }, draw);
  const sampling = { negatives, popularity, inBatch: true };
  return {
    inputs: { tokens, batch: windows, maxLen },
    targetPositions: Int32Array.from({ length: examples }, (_, i) => i),
    targetTokens,
    negatives: new Int32Array(0),
    numNegatives: 0,
    sharedNegatives: new Int32Array(0),
    candidates: drawCandidates(candidateProposal(counts, popularity), sampling, targetTokens, rng),
  };
}

const backend = await initBackend({ wasmPaths: wasmBinaryFolder() });
console.log(
  `[loss-cost] ${backend.backend}; batch ${windows} windows x ${maxLen} positions = ${windows * maxLen} examples, ` +
    `dim ${dim}, sampled: ${negatives} negatives (${popularity} popularity) + in-batch; load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
);
console.log(
  'items | candidates | loss ms: softmax / sampled | step ms: softmax / sampled | step ratio',
);
for (const numItems of sizes) {
  const rng = new SeededRandom(numItems, 'loss-cost');
  const batch = batchOf(numItems, rng);
  const examples = batch.targetTokens.length;
  const hidden = tf.tidy(() => tf.variable(tf.randomNormal([examples, dim], 0, 1, 'float32', 1)));
  const table = tf.tidy(() =>
    tf.variable(tf.randomNormal([numItems + 1, dim], 0, 0.1, 'float32', 2)),
  );
  const lossOnly = (kind: 'softmax' | 'sampled-softmax', form: 'one-hot' | 'log-sum-exp') => () =>
    time(async () => {
      const { value, grads } = tf.variableGrads(
        () => nextItemLoss(kind, hidden as TfTypes.Tensor2D, table, batch, form),
        [hidden, table],
      );
      await value.data();
      await grads[table.name].data();
      value.dispose();
      tf.dispose(Object.values(grads));
    });
  const attempt = async (fn: () => Promise<number>) => {
    try {
      return (await fn()).toFixed(0);
    } catch (error) {
      return `failed (${String((error as Error).message ?? error).slice(0, 40)})`;
    }
  };
  const exact = await attempt(lossOnly('softmax', 'one-hot'));
  const sampled = await attempt(lossOnly('sampled-softmax', 'one-hot'));
  tf.dispose([hidden, table]);

  const step = (loss: string) => async () => {
    const model = createModel(
      'sasrec',
      numItems,
      { loss, dropout: 0.2, sharedNegatives: negatives },
      3,
    );
    const withCandidates = model.trainingCandidates ? batch : { ...batch, candidates: undefined };
    const optimizer = tf.train.adam(0.001);
    const variables = model.trainableVariables();
    try {
      return await time(async () => {
        const l = optimizer.minimize(() => model.trainingLoss(withCandidates), true, variables);
        await l?.data();
        l?.dispose();
      });
    } finally {
      optimizer.dispose();
      model.dispose();
    }
  };
  const stepSoftmax = await attempt(step('softmax'));
  const stepSampled = await attempt(step('sampled-softmax'));
  const ratio = (Number(stepSoftmax) / Number(stepSampled)).toFixed(2);
  console.log(
    `${numItems} | ${batch.candidates?.tokens.length} | ${exact} / ${sampled} | ${stepSoftmax} / ${stepSampled} | ${ratio} (tensors ${tf.memory().numTensors})`,
  );
}
console.log(
  `[loss-cost] load after ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
