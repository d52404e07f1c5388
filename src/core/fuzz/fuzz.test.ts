/**
 * The seeded fuzz suite ("Hardening"): a few hundred hostile inputs each through ingest, model
 * import and the CSV writer, bounded to run in seconds. The invariants are in ./checks.ts and
 * the inputs in ./generators.ts; the long campaign (10,000 CSVs, 2,000 model files, 10,000
 * cell rows) is `npm run bench -- fuzz`. A failure names the case index: `csvCase(FUZZ_SEED,
 * i)` (or `modelCase` / `cellCase`) rebuilds that one input.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../data/types';
import { useBackend } from '../models/tfTesting';
import * as tf from '../tf';
import { checkCellCase } from './cellCheck';
import { cellCase, csvCase, FUZZ_SEED, type ModelBase, modelCase } from './generators';
import { checkCsvCase } from './ingestCheck';
import { fuzzModelBases } from './modelBases';
import { checkModelCase } from './modelCheck';

const CSV_INPUTS = 300;
const MODEL_INPUTS = 100;
const CELL_INPUTS = 300;

interface Failure {
  index: number;
  kind: string;
  violations: string[];
}

const tally = (counts: Map<string, number>, key: string) =>
  counts.set(key, (counts.get(key) ?? 0) + 1);

beforeAll(async () => {
  await useBackend('wasm');
});

describe('ingest fuzz', () => {
  it(`${CSV_INPUTS} hostile CSVs: documented errors only, accepted + rejected = data rows, linear time`, async () => {
    const tensors = tf.memory().numTensors;
    const failures: Failure[] = [];
    const results = new Map<string, number>();
    let accepted = 0;
    let rejected = 0;
    let exact = 0;
    let bytes = 0;
    const started = performance.now();
    for (let i = 0; i < CSV_INPUTS; i++) {
      const c = csvCase(FUZZ_SEED, i);
      const out = await checkCsvCase(c);
      if (out.violations.length > 0)
        failures.push({ index: i, kind: c.kind, violations: out.violations });
      tally(results, out.result);
      accepted += out.accepted;
      rejected += out.rejected;
      bytes += c.bytes.length;
      if (c.expected && out.result === 'accepted') exact++;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[fuzz] ${CSV_INPUTS} CSVs (${(bytes / 1e6).toFixed(1)} MB) in ${seconds.toFixed(1)} s: ` +
        `${JSON.stringify(Object.fromEntries(results))}, rows accepted ${accepted}, rejected ${rejected}, ` +
        `${exact} with known counts`,
    );
    expect(failures).toEqual([]);
    expect(tf.memory().numTensors).toBe(tensors);
    // The inputs must keep reaching every outcome, or the suite proves little.
    expect(results.get('accepted')).toBeGreaterThan(CSV_INPUTS / 4);
    expect(exact).toBeGreaterThan(CSV_INPUTS / 10);
    expect(rejected).toBeGreaterThan(0);
    for (const code of ['empty', 'binary', 'not-a-table', 'too-large', 'cancelled']) {
      expect(results.get(code), code).toBeGreaterThan(0);
    }
  }, 180_000);

  it('is deterministic: a seed and index give the same bytes and the same result', async () => {
    let compared = 0;
    for (let i = 0; i < CSV_INPUTS; i += 5) {
      const a = csvCase(FUZZ_SEED, i);
      const b = csvCase(FUZZ_SEED, i);
      // Bytes compared as a buffer: toEqual walks a megabyte array element by element.
      expect(Buffer.compare(a.bytes, b.bytes)).toBe(0);
      expect({ ...b, bytes: null }).toEqual({ ...a, bytes: null });
      if (a.bytes.length > 100_000) continue; // the same bytes; ingesting twice proves little more
      const [x, y] = [await checkCsvCase(a, true), await checkCsvCase(b, true)];
      expect(y.fingerprint).toBe(x.fingerprint);
      compared++;
    }
    expect(compared).toBeGreaterThan(30);
    expect(Buffer.compare(csvCase(FUZZ_SEED + 1, 0).bytes, csvCase(FUZZ_SEED, 0).bytes)).not.toBe(
      0,
    );
  }, 180_000);
});

describe('model file fuzz', () => {
  let dataset: Dataset;
  let bases: ModelBase[];
  beforeAll(async () => {
    ({ dataset, bases } = await fuzzModelBases());
  });

  it(`${MODEL_INPUTS} mutated model files: ModelFileError only, TF.js left as it was`, async () => {
    const tensors = tf.memory().numTensors;
    const failures: Failure[] = [];
    const results = new Map<string, number>();
    for (let i = 0; i < MODEL_INPUTS; i++) {
      const c = modelCase(FUZZ_SEED, i, bases);
      const out = await checkModelCase(c, dataset);
      if (out.violations.length > 0)
        failures.push({ index: i, kind: `${c.base}: ${c.kind}`, violations: out.violations });
      tally(results, out.result);
    }
    console.log(
      `[fuzz] ${MODEL_INPUTS} model files: ${JSON.stringify(Object.fromEntries(results))}`,
    );
    expect(failures).toEqual([]);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0])).toBe(3);
    expect(results.get('loaded')).toBeGreaterThan(0);
    expect(results.size).toBeGreaterThan(5);
  });
});

describe('CSV cell fuzz', () => {
  it(`${CELL_INPUTS} rows of awkward cells read back as written, and none starts a formula`, async () => {
    const failures: Failure[] = [];
    let neutralised = 0;
    for (let i = 0; i < CELL_INPUTS; i++) {
      const cells = cellCase(FUZZ_SEED, i);
      const out = await checkCellCase(cells, i % 2 === 0 ? '\n' : '\r\n');
      if (out.violations.length > 0)
        failures.push({ index: i, kind: JSON.stringify(cells), violations: out.violations });
      neutralised += out.neutralised;
    }
    expect(failures).toEqual([]);
    expect(neutralised).toBeGreaterThan(CELL_INPUTS / 4);
  });
});
