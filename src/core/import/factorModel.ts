/**
 * ALS factor tables (Spark MLlib's `userFactors` / `itemFactors`, as Parquet or CSV) imported
 * onto the loaded dataset: the item table aligned by item id, the user table (optional with
 * the hyper-parameters, needed without them) by user id. With the hyper-parameters every
 * history is folded in and each history item's exact contribution is known; without them the
 * stored user factors score and only the item-neighbourhood view explains.
 */
import type { Dataset } from '../data/types';
import { fileText } from '../models/fileText';
import { ModelFileError } from '../models/modelFileError';
import type { ItemTable, TrainedRecommender, WeightArray } from '../models/trained';
import type { HyperParameters } from '../models/types';
import { createAlsRecommender } from './als';
import { itemNeighbourContributions } from './alsAlgebra';
import { restoreAls } from './alsRestore';
import { ALS_ITEM_FACTORS, ALS_USER_ROWS, type AlsParams, type AlsRecommender } from './alsTypes';
import { alignFactors, factorGram, gatherFactors } from './factorAlign';
import type { FactorTable } from './factorBuilder';
import { readFactorTable } from './factorTable';
import { itemTableOf } from './itemTable';
import { baseName, type NamedFile } from './modelFiles';
import type { ImportedModelInfo } from './types';

const USER_NAME = /user/i;

/** One sentence per thing the card shows about an ALS model. */
function alsNotes(params: AlsParams | null, unknownItems: number, numItems: number): string[] {
  const notes = params
    ? [
        `Each history is folded in as Spark's ALS solves a user (${params.implicit ? `implicit, α = ${params.alpha}` : 'explicit'}, λ = ${params.lambda}): the exact method gives each history item's share of the score (Hu, Koren and Volinsky 2008), and every perturbation method applies.`,
      ]
    : [
        "Without the ALS hyper-parameters (λ, α, implicit or explicit) a history cannot be folded in: the stored user factors score, the score does not depend on the history, and only the item-neighbourhood view (how alike each history item's factors are to the item's) explains it. Give the hyper-parameters to get exact contributions.",
      ];
  if (unknownItems > 0) {
    notes.push(
      `${unknownItems} of the dataset's ${numItems} items have no factors: never recommended, and skipped in histories.`,
    );
  }
  return notes;
}

/** The item factors (dataset order, all zero for an item without factors) of the items with factors. */
function alsItemTable(itemFactors: Float32Array, rank: number): ItemTable {
  const numItems = Math.floor(itemFactors.length / rank);
  const toModel = new Int32Array(numItems).fill(-1);
  for (let i = 0; i < numItems; i++) {
    for (let k = 0; k < rank; k++) {
      if (itemFactors[i * rank + k] !== 0) {
        toModel[i] = i;
        break;
      }
    }
  }
  return itemTableOf(itemFactors, rank, toModel, 'ALS item factors');
}

/**
 * The model as seen for one user, for ALS without hyper-parameters: the pair scores the
 * perturbation explainers ask for are that user's (constant in the history).
 */
function bindable(
  model: AlsRecommender,
  info: ImportedModelInfo,
  itemFactors: Float32Array,
): TrainedRecommender {
  const itemSimilarity = (items: Int32Array, item: number) => ({
    values: itemNeighbourContributions(itemFactors, model.rank, items, item),
    source: 'ALS item factors',
  });
  const itemTable = () => alsItemTable(itemFactors, model.rank);
  if (model.params) return Object.assign(model, { imported: info, itemSimilarity, itemTable });
  const bind = (user: number): TrainedRecommender => ({
    ...model,
    imported: info,
    score: (rows, histories) => model.score(new Int32Array(rows.length).fill(user), histories),
    async scorePairs(histories, items) {
      const all = await model.score(Int32Array.of(user), {
        offsets: Int32Array.of(0, 0),
        items: new Int32Array(0),
        timestamps: new Float64Array(0),
      });
      void histories;
      return Float32Array.from(items, (i) => all[i]);
    },
    forUser: bind,
    itemSimilarity,
    itemTable,
    dispose: () => model.dispose(),
  });
  return Object.assign(model, { imported: info, forUser: bind, itemSimilarity, itemTable });
}

/**
 * Largest sum of squared factors a table may have. Scores, Grams and the fold-in's normal
 * equations are kept in float32 (max 3.4e38): a table under this bound keeps each of them
 * finite (a dot product is at most the product of two norms, and YᵀY's entries are at most
 * its trace), with room for the confidence weights (α × count) of the implicit fold-in.
 * Real ALS factors sit many orders below (1M items × rank 100 × |f| ≤ 10: 1e10).
 */
export const MAX_FACTOR_SQUARES = 1e30;

/** Refuses a table whose factors are so large that its scores would overflow float32. */
function checkMagnitude(table: FactorTable): void {
  let squares = 0;
  for (const f of table.factors) squares += f * f;
  if (squares > MAX_FACTOR_SQUARES) {
    throw new ModelFileError(
      'non-finite-weights',
      `The factors of ${table.source} are too large to score (their squares sum to ${squares.toExponential(1)}, and float32 ends at 3.4e+38): are these columns ALS factors?`,
    );
  }
}

/**
 * Imports factor tables: `files` holds the item table and, optionally, the user table (told
 * apart by "user" in the file name, else by which ids match the dataset's users). `params`:
 * the ALS hyper-parameters, or null.
 */
export async function importFactorModel(
  files: readonly NamedFile[],
  dataset: Dataset,
  params: AlsParams | null,
): Promise<TrainedRecommender> {
  if (files.length === 0 || files.length > 2) {
    throw new ModelFileError(
      'missing-file',
      `Give the item factor table and, optionally, the user factor table (${files.length} files were given).`,
    );
  }
  const tables = await Promise.all(files.map((f) => readFactorTable(f.bytes, baseName(f.name))));
  let itemAt = tables.findIndex((_, k) => !USER_NAME.test(baseName(files[k].name)));
  if (
    tables.length === 2 &&
    (itemAt < 0 || USER_NAME.test(baseName(files[1 - itemAt].name)) === false)
  ) {
    // Names do not tell: the item table is the one whose ids match more dataset items.
    const items = new Set(dataset.itemIds);
    const hits = tables.map((t) => t.ids.reduce((n, id) => n + (items.has(id) ? 1 : 0), 0));
    itemAt = hits[0] >= hits[1] ? 0 : 1;
  }
  if (itemAt < 0) {
    throw new ModelFileError(
      'missing-file',
      "Only a user factor table was given; the item factor table (Spark's itemFactors) is needed.",
    );
  }
  const itemTable = tables[itemAt];
  const userTable = tables.length === 2 ? tables[1 - itemAt] : null;
  if (userTable && userTable.rank !== itemTable.rank) {
    throw new ModelFileError(
      'shape-mismatch',
      `The user table has ${userTable.rank} factors per row and the item table ${itemTable.rank}: they are not from one model.`,
    );
  }
  if (!params && !userTable) {
    throw new ModelFileError(
      'missing-file',
      'Without the ALS hyper-parameters the stored user factors are needed to score: give the user factor table too, or the hyper-parameters to fold histories in.',
    );
  }
  checkMagnitude(itemTable);
  if (userTable) checkMagnitude(userTable);
  const items = alignFactors(itemTable, dataset.itemIds, 'items');
  const users = userTable
    ? alignFactors(userTable, dataset.userIds, 'users', params ? 0 : undefined)
    : null;
  const itemFactors = gatherFactors(itemTable, items.rows);
  const model = createAlsRecommender({
    itemFactors,
    numItems: dataset.itemIds.length,
    rank: itemTable.rank,
    userFactors: userTable?.factors ?? null,
    userRows: users?.rows ?? null,
    params,
    gram: params?.implicit ? factorGram(itemTable) : null,
  });
  const info: ImportedModelInfo = {
    kind: 'als',
    source: `Spark ALS factor tables (${files.map((f) => fileText(baseName(f.name), 60)).join(', ')})`,
    mapping: null,
    artifacts: null,
    als: params,
    ...(userTable ? { userIds: dataset.userIds.slice() } : {}),
    notes: alsNotes(params, items.unknown, dataset.itemIds.length),
  };
  return bindable(model, info, itemFactors);
}

/**
 * An ALS model from its saved weights. Its user rows were saved by the user order of the
 * dataset it was imported on (`savedUserIds`): they are re-keyed onto `dataset`'s users.
 */
export function restoreFactorModel(
  numItems: number,
  hyper: HyperParameters,
  weights: readonly WeightArray[],
  info: ImportedModelInfo,
  dataset: Dataset,
): TrainedRecommender {
  const rows = weights.find((w) => w.name === ALS_USER_ROWS);
  let rekeyed = weights;
  if (rows && info.userIds) {
    if (rows.data.length !== info.userIds.length) {
      throw new ModelFileError(
        'shape-mismatch',
        `The saved user rows list ${rows.data.length} users but the metadata ${info.userIds.length}.`,
      );
    }
    const byId = new Map<string, number>();
    info.userIds.forEach((id, u) => {
      byId.set(id, rows.data[u]);
    });
    const data = Int32Array.from(dataset.userIds, (id) => byId.get(id) ?? -1);
    rekeyed = weights.map((w) => (w === rows ? { ...w, shape: [data.length], data } : w));
  }
  const model = restoreAls(numItems, hyper, rekeyed);
  const factors = weights.find((w) => w.name === ALS_ITEM_FACTORS)?.data;
  if (!(factors instanceof Float32Array)) {
    throw new ModelFileError('shape-mismatch', `The saved ALS model has no ${ALS_ITEM_FACTORS}.`);
  }
  return bindable(model, { ...info, userIds: dataset.userIds.slice() }, factors);
}
