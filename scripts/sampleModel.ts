/**
 * The work of `npm run sample-model` (scripts/train-sample-model.ts): ingest the bundled sample,
 * train one model with fixed settings on the wasm backend, evaluate it and pop on the same
 * split, and write model.json + weights.bin. Import only after `allowTfjsBundlerImports()`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { forceBackend } from '../src/core/backend';
import { ingestInteractions, ingestItemMetadata } from '../src/core/data';
import { fileSource } from '../src/core/data/nodeSource';
import type { MetricReport } from '../src/core/models/baseline-types';
import { itemFeaturesFromDataset } from '../src/core/models/features';
import type { ModelId } from '../src/core/models/types';
import { encodeModel, WEIGHTS_FILE } from '../src/core/persist';
import { temporalLeaveLastOut } from '../src/core/train/split';
import { isKnownVariant, trainVariant } from '../src/core/train/variants';

/** The names the page gives the bundled files, so the shipped model reads like one it trained. */
const DATASET_NAME = 'sample interactions.csv';

export interface SampleModelSettings {
  model: string;
  maxLen: number;
  dim: number;
  epochs: number;
  patience: number;
  seed: number;
  out: string;
}

const atK = (report: MetricReport | null, k: number) => report?.atK.find((m) => m.k === k);

function metricsLine(report: MetricReport | null): string {
  const at10 = atK(report, 10);
  const at20 = atK(report, 20);
  if (!report || !at10 || !at20) return 'none';
  return (
    `NDCG@10 ${at10.ndcg.toFixed(4)}, HR@10 ${at10.hitRate.toFixed(4)}, ` +
    `NDCG@20 ${at20.ndcg.toFixed(4)}, HR@20 ${at20.hitRate.toFixed(4)}, MRR ${report.mrr.toFixed(4)}`
  );
}

export async function trainSampleModel(root: string, settings: SampleModelSettings): Promise<void> {
  const id = settings.model;
  if (!isKnownVariant(id)) throw new Error(`No model variant named ${id}.`);
  const require = createRequire(import.meta.url);
  const wasmDir = `${path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}${path.sep}`;
  await forceBackend('wasm', { wasmPaths: wasmDir });

  const sample = path.join(root, 'sample-data');
  const interactions = await ingestInteractions(
    await fileSource(path.join(sample, 'interactions.csv')),
    null,
  );
  const { dataset } = await ingestItemMetadata(
    await fileSource(path.join(sample, 'items.csv')),
    null,
    interactions.dataset,
  );
  const split = temporalLeaveLastOut(dataset);
  console.log(
    `sample: ${dataset.userIds.length} users, ${dataset.itemIds.length} items, ${dataset.item.length} interactions`,
  );

  const pop = await trainVariant(dataset, split, 'pop');
  pop.model.dispose();
  console.log(`pop    test: ${metricsLine(pop.record.test)}`);

  const started = performance.now();
  const { model, record } = await trainVariant(dataset, split, id as ModelId, {
    hyper: { maxLen: settings.maxLen, dim: settings.dim },
    epochs: settings.epochs,
    patience: settings.patience,
    seed: settings.seed,
    features: itemFeaturesFromDataset(dataset),
    onEpoch: (p) => {
      const ndcg = atK(p.validation, 10)?.ndcg ?? Number.NaN;
      console.log(
        `epoch ${p.epoch}/${settings.epochs}: loss ${p.loss.toFixed(4)}, validation NDCG@10 ${ndcg.toFixed(4)} (${p.trainSeconds.toFixed(1)} s)`,
      );
    },
  });
  try {
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${id} trained in ${record.trainSeconds.toFixed(1)} s (${seconds.toFixed(1)} s with evaluation), ` +
        `${record.epochs} epochs, best ${record.bestEpoch}, stopped by ${record.stoppedBy}`,
    );
    console.log(`${id} validation: ${metricsLine(record.validation)}`);
    console.log(`${id} test: ${metricsLine(record.test)}`);
    const name = `${id} on the sample (pre-trained)`;
    const files = encodeModel(model, record, dataset, DATASET_NAME, name);
    mkdirSync(settings.out, { recursive: true });
    const jsonPath = path.join(settings.out, 'model.json');
    const binPath = path.join(settings.out, WEIGHTS_FILE);
    writeFileSync(jsonPath, `${files.modelJson}\n`, 'utf8');
    writeFileSync(binPath, files.weightsBin);
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
    console.log(`wrote ${jsonPath} (${kib(Buffer.byteLength(files.modelJson))})`);
    console.log(`wrote ${binPath} (${kib(files.weightsBin.byteLength)})`);
  } finally {
    model.dispose();
  }
}
