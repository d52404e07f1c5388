/**
 * Test-only helpers for the pre-trained sample model (public/sample-model/, written by
 * `npm run sample-model`): the bundled sample loaded with the core ingest, as the page and the
 * CLI load it, the shipped files, and the planted ground truth.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestInteractions, ingestItemMetadata } from '../data';
import { fileSource } from '../data/nodeSource';
import type { Dataset } from '../data/types';
import type { SampleGroundTruth } from './types';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SAMPLE_DIR = path.join(ROOT, 'sample-data');
export const SAMPLE_MODEL_DIR = path.join(ROOT, 'public/sample-model');

/** interactions.csv joined with items.csv, exactly as the page ingests the bundled sample. */
export async function loadSampleDataset(): Promise<Dataset> {
  const interactions = await ingestInteractions(
    await fileSource(path.join(SAMPLE_DIR, 'interactions.csv')),
    null,
  );
  const joined = await ingestItemMetadata(
    await fileSource(path.join(SAMPLE_DIR, 'items.csv')),
    null,
    interactions.dataset,
  );
  return joined.dataset;
}

/**
 * A din trained on the sample by the same script (`npm run sample-model -- --model din --out
 * sample-data/din-model`): the second model the planted-interest check runs on.
 */
export const SAMPLE_DIN_DIR = path.join(SAMPLE_DIR, 'din-model');

/** The shipped model.json and weights.bin (or those in `dir`). */
export function readSampleModelFiles(dir = SAMPLE_MODEL_DIR): {
  modelJson: string;
  weightsBin: Uint8Array;
} {
  return {
    modelJson: readFileSync(path.join(dir, 'model.json'), 'utf8'),
    weightsBin: new Uint8Array(readFileSync(path.join(dir, 'weights.bin'))),
  };
}

export function readSampleGroundTruth(): SampleGroundTruth {
  return JSON.parse(
    readFileSync(path.join(SAMPLE_DIR, 'ground-truth.json'), 'utf8'),
  ) as SampleGroundTruth;
}

/** User `u`'s whole history (one row), oldest first, as the page explains it. */
export { userHistory } from '../train/split';
