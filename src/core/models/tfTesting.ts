/**
 * Test-only helpers for the neural models: switch TF.js to a named backend in Node (the wasm
 * binaries are read from node_modules) and build small planted sequential datasets.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { forceBackend } from '../backend';
import type { BackendName } from '../backend/types';
import type { Dataset } from '../data/types';
import { type InteractionRow, makeDataset } from '../train/testing';

const require = createRequire(import.meta.url);
const wasmDir = `${path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}${path.sep}`;

/** Runs TF.js on `name` ('cpu' or 'wasm' in Node) from here on. */
export async function useBackend(name: BackendName): Promise<void> {
  await forceBackend(name, { wasmPaths: wasmDir });
}

/**
 * Users walk a cycle over the catalogue: user u starts at item `(7u) mod numItems` and each
 * next item is the previous one + 1 (mod numItems), so the next item is fully determined by the
 * last one, while every item is about equally popular (pop is near chance). Item indices follow
 * first appearance, so "next" is a fixed permutation of the indices, which is all a model needs.
 */
export function cycleDataset(users: number, numItems: number, length: number): Dataset {
  const rows: InteractionRow[] = [];
  for (let u = 0; u < users; u++) {
    for (let t = 0; t < length + (u % 3); t++) {
      rows.push([`u${u}`, `i${(7 * u + t) % numItems}`, 1000 * t]);
    }
  }
  return makeDataset(rows);
}
