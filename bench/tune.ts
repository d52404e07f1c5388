/**
 * `npm run bench -- tune --model <id> [options]`: one training run of one neural model on
 * MovieLens 100K (or any interactions file) with chosen training settings and
 * hyper-parameters, under the accuracy bench's protocol and time cap. It is the tool the
 * per-model training defaults were chosen with: run it over a grid, pick by *validation*
 * NDCG@10 (the test figures are printed, but choosing by them would overfit the test split).
 *
 * Options:
 *   --model ID            neural model (required)
 *   --lr X --batch N      Adam learning rate and windows per batch (default: the model's own)
 *   --hyper k=v,k=v       hyper-parameters (numbers or enum names), e.g. maxLen=50,dim=64
 *   --cap S               wall-clock cap of training in seconds (default 120)
 *   --epochs N --patience N --seed N   (defaults 200, 3, 42)
 *   --ml100k DIR          folder with u.data and u.item (default $ML100K_DIR or
 *                         /work/shared/data/ml-100k); --interactions FILE [--items FILE] instead
 *   --out FILE            also write the result as JSON to FILE
 * The wasm binaries are read from $TFJS_WASM_DIR when set (a bundled copy of this script),
 * else from the installed package.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { wasmBinaryFolder } from '../src/cli/backend';
import { initBackend } from '../src/core/backend';
import { parseHyperText } from '../src/core/models/hyper';
import type { ModelId } from '../src/core/models/types';
import { trainingDefaults } from '../src/core/train/variants';
import { loadBenchData, trainCapped } from './train-node';
import { loadNow, machineFacts } from './train-report';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function numberOption(name: string): number | undefined {
  const raw = option(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number; got ${raw}.`);
  return value;
}

export async function runTune(): Promise<void> {
  const model = option('model') as ModelId | undefined;
  if (!model) throw new Error('tune needs --model <id>.');
  const dir = option('ml100k') ?? process.env.ML100K_DIR ?? '/work/shared/data/ml-100k';
  const interactions = option('interactions') ?? join(dir, 'u.data');
  if (!existsSync(interactions)) {
    console.log(`[tune] skipped: no interactions file at ${interactions}.`);
    return;
  }
  const itemsOption = option('items') ?? (option('interactions') ? undefined : join(dir, 'u.item'));
  const items = itemsOption && existsSync(itemsOption) ? itemsOption : null;
  const hyperText = option('hyper');
  const hyper = hyperText ? parseHyperText(hyperText) : {};
  const defaults = trainingDefaults(model);
  const settings = {
    learningRate: numberOption('lr') ?? defaults.learningRate,
    batchSize: numberOption('batch') ?? defaults.batchSize,
    capSeconds: numberOption('cap') ?? 120,
    epochs: numberOption('epochs') ?? 200,
    patience: numberOption('patience') ?? 3,
    seed: numberOption('seed') ?? 42,
  };
  const loadStart = loadNow();
  const backend = await initBackend({ wasmPaths: process.env.TFJS_WASM_DIR ?? wasmBinaryFolder() });
  const data = await loadBenchData(interactions, items);
  const label = `${model} ${JSON.stringify({ ...settings, hyper })}`;
  console.log(`[tune] ${label} on ${backend.backend}`);
  const run = await trainCapped(data, model, 'neural', {
    ...settings,
    hyper,
    backend: backend.backend,
    log: (line) => console.log(line),
  });
  const result = {
    date: new Date().toISOString(),
    machine: machineFacts(loadStart, null),
    data: interactions.split('/').slice(-2).join('/'),
    model,
    settings,
    hyper,
    run,
  };
  console.log(
    `[tune] ${label}: best epoch ${run.bestEpoch} at ${run.secondsToBestValidation} s, ` +
      `validation NDCG@10 ${run.validation?.ndcg10} HR@10 ${run.validation?.hr10}; ` +
      `test NDCG@10 ${run.test.ndcg10} HR@10 ${run.test.hr10}`,
  );
  const out = option('out');
  if (out) writeFileSync(out, `${JSON.stringify(result)}\n`);
}
