/**
 * Refusals of model files from other engines stay one printable sentence whatever the file
 * holds, and a value from the file never makes the check itself throw. Each case was found by
 * the foreign fuzz (src/core/fuzz/foreign.fuzz.test.ts) and failed before its fix.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sentenceProblem } from '../fuzz/foreignKnownIssues';
import { ModelFileError } from '../models/modelFileError';
import { useBackend } from '../models/tfTesting';
import * as tf from '../tf';
import { makeDataset } from '../train/testing';
import { sparkParquet } from './alsFixtures';
import { importFactorModel } from './factorModel';
import { readFactorTable } from './factorTable';
import { editModelJson, kerasHistoryFixture } from './fixtures';
import { importTfjsModel } from './index';
import { parseIdList, parseMapping } from './mappingFiles';

const ITEMS = 30;
const dataset = makeDataset(
  Array.from({ length: 12 * 6 }, (_, k) => [
    String(Math.floor(k / 6)),
    String(((k * 7) % ITEMS) + 1),
    k,
  ]),
);
const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function refusal(run: () => unknown): ModelFileError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    return error as ModelFileError;
  }
  throw new Error('expected a refusal');
}

async function refusalOf(run: () => Promise<unknown>): Promise<ModelFileError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    return error as ModelFileError;
  }
  throw new Error('expected a refusal');
}

const oneSentence = (e: Error) => expect(sentenceProblem(e.message), e.message).toBeNull();

// biome-ignore lint/suspicious/noExplicitAny: edits of converter JSON
type Loose = any;

const editJson = editModelJson;

beforeAll(async () => {
  await useBackend('wasm');
});

describe('mapping files', () => {
  it('a JSON syntax error is one sentence, without the file text and its line breaks', () => {
    const e = refusal(() => parseMapping('{\n  "kind": "history",\n  "maxLen": NaN\n}'));
    expect(e.code).toBe('unmappable');
    expect(e.message).toMatch(/^The mapping file is not valid JSON \(/);
    oneSentence(e);
  });

  it('ids that are objects or deeply nested lists are refused, not turned into text', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    for (const run of [
      () => parseIdList('[{"toString": 1}]', 'ids.json'),
      () => parseIdList(`["a", ${deep}]`, 'ids.json'),
      () => parseMapping('{"kind": "ids", "items": {"kind": "list", "ids": [{"toString": 1}]}}'),
      () => parseMapping(`{"kind": "ids", "items": {"kind": "list", "ids": [true]}}`),
    ]) {
      const e = refusal(run);
      expect(e.message).toMatch(/^Entry \d+ of .* is (an object|a list|true), not an id/);
      oneSentence(e);
    }
    expect(parseIdList('[null, "a", 7]', 'ids.json')).toEqual(['', 'a', '7']);
  });

  it('a file name with line breaks is cleaned where it is quoted', () => {
    const e = refusal(() => parseIdList('1,a\nx,b', 'ids\r\n.csv'));
    expect(e.message).toContain('ids .csv');
    oneSentence(e);
  });
});

describe('TF.js model files', () => {
  it("the file's dtype, quantisation and weight names are cleaned and shortened", async () => {
    const edits: ((json: Loose) => void)[] = [
      (json) => {
        json.weightsManifest[0].weights[1].dtype = 'a\r\nb';
      },
      (json) => {
        json.weightsManifest[0].weights[1].dtype = 'x'.repeat(1_000_000);
      },
      (json) => {
        json.weightsManifest[0].weights[1].quantization = { dtype: 'u\u0000int8' };
      },
      (json) => {
        json.weightsManifest[0].weights[1].name = json.weightsManifest[0].weights[0].name;
      },
      (json) => {
        json.weightsManifest[0].paths = [{ toString: 1 }];
      },
      (json) => {
        json.weightsManifest[0].paths = ['a\u2028b.bin'];
      },
    ];
    const files = await kerasHistoryFixture(ITEMS);
    const tensors = tf.memory().numTensors;
    for (const edit of edits) {
      const e = await refusalOf(() => importTfjsModel(editJson(files, edit), dataset));
      oneSentence(e);
    }
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('model.json saved as UTF-16 is named as such, not quoted with its NUL characters', async () => {
    const files = await kerasHistoryFixture(ITEMS);
    const utf16 = files.map((f) => {
      if (f.name !== 'model.json') return f;
      const s = text(f.bytes);
      const bytes = new Uint8Array(2 + s.length * 2);
      bytes.set([0xff, 0xfe]);
      for (let k = 0; k < s.length; k++) bytes[2 + 2 * k] = s.charCodeAt(k) & 0xff;
      return { name: f.name, bytes };
    });
    const e = await refusalOf(() => importTfjsModel(utf16, dataset));
    expect(e.code).toBe('not-json');
    expect(e.message).toBe('model.json is UTF-16 text; save it as UTF-8 JSON.');
  });
});

describe('factor tables', () => {
  it('a cell with a line or paragraph separator is quoted on one line', async () => {
    const e = await refusalOf(() => readFactorTable(utf8('id,f0\n1,0.5\u2028x\n'), 'items.csv'));
    expect(e.message).not.toMatch(/[\u2028\u2029]/);
    oneSentence(e);
  });

  it('factors whose products overflow float32 are refused at import, not at every score', async () => {
    const rows = Array.from({ length: ITEMS }, (_, k) => [
      0.1 * (k % 7),
      0.2,
      -0.3,
      k === 29 ? 1e20 : 0.4,
    ]);
    const table = sparkParquet(
      Array.from({ length: ITEMS }, (_, k) => k + 1),
      rows,
      { idType: 'INT32' },
    );
    const e = await refusalOf(() =>
      importFactorModel([{ name: 'itemFactors.parquet', bytes: table }], dataset, {
        implicit: true,
        lambda: 0.1,
        alpha: 2,
      }),
    );
    expect(e.code).toBe('non-finite-weights');
    expect(e.message).toMatch(/^The factors of itemFactors\.parquet are too large to score/);
    oneSentence(e);
    // Large but ordinary factors still import.
    rows[29][3] = 1e3;
    const model = await importFactorModel(
      [
        {
          name: 'itemFactors.parquet',
          bytes: sparkParquet(
            rows.map((_, k) => k + 1),
            rows,
            { idType: 'INT32' },
          ),
        },
      ],
      dataset,
      { implicit: true, lambda: 0.1, alpha: 2 },
    );
    model.dispose();
  });
});
