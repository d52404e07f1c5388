/**
 * An imported ids-in model (MF/NCF-style: a user id and an item id in, one score out) as a
 * recommender over the loaded dataset. Its score depends on who the user is, not on the
 * history, so it scores the user the caller names (`score(users, ...)`, or a view bound with
 * {@link TrainedRecommender.forUser}); removing history items cannot change it, which is what
 * its explanations say.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Dataset } from '../data/types';
import type { HistoryBatch } from '../models/baseline-types';
import { ModelFileError } from '../models/modelFileError';
import type { TrainedRecommender, WeightArray } from '../models/trained';
import * as tf from '../tf';
import { embeddingWeights, itemTableOf } from './itemTable';
import type { LayersModelShape } from './layersModel';
import { checkCoverage, type IdsMapping, resolveIds } from './mapping';
import type { ImportedModelInfo } from './types';
import { checkFiniteScores, probeScores } from './weightCheck';

/** Pairs scored per forward pass (bounds the memory of a full-catalogue ranking). */
const PAIRS_PER_PASS = 65_536;

/** The import's probe: the first users the model knows, each with items across the catalogue. */
const PROBE_USERS = 4;
const PROBE_ITEMS = 16;

export interface IdsExtras {
  weights: () => Record<string, tf.Tensor>;
  exportWeights: () => WeightArray[];
  info: (notes: string[]) => ImportedModelInfo;
}

export function idsRecommender(
  layers: tfl.LayersModel,
  shape: LayersModelShape,
  mapping: IdsMapping,
  dataset: Dataset,
  extras: IdsExtras,
): TrainedRecommender {
  const userAt = shape.inputs.findIndex((i) => i.name === mapping.userInput);
  const itemAt = shape.inputs.findIndex((i) => i.name === mapping.itemInput);
  if (userAt < 0 || itemAt < 0 || userAt === itemAt) {
    const names = shape.inputs.map((i) => i.name).join(' and ');
    throw new ModelFileError(
      'unmappable',
      `The mapping names inputs ${mapping.userInput} (user) and ${mapping.itemInput} (item); the model's inputs are ${names}.`,
    );
  }
  const numItems = dataset.itemIds.length;
  const items = resolveIds(
    mapping.items,
    dataset.itemIds,
    shape.inputs[itemAt].embedding?.inputDim ?? 0,
    null,
  );
  checkCoverage(items, numItems, 'item');
  const users = resolveIds(
    mapping.users,
    dataset.userIds,
    shape.inputs[userAt].embedding?.inputDim ?? 0,
    null,
  );
  checkCoverage(users, dataset.userIds.length, 'user');
  const known = new Int32Array(items.known);
  let next = 0;
  for (let i = 0; i < numItems; i++) if (items.toModel[i] >= 0) known[next++] = i;

  const dtypes = layers.inputs.map((t) => t.dtype);
  const ranks = shape.inputs.map((i) => i.shape.length);
  /** The model's output for pairs `start` to `end` of `userIds` and `itemIds`. */
  function forwardPairs(
    userIds: Int32Array,
    itemIds: Int32Array,
    start: number,
    end: number,
  ): tf.Tensor {
    const n = end - start;
    return tf.tidy(() => {
      const column = (ids: Int32Array, at: number) => {
        const t = tf.tensor(ids.subarray(start, end), ranks[at] === 0 ? [n] : [n, 1], 'int32');
        return dtypes[at] === 'int32' ? t : tf.cast(t, 'float32');
      };
      const inputs = [];
      inputs[userAt] = column(userIds, userAt);
      inputs[itemAt] = column(itemIds, itemAt);
      // One pass for the whole chunk: predict's default batch of 32 would split it 2,048 ways.
      return layers.predict(inputs, { batchSize: n }) as tf.Tensor;
    });
  }

  /** Scores of model (user, item) id pairs, in order. */
  async function pairScores(userIds: Int32Array, itemIds: Int32Array): Promise<Float32Array> {
    const out = new Float32Array(userIds.length);
    for (let start = 0; start < userIds.length; start += PAIRS_PER_PASS) {
      const end = Math.min(userIds.length, start + PAIRS_PER_PASS);
      const scores = tf.tidy(() => tf.reshape(forwardPairs(userIds, itemIds, start, end), [-1]));
      try {
        out.set((await scores.data()) as Float32Array, start);
      } finally {
        scores.dispose();
      }
    }
    return out;
  }

  /** Every item's score for each dataset user of `rows` (-Infinity: unknown user or item). */
  async function scoreUsers(rows: Int32Array): Promise<Float32Array> {
    const result = new Float32Array(rows.length * numItems).fill(Number.NEGATIVE_INFINITY);
    const perPass = Math.max(1, Math.floor(PAIRS_PER_PASS / Math.max(known.length, 1)));
    for (let r0 = 0; r0 < rows.length; r0 += perPass) {
      const r1 = Math.min(rows.length, r0 + perPass);
      const live: number[] = [];
      for (let r = r0; r < r1; r++) {
        const u = rows[r];
        if (u >= 0 && u < users.toModel.length && users.toModel[u] >= 0) live.push(r);
      }
      if (live.length === 0) continue;
      const userIds = new Int32Array(live.length * known.length);
      const itemIds = new Int32Array(live.length * known.length);
      live.forEach((r, k) => {
        userIds.fill(users.toModel[rows[r]], k * known.length, (k + 1) * known.length);
        for (let j = 0; j < known.length; j++) {
          itemIds[k * known.length + j] = items.toModel[known[j]];
        }
      });
      const scores = await pairScores(userIds, itemIds);
      live.forEach((r, k) => {
        for (let j = 0; j < known.length; j++) {
          result[r * numItems + known[j]] = scores[k * known.length + j];
        }
      });
    }
    return result;
  }

  /**
   * Runs the model once at import, on the first users it knows against items across the
   * catalogue, so that a model whose inputs cannot be fed, that gives other than one score
   * per pair, or whose scores are not finite is refused here, not at the first ranking.
   */
  function probe(): void {
    const probeUsers: number[] = [];
    for (let u = 0; u < users.toModel.length && probeUsers.length < PROBE_USERS; u++) {
      if (users.toModel[u] >= 0) probeUsers.push(users.toModel[u]);
    }
    const m = Math.min(PROBE_ITEMS, known.length);
    const probeItems = Array.from(
      { length: m },
      (_, k) => items.toModel[known[m > 1 ? Math.round((k * (known.length - 1)) / (m - 1)) : 0]],
    );
    const n = probeUsers.length * m;
    if (n === 0) return;
    const userIds = new Int32Array(n);
    const itemIds = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      userIds[k] = probeUsers[Math.floor(k / m)];
      itemIds[k] = probeItems[k % m];
    }
    const what = `${n} (user, item) pairs of the data`;
    const { shape, scores } = probeScores(() => forwardPairs(userIds, itemIds, 0, n), what);
    if (shape[0] !== n || scores.length !== n) {
      throw new ModelFileError(
        'unsupported-model',
        `The model gives scores of shape [${shape.join(', ')}] for ${n} (user, item) pairs, not one score per pair.`,
      );
    }
    checkFiniteScores(scores, what);
  }
  probe();

  async function scoreItems(user: number, which: Int32Array): Promise<Float32Array> {
    const modelUser = user >= 0 && user < users.toModel.length ? users.toModel[user] : -1;
    const out = new Float32Array(which.length).fill(Number.NEGATIVE_INFINITY);
    if (modelUser < 0) return out;
    const rows: number[] = [];
    for (let r = 0; r < which.length; r++) if (items.toModel[which[r]] >= 0) rows.push(r);
    const userIds = new Int32Array(rows.length).fill(modelUser);
    const itemIds = Int32Array.from(rows, (r) => items.toModel[which[r]]);
    const scores = await pairScores(userIds, itemIds);
    rows.forEach((r, k) => {
      out[r] = scores[k];
    });
    return out;
  }

  const notes = [
    'This model scores (user id, item id) pairs: its score does not read the history, so removing history items cannot change it and every perturbation or gradient attribution is zero. Its item embeddings still say which history items are most like the recommended one.',
    ...(items.unknown > 0
      ? [
          `${items.unknown} of the dataset's ${numItems} items are unknown to the model: never recommended.`,
        ]
      : []),
    ...(users.unknown > 0
      ? [
          `${users.unknown} of the dataset's ${dataset.userIds.length} users are unknown to the model: nothing is recommended to them.`,
        ]
      : []),
  ];

  // The item embedding table, read once on first use, for the neighbours view.
  const itemLayer = shape.inputs[itemAt].embedding?.layer ?? '';
  let table: { data: Float32Array; dim: number } | null = null;
  const itemVectors = () => {
    table ??= embeddingWeights(layers, itemLayer);
    return table;
  };
  const itemTable = () => {
    const { data, dim } = itemVectors();
    return itemTableOf(data, dim, items.toModel, `item embedding (${itemLayer})`);
  };
  function itemSimilarity(which: Int32Array, item: number) {
    const { data, dim } = itemVectors();
    const cosine = (a: number, b: number) => {
      if (a < 0 || b < 0) return 0;
      let dot = 0;
      let na = 0;
      let nb = 0;
      for (let k = 0; k < dim; k++) {
        dot += data[a * dim + k] * data[b * dim + k];
        na += data[a * dim + k] ** 2;
        nb += data[b * dim + k] ** 2;
      }
      return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
    };
    const target = items.toModel[item];
    return {
      values: Float64Array.from(which, (i) => cosine(items.toModel[i], target)),
      source: `item embedding (${itemLayer})`,
    };
  }

  const build = (bound: number | null): TrainedRecommender => ({
    id: 'keras',
    numItems,
    hyper: { inputs: 'user, item' },
    neural: null,
    readLimit: Number.POSITIVE_INFINITY,
    historyIndependent: true,
    score: (rows) => scoreUsers(bound === null ? rows : new Int32Array(rows.length).fill(bound)),
    // Pairs have no user: only a bound view (forUser) scores them; unbound, nothing is known.
    scorePairs: (_histories: HistoryBatch, which: Int32Array) => scoreItems(bound ?? -1, which),
    forUser: (user: number) => build(user),
    itemSimilarity,
    itemTable,
    features: null,
    imported: extras.info(notes),
    exportWeights: extras.exportWeights,
    dispose: () => layers.dispose(),
  });
  return build(null);
}
