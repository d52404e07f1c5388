/**
 * The foreign fuzz ("Hardening" of the imports of models from other engines): 500 seeded
 * cases, each a valid Keras / graph / ALS / id-list import broken the ways real files break
 * (./foreignGenerators.ts), held to the invariants of ./foreignCheck.ts: a ModelFileError
 * with a documented code and a one-sentence message or an import that scores without NaN,
 * no tensor or variable left, time within the per-KB budget: about 4 s on 2 cores. The long
 * campaign is `npm run bench -- fuzz` (`--foreign N`). A failure names its case:
 * `foreignCase(FUZZ_SEED, i, await fuzzForeignBases())` rebuilds it.
 *
 * Bugs of src/core/import the fuzz found are listed in KNOWN_ISSUES (./foreignCheck.ts) and
 * counted apart; the last describe block holds a minimal reproducer of each one that runs in
 * milliseconds, asserting the bug is still there: when one fails, the bug was fixed, and its
 * KNOWN_ISSUES entry and reproducer go. (The hangs and the Parquet byte-level ones are
 * described where they are recognised, in foreignCheck.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphFixture, kerasHistoryFixture, kerasIdsFixture } from '../import/fixtures';
import { importTfjsModel } from '../import/index';
import type { NamedFile } from '../import/modelFiles';
import { ModelFileError } from '../models/modelFileError';
import { useBackend } from '../models/tfTesting';
import * as tf from '../tf';
import { type ForeignBases, fuzzForeignBases } from './foreignBases';
import {
  checkForeignCase,
  KNOWN_ISSUES,
  sentenceProblem,
  stopHyparquetReader,
} from './foreignCheck';
import { foreignCase, foreignCaseBytes } from './foreignGenerators';
import { FUZZ_SEED } from './generators';

const FOREIGN_INPUTS = 500;

const tally = (counts: Map<string, number>, key: string) =>
  counts.set(key, (counts.get(key) ?? 0) + 1);

let bases: ForeignBases;

beforeAll(async () => {
  await useBackend('wasm');
  bases = await fuzzForeignBases();
});

afterAll(stopHyparquetReader);

describe('foreign model fuzz', () => {
  it(`${FOREIGN_INPUTS} broken imports: one-sentence ModelFileErrors or models that score, no tensor left, linear time`, async () => {
    const tensors = tf.memory().numTensors;
    const failures: { index: number; kind: string; violations: string[] }[] = [];
    const results = new Map<string, number>();
    const known = new Map<string, number>();
    let bytes = 0;
    let knownLeaks = 0;
    const started = performance.now();
    for (let i = 0; i < FOREIGN_INPUTS; i++) {
      const c = foreignCase(FUZZ_SEED, i, bases);
      const out = await checkForeignCase(c, bases);
      if (out.violations.length > 0) {
        failures.push({
          index: i,
          kind: `${c.api} ${c.base}: ${c.kind}`,
          violations: out.violations,
        });
      }
      tally(results, `${c.api}:${out.result}`);
      for (const id of out.known) tally(known, id);
      bytes += out.bytes;
      // A leak that is no known issue is a violation above; the known ones are counted here.
      if (out.violations.length === 0) knownLeaks += out.tensorsLeft;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[fuzz] ${FOREIGN_INPUTS} foreign imports (${(bytes / 1e6).toFixed(1)} MB) in ${seconds.toFixed(1)} s: ` +
        `${JSON.stringify(Object.fromEntries([...results].sort()))}; known issues ${JSON.stringify(Object.fromEntries(known))}`,
    );
    expect(failures).toEqual([]);
    expect(tf.memory().numTensors).toBe(tensors + knownLeaks);
    expect(tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0])).toBe(3);
    // The cases must keep reaching every outcome, or the suite proves little.
    for (const key of ['tfjs:imported', 'factor:imported', 'idlist:parsed', 'idlist:unmappable']) {
      expect(results.get(key), key).toBeGreaterThan(FOREIGN_INPUTS / 50);
    }
    const codes = new Set([...results.keys()].map((k) => k.split(':')[1]));
    for (const code of [
      'not-json',
      'invalid-metadata',
      'unsupported-dtype',
      'weights-truncated',
      'weights-too-long',
      'missing-file',
      'unsupported-model',
      'unmappable',
      'shape-mismatch',
      'dataset-mismatch',
    ]) {
      expect(codes.has(code), code).toBe(true);
    }
  }, 180_000);

  it('is deterministic: a seed and index give the same files, and another seed other files', () => {
    const fingerprint = (seed: number, i: number) => {
      const c = foreignCase(seed, i, bases);
      const files =
        c.api === 'idlist'
          ? [c.text]
          : c.files.map((f) => `${f.name}:${Buffer.from(f.bytes).toString('base64')}`);
      return JSON.stringify({ kind: c.kind, files, sidecar: c.api === 'tfjs' ? c.sidecar : null });
    };
    let differs = 0;
    for (let i = 0; i < FOREIGN_INPUTS; i += 7) {
      expect(fingerprint(FUZZ_SEED, i)).toBe(fingerprint(FUZZ_SEED, i));
      if (fingerprint(FUZZ_SEED + 1, i) !== fingerprint(FUZZ_SEED, i)) differs++;
    }
    expect(differs).toBeGreaterThan(FOREIGN_INPUTS / 7 / 2);
    expect(foreignCaseBytes(foreignCase(FUZZ_SEED, 0, bases))).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const utf8 = (s: string) => new TextEncoder().encode(s);

/** `files` with model.json edited by `edit`. */
function editJson(files: NamedFile[], edit: (json: Record<string, unknown>) => void): NamedFile[] {
  return files.map((f) => {
    if (f.name !== 'model.json') return f;
    const json = JSON.parse(text(f.bytes));
    edit(json);
    return { name: f.name, bytes: utf8(JSON.stringify(json)) };
  });
}

async function refusal(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

// biome-ignore lint/suspicious/noExplicitAny: edits of converter JSON
type Loose = any;

const historyOf = (data: ForeignBases['datasets']['int']) => {
  const end = data.userOffsets[1];
  return {
    offsets: Int32Array.of(0, end),
    items: data.item.slice(0, end),
    timestamps: new Float64Array(end),
  };
};

describe('known issues of src/core/import (minimal reproducers; a failure here means fixed)', () => {
  const reproduced: string[] = [];
  const issue = (id: string) => {
    reproduced.push(id);
    return id;
  };

  it('names known issues only', () => {
    const ids = new Set(KNOWN_ISSUES.map((k) => k.id));
    expect(reproduced.filter((id) => !ids.has(id))).toEqual([]);
  });

  it(issue('tfjs-message'), async () => {
    const files = editJson(await kerasHistoryFixture(30), (json: Loose) => {
      json.weightsManifest[0].weights[1].shape.reverse();
    });
    const error = await refusal(() => importTfjsModel(files, bases.datasets.int));
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message).toBe(
      'The weights do not fit the model: Shape mismatch: [8,24] vs. [24,8]',
    );
    expect(sentenceProblem((error as Error).message)).not.toBeNull();
  });

  it(issue('dispose-unbuilt'), async () => {
    const files = editJson(await kerasHistoryFixture(30), (json: Loose) => {
      json.modelTopology.model_config.class_name = 'Flatten';
    });
    const error = await refusal(() => importTfjsModel(files, bases.datasets.int));
    expect(error).not.toBeInstanceOf(ModelFileError);
    expect((error as Error).message).toMatch(/^Cannot dispose Layer/);
  });

  it(issue('nan-scores'), async () => {
    const files = await kerasHistoryFixture(30);
    const last = files[files.length - 1];
    const bytes = last.bytes.slice();
    new DataView(bytes.buffer).setFloat32(bytes.length - 4, Number.NaN, true);
    files[files.length - 1] = { name: last.name, bytes };
    const { model } = await importTfjsModel(files, bases.datasets.int);
    try {
      const scores = await model.score(Int32Array.of(0), historyOf(bases.datasets.int));
      expect(scores.some((s) => Number.isNaN(s))).toBe(true);
    } finally {
      model.dispose();
    }
  });

  it(issue('graph-refusal-leak'), async () => {
    const deep = 20_000;
    const nested = `${'['.repeat(deep)}${']'.repeat(deep)}`;
    const files = graphFixture(30).map((f) =>
      f.name === 'model.json'
        ? {
            name: f.name,
            bytes: utf8(
              text(f.bytes).replace('"batch_dims":{"i":"0"}', `"batch_dims":{"i":${nested}}`),
            ),
          }
        : f,
    );
    const before = tf.memory().numTensors;
    const error = await refusal(() => importTfjsModel(files, bases.datasets.int));
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message).toMatch(/Maximum call stack size exceeded/);
    const left = tf.memory().numTensors - before;
    expect(left).toBe(3);
  });

  it(issue('ids-unprobed'), async () => {
    const files = editJson(await kerasIdsFixture(12, 30), (json: Loose) => {
      json.modelTopology.config.layers[1].config.dtype = [];
    });
    const { model } = await importTfjsModel(files, bases.datasets.int);
    try {
      await expect(model.score(Int32Array.of(0), historyOf(bases.datasets.int))).rejects.toThrow(
        /can not be cast/,
      );
    } finally {
      model.dispose();
    }
  });
});
