/**
 * Writes the bundled sample dataset (sample-data/) from the seeded simulation in
 * src/core/sample. Run with `npm run sample-data`; see docs/sample-data.md.
 *
 *   npm run sample-data                                    # seed 42 into sample-data/
 *   npx tsx scripts/generate-sample-data.ts --seed 7 --out /tmp/sample-7
 *
 * The committed files are checked against the generator by a unit test, so another seed must
 * go to another directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SAMPLE_CONFIG } from '../src/core/sample/config';
import { renderSampleFiles } from '../src/core/sample/format';
import { simulateSample } from '../src/core/sample/simulate';

const defaultDirectory = fileURLToPath(new URL('../sample-data/', import.meta.url));

function parseArguments(argv: string[]): { seed: number; out: string } {
  let seed = DEFAULT_SAMPLE_CONFIG.seed;
  let out: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--seed' && value !== undefined) {
      seed = Number(value);
      if (!Number.isSafeInteger(seed)) throw new Error(`--seed needs an integer, got "${value}".`);
      i++;
    } else if (flag === '--out' && value !== undefined) {
      out = resolve(value);
      i++;
    } else {
      throw new Error(`Unknown argument "${flag}". Usage: [--seed N] [--out DIRECTORY]`);
    }
  }
  if (seed !== DEFAULT_SAMPLE_CONFIG.seed && out === null) {
    throw new Error('A seed other than the default needs --out (sample-data/ holds seed 42).');
  }
  return { seed, out: out ?? defaultDirectory };
}

function main(): void {
  const { seed, out } = parseArguments(process.argv.slice(2));
  const sample = simulateSample({ seed });
  const files = renderSampleFiles(sample);
  mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    const path = join(out, name);
    writeFileSync(path, text, 'utf8');
    const kib = (Buffer.byteLength(text, 'utf8') / 1024).toFixed(1);
    console.log(`wrote ${path} (${kib} KiB)`);
  }
  const s = sample.groundTruth.summary;
  console.log(
    `seed ${seed}: ${s.interactions} interactions, ${s.users} users, ${s.items} items with ` +
      `interactions (${sample.items.length} in the catalogue), ${sample.groundTruth.categories.length} categories, ` +
      `${s.driftingUsers} drifting users, ${s.surfaceBursts} surface bursts`,
  );
  console.log(`events: ${JSON.stringify(s.eventTypes)}; layers: ${JSON.stringify(s.layers)}`);
}

main();
