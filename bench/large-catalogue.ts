/**
 * `npx tsx bench/large-catalogue.ts [options]`: the large-catalogue experiment of issue 12.
 * Simulates a seeded, scaled configuration of the sample (src/core/sample/config.ts
 * `scaledSampleConfig`), ingests it as the page would (CSV through the core ingest), splits it
 * leave-last-out by time and trains pop, itemknn and the chosen neural models with the given
 * hyper-parameters under a time cap, printing validation NDCG@10 per epoch and the test figures.
 *
 * Options: --items N (default 20000), --models a,b (default sasrec), --hyper k=v,k=v (applied
 *   to every neural run; `|` separates several runs: `loss=softmax|loss=sampled-softmax`),
 *   --lr X, --batch N, --cap S (default 120), --epochs N (default 20), --patience N (default 3),
 *   --no-baselines.
 */
import { allowTfjsBundlerImports } from '../src/cli/tfjsResolveHook';

allowTfjsBundlerImports();

const { wasmBinaryFolder } = await import('../src/cli/backend');
const { initBackend } = await import('../src/core/backend');
const { ingestInteractions } = await import('../src/core/data');
const { bytesSource } = await import('../src/core/data/sources');
const { parseHyperText } = await import('../src/core/models/hyper');
const { scaledSampleConfig } = await import('../src/core/sample/config');
const { simulateSample } = await import('../src/core/sample/simulate');
const { toInteractionsCsv } = await import('../src/core/sample/format');
const { temporalLeaveLastOut } = await import('../src/core/train/split');
const { trainVariant } = await import('../src/core/train/variants');
const tf = await import('../src/core/tf');

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}
const num = (name: string, fallback?: number) => {
  const raw = option(name);
  return raw === undefined ? fallback : Number(raw);
};

const items = num('items', 20_000) as number;
const models = (option('models') ?? 'sasrec').split(',');
const hyperRuns = (option('hyper') ?? '').split('|');
const cap = num('cap', 120) as number;

await initBackend({ wasmPaths: wasmBinaryFolder() });
const config = scaledSampleConfig(items);
const simulated = simulateSample(config);
const csv = new TextEncoder().encode(toInteractionsCsv(simulated.interactions));
const { dataset } = await ingestInteractions(bytesSource(csv, 'interactions.csv'), null);
const split = temporalLeaveLastOut(dataset);
console.log(
  `[large] sample ${items} items configured: ${simulated.interactions.length} events, ` +
    `${dataset.userIds.length} users, ${dataset.itemIds.length} items seen; backend ${tf.getBackend()}`,
);

const at10 = (r: { atK: { k: number; ndcg: number; hitRate: number }[] } | null) => {
  const m = r?.atK.find((x) => x.k === 10);
  return m ? `NDCG@10 ${m.ndcg.toFixed(4)} HR@10 ${m.hitRate.toFixed(4)}` : 'n/a';
};

if (!process.argv.includes('--no-baselines')) {
  for (const id of ['pop', 'itemknn'] as const) {
    const { model, record } = await trainVariant(dataset, split, id);
    model.dispose();
    console.log(
      `[large] ${id}: validation ${at10(record.validation)}; test ${at10(record.test)} (${record.trainSeconds.toFixed(1)} s)`,
    );
  }
}

for (const id of models) {
  for (const hyperText of hyperRuns) {
    const hyper = hyperText ? parseHyperText(hyperText) : {};
    const started = performance.now();
    const { model, record } = await trainVariant(dataset, split, id as 'sasrec', {
      hyper,
      learningRate: num('lr'),
      batchSize: num('batch'),
      epochs: num('epochs', 20),
      patience: num('patience', 3),
      maxSeconds: cap,
      onEpoch: (p) => {
        console.log(
          `  ${id} ${hyperText || '(defaults)'} epoch ${p.epoch}: loss ${p.loss.toFixed(4)}, ` +
            `val ${at10(p.validation)}, ${p.trainSeconds.toFixed(1)} s steps, ` +
            `${((performance.now() - started) / 1000).toFixed(1)} s total`,
        );
      },
    });
    model.dispose();
    const described = record.lossDescription;
    console.log(
      `[large] ${id} ${hyperText || '(defaults)'}${described ? ` [${described}]` : ''}: ` +
        `best epoch ${record.bestEpoch}/${record.epochs} (${record.stoppedBy}), ` +
        `validation ${at10(record.validation)}; test ${at10(record.test)}; ${record.trainSeconds.toFixed(1)} s; tensors ${tf.memory().numTensors}`,
    );
  }
}
