/**
 * The valid imports the foreign fuzz mutates (see ./foreignGenerators.ts), all small and built
 * in memory from the import fixtures (src/core/import/fixtures.ts, alsFixtures.ts):
 *
 * - two datasets of 12 users and 30 items: `int` (users "0".."11", items "1".."30", which the
 *   proposal maps by identity) and `str` (users "u0".., items "i1"..; a mapping file needed);
 * - TF.js: a Keras GRU history-in model (3 shards), a mean-pool one with uint8-quantised
 *   weights, a Keras ids-in model, a TF.js graph model and one with float16 weights, on `int`
 *   by the proposal; and the Keras history-in and ids-in models on `str` with a mapping
 *   sidecar naming id list files (a plain list, an `index,id` CSV and a JSON list);
 * - Spark ALS factor tables: Parquet (INT32 ids, several row groups, rows the data lacks) with
 *   implicit hyper-parameters; Parquet items + CSV users (stored user factors, no
 *   hyper-parameters); flat CSV items + header-less Spark CSV users on `str`, explicit; flat
 *   DOUBLE Parquet with string ids on `str`;
 * - id lists in each layout `parseIdList` reads.
 */
import type { Dataset } from '../data/types';
import { flatCsv, flatParquet, randomFactors, sparkCsv, sparkParquet } from '../import/alsFixtures';
import { graphFixture, kerasHistoryFixture, kerasIdsFixture } from '../import/fixtures';
import type { NamedFile } from '../import/modelFiles';
import { SeededRandom } from '../random';
import { makeDataset } from '../train/testing';
import type {
  FactorBase,
  ForeignBaseSet,
  ForeignDatasetName,
  IdFile,
  IdListBase,
  TfjsBase,
} from './foreignTypes';

export const FOREIGN_ITEMS = 30;
export const FOREIGN_USERS = 12;
const RANK = 4;

/** Users walk the catalogue with a stride (6 to 10 items each), timestamps increasing. */
function foreignDataset(user: (u: number) => string, item: (k: number) => string): Dataset {
  const rows: [string, string, number][] = [];
  for (let u = 0; u < FOREIGN_USERS; u++) {
    for (let t = 0; t < 6 + (u % 5); t++) {
      rows.push([user(u), item(1 + ((u * 7 + t * 3) % FOREIGN_ITEMS)), 1000 * t]);
    }
  }
  return makeDataset(rows);
}

export interface ForeignBases extends ForeignBaseSet {
  datasets: Record<ForeignDatasetName, Dataset>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Float32 → IEEE half bits (truncating; subnormals flushed to zero: fixture weights are O(1)). */
function toHalf(value: number): number {
  const bits = new Uint32Array(Float32Array.of(value).buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  if (exponent <= 0) return sign;
  if (exponent >= 31) return sign | 0x7c00;
  return sign | (exponent << 10) | ((bits & 0x7fffff) >>> 13);
}

/**
 * The model with its float32 weights quantised as the converter's `--quantize_uint8` /
 * `--quantize_float16` write them (`quantization: {dtype, scale, min}`), in as many shards.
 */
function quantised(files: NamedFile[], dtype: 'uint8' | 'float16'): NamedFile[] {
  const json = JSON.parse(decoder.decode(files[0].bytes));
  const group = json.weightsManifest[0];
  const shards = (group.paths as string[]).map((p) => files.find((f) => f.name === p) as NamedFile);
  const data = new Uint8Array(shards.reduce((n, s) => n + s.bytes.length, 0));
  let at = 0;
  for (const s of shards) {
    data.set(s.bytes, at);
    at += s.bytes.length;
  }
  const parts: Uint8Array[] = [];
  at = 0;
  for (const spec of group.weights) {
    const n = (spec.shape as number[]).reduce((a, b) => a * b, 1);
    const raw = data.slice(at, at + 4 * n);
    at += 4 * n;
    if (spec.dtype !== 'float32') {
      parts.push(raw);
      continue;
    }
    const values = new Float32Array(raw.buffer);
    if (dtype === 'uint8') {
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const v of values) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const scale = max > min ? (max - min) / 255 : 1;
      spec.quantization = { dtype: 'uint8', scale, min, original_dtype: 'float32' };
      parts.push(Uint8Array.from(values, (v) => Math.round((v - min) / scale)));
    } else {
      spec.quantization = { dtype: 'float16', original_dtype: 'float32' };
      parts.push(new Uint8Array(Uint16Array.from(values, toHalf).buffer));
    }
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const bytes = new Uint8Array(total);
  at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  const count = shards.length;
  const size = Math.ceil(total / count);
  const names = Array.from({ length: count }, (_, k) => `group1-shard${k + 1}of${count}.bin`);
  group.paths = names;
  return [
    { name: 'model.json', bytes: encoder.encode(JSON.stringify(json)) },
    ...names.map((name, k) => ({ name, bytes: bytes.slice(k * size, (k + 1) * size) })),
  ];
}

const ids = <T>(n: number, name: (k: number) => T): T[] =>
  Array.from({ length: n }, (_, k) => name(k));

/** The id lists of the `str` dataset, in each layout `parseIdList` reads. */
function idTexts(): { plain: string; pairs: string; json: string; tabs: string; users: string } {
  const items = ids(FOREIGN_ITEMS, (k) => `i${k + 1}`);
  const users = ids(FOREIGN_USERS, (k) => `u${k}`);
  return {
    // Line 0 is the padding id, left empty.
    plain: `\n${items.join('\n')}\n`,
    pairs: `index,item_id\n${items.map((id, k) => `${k + 1},${id}`).join('\n')}\n`,
    json: JSON.stringify([null, ...items]),
    tabs: `0\t\r\n${items.map((id, k) => `${k + 1}\t${id}`).join('\r\n')}`,
    users: JSON.stringify(users),
  };
}

const sidecarOf = (mapping: Record<string, unknown>, idFiles: IdFile[]) => ({
  mapping: JSON.stringify(mapping, null, 2),
  idFiles,
});

export async function fuzzForeignBases(): Promise<ForeignBases> {
  const datasets = {
    int: foreignDataset(String, String),
    str: foreignDataset(
      (u) => `u${u}`,
      (k) => `i${k}`,
    ),
  };
  const history = await kerasHistoryFixture(FOREIGN_ITEMS, { maxLen: 8, shards: 3 });
  const pool = await kerasHistoryFixture(FOREIGN_ITEMS, {
    maxLen: 8,
    shards: 2,
    seed: 4,
    encoder: 'pool',
    softmax: false,
  });
  const idsModel = await kerasIdsFixture(FOREIGN_USERS, FOREIGN_ITEMS);
  const graph = graphFixture(FOREIGN_ITEMS);
  const historyMapping = {
    kind: 'history',
    input: '',
    maxLen: 8,
    padding: 'left',
    padValue: 0,
    items: 'identity',
    outputOffset: 0,
  };
  const idsMapping = {
    kind: 'ids',
    userInput: 'user_id',
    itemInput: 'item_id',
    items: 'identity',
    users: 'identity',
  };
  const graphMapping = { ...historyMapping, input: 'ids', items: { kind: 'identity' } };
  const texts = idTexts();
  const itemList: IdFile = { key: 'item_ids.txt', name: 'item_ids.txt', text: texts.plain };
  const listHistory = { ...historyMapping, items: { kind: 'file', file: 'item_ids.txt' } };
  const listIdFiles: IdFile[] = [
    { key: 'items.csv', name: 'items.csv', text: texts.pairs },
    { key: 'users.json', name: 'users.json', text: texts.users },
  ];
  const listIds = {
    ...idsMapping,
    items: { kind: 'file', file: 'items.csv' },
    users: { kind: 'file', file: 'users.json' },
  };
  const tfjs: TfjsBase[] = [
    {
      name: 'keras-history',
      model: 'keras-history',
      dataset: 'int',
      files: history,
      sidecar: null,
      mapping: historyMapping,
      idFiles: [],
    },
    {
      name: 'keras-pool-uint8',
      model: 'keras-history',
      dataset: 'int',
      files: quantised(pool, 'uint8'),
      sidecar: null,
      mapping: historyMapping,
      idFiles: [],
    },
    {
      name: 'keras-ids',
      model: 'keras-ids',
      dataset: 'int',
      files: idsModel,
      sidecar: null,
      mapping: idsMapping,
      idFiles: [],
    },
    {
      name: 'graph',
      model: 'graph',
      dataset: 'int',
      files: graph,
      sidecar: null,
      mapping: graphMapping,
      idFiles: [],
    },
    {
      name: 'graph-float16',
      model: 'graph',
      dataset: 'int',
      files: quantised(graph, 'float16'),
      sidecar: null,
      mapping: graphMapping,
      idFiles: [],
    },
    {
      name: 'keras-history-list',
      model: 'keras-history',
      dataset: 'str',
      files: history,
      sidecar: sidecarOf(listHistory, [itemList]),
      mapping: listHistory,
      idFiles: [itemList],
    },
    {
      name: 'keras-ids-list',
      model: 'keras-ids',
      dataset: 'str',
      files: idsModel,
      sidecar: sidecarOf(listIds, listIdFiles),
      mapping: listIds,
      idFiles: listIdFiles,
    },
  ];

  const rng = new SeededRandom(11, 'foreign-fuzz-factors');
  // Four item ids the data lacks (31..34): Spark's table holds every item it trained on.
  const itemInts = ids(FOREIGN_ITEMS + 4, (k) => k + 1);
  const userInts = ids(FOREIGN_USERS, (k) => k);
  const itemRows = randomFactors(rng, itemInts.length, RANK);
  const userRows = randomFactors(rng, FOREIGN_USERS, RANK);
  const strItems = ids(FOREIGN_ITEMS, (k) => `i${k + 1}`);
  const strUsers = ids(FOREIGN_USERS, (k) => `u${k}`);
  const factor: FactorBase[] = [
    {
      name: 'als-parquet',
      dataset: 'int',
      files: [
        {
          name: 'itemFactors.parquet',
          bytes: sparkParquet(itemInts, itemRows, { rowGroupSize: 8, idType: 'INT32' }),
        },
      ],
      params: { implicit: true, lambda: 0.1, alpha: 2 },
    },
    {
      name: 'als-parquet-csv',
      dataset: 'int',
      files: [
        {
          name: 'item_factors.parquet',
          bytes: sparkParquet(itemInts.map(String), itemRows, { idType: 'STRING' }),
        },
        { name: 'userFactors.csv', bytes: sparkCsv(userInts, userRows, { header: false }) },
      ],
      params: null,
    },
    {
      name: 'als-csv',
      dataset: 'str',
      files: [
        { name: 'items.csv', bytes: flatCsv(strItems, itemRows.slice(0, FOREIGN_ITEMS)) },
        { name: 'users.csv', bytes: sparkCsv(strUsers, userRows) },
      ],
      params: { implicit: false, lambda: 0.05, alpha: 0 },
    },
    {
      name: 'als-flat-parquet',
      dataset: 'str',
      files: [
        {
          name: 'part-00000.parquet',
          bytes: flatParquet(strItems, randomFactors(rng, FOREIGN_ITEMS, RANK + 1), {
            type: 'DOUBLE',
            rowGroupSize: 10,
          }),
        },
      ],
      params: { implicit: true, lambda: 0.01, alpha: 40 },
    },
  ];

  const idLists: IdListBase[] = [
    { name: 'item_ids.txt', text: texts.plain },
    { name: 'map.csv', text: texts.pairs },
    { name: 'ids.json', text: texts.json },
    { name: 'map.tsv', text: texts.tabs },
  ];
  return { datasets, tfjs, factor, idLists };
}
