/**
 * Trains the small pre-trained model shipped for the bundled sample (public/sample-model/), so
 * the page can explain a recommendation on first run without training. Run with
 * `npm run sample-model`; see docs/sample-data.md ("The shipped model").
 *
 *   npm run sample-model                                         # writes public/sample-model/
 *   npx tsx scripts/train-sample-model.ts --out /tmp/m --epochs 4 # other settings, elsewhere
 *
 * Same ingest (sample-data/interactions.csv + items.csv), temporal leave-last-out split,
 * `trainVariant` and `encodeModel` as the page and `lens train`, on the wasm backend, with a
 * fixed seed and a fixed epoch count (no wall-clock limit deciding the epochs), so a rerun on
 * any machine trains the same model; the files differ only in their timestamps and timings.
 */
import { fileURLToPath } from 'node:url';
import { allowTfjsBundlerImports } from '../src/cli/tfjsResolveHook';
import type { SampleModelSettings } from './sampleModel';

/**
 * The shipped settings (docs/sample-data.md says why): sasrec (1 block, 1 head), history 50,
 * width 64, at most 12 epochs with patience 3 (it stops after 10, keeping epoch 7), seed 42.
 */
const DEFAULTS = {
  model: 'sasrec',
  maxLen: 50,
  dim: 64,
  epochs: 12,
  patience: 3,
  seed: 42,
};

const root = fileURLToPath(new URL('..', import.meta.url));

function parseArguments(argv: string[]): SampleModelSettings {
  const settings: SampleModelSettings = { ...DEFAULTS, out: `${root}public/sample-model` };
  const numeric = new Set(['maxLen', 'dim', 'epochs', 'patience', 'seed']);
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    const key = flag?.replace(/^--/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    if (!flag?.startsWith('--') || value === undefined || !(key in settings)) {
      throw new Error(
        `Unknown argument "${flag}". Usage: [--model ID] [--max-len N] [--dim N] [--epochs N] [--patience N] [--seed N] [--out DIRECTORY]`,
      );
    }
    if (numeric.has(key)) {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 0)
        throw new Error(`${flag} needs an integer, got "${value}".`);
      (settings as unknown as Record<string, number>)[key] = n;
    } else (settings as unknown as Record<string, string>)[key] = value;
  }
  return settings;
}

async function main(): Promise<void> {
  const settings = parseArguments(process.argv.slice(2));
  // TF.js's ES build needs the resolve hook in plain Node; install it before anything loads it.
  allowTfjsBundlerImports();
  const { trainSampleModel } = await import('./sampleModel');
  await trainSampleModel(root, settings);
}

main().catch((error: unknown) => {
  console.error(`sample-model: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
