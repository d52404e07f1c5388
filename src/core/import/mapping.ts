/**
 * How an imported model's inputs and integer ids map onto the loaded dataset: which input is
 * the history (or the user and the item), the history's length and padding side, and how the
 * model's integer ids relate to the dataset's item (and user) ids. The page proposes a mapping
 * from the model's inputs and layer names and the loaded data; the CLI reads the same thing as
 * a JSON sidecar (`--mapping`). What cannot be mapped is refused in one sentence.
 */
import { ModelFileError } from '../models/modelFileError';
import type { LayersModelShape } from './layersModel';

/**
 * Model integer id ↔ dataset id. `identity`: the model's id k is the dataset id "k";
 * `offset`: model id = dataset id + offset (ids shifted to keep 0 for padding); `list`: the
 * dataset id of model id k is `ids[k]` (a mapping file; "" for ids with no dataset item).
 */
export type IdMapping =
  | { kind: 'identity' }
  | { kind: 'offset'; offset: number }
  | { kind: 'list'; ids: string[] };

export interface HistoryMapping {
  kind: 'history';
  input: string;
  /** Items per padded history the model reads. */
  maxLen: number;
  padding: 'left' | 'right';
  /** The model id that fills the padding (0 for Keras' mask_zero). */
  padValue: number;
  items: IdMapping;
  /** Output column c scores model id c + outputOffset (1 when the padding id has no column). */
  outputOffset: number;
}

export interface IdsMapping {
  kind: 'ids';
  userInput: string;
  itemInput: string;
  items: IdMapping;
  users: IdMapping;
}

export type ModelMapping = HistoryMapping | IdsMapping;

/** A proposal and the reasons behind each choice, shown next to the editable fields. */
export interface MappingProposal {
  mapping: ModelMapping;
  notes: string[];
}

/** A mapping resolved against one dataset: index arrays both ways and what did not match. */
export interface ResolvedIds {
  /** Dataset index → model id (-1: the model does not know it). */
  toModel: Int32Array;
  /** Dataset entries the model knows, and those it does not. */
  known: number;
  unknown: number;
}

const ITEM_WORDS = /item|movie|product|track|song|article|video|sku|book|target|candidate/i;
const USER_WORDS = /user|customer|member|client|session|visitor|account/i;

/** True when every id is a non-negative decimal integer (no sign, no leading zeros but "0"). */
function integerIds(ids: readonly string[]): { min: number; max: number } | null {
  let min = Number.POSITIVE_INFINITY;
  let max = -1;
  for (const id of ids) {
    if (!/^(0|[1-9]\d{0,14})$/.test(id)) return null;
    const n = Number(id);
    if (n < min) min = n;
    if (n > max) max = n;
  }
  return ids.length > 0 ? { min, max } : null;
}

/**
 * The id mapping a model with `vocabulary` ids (its embedding's input_dim) most likely used
 * for `ids`, or null when the dataset's ids are not integers the model could have used.
 */
function proposeIds(
  ids: readonly string[],
  vocabulary: number,
  reserveZero: boolean,
  what: string,
  notes: string[],
): IdMapping {
  const range = integerIds(ids);
  if (!range) {
    notes.push(
      `The dataset's ${what} ids are not integers, so the model's ${what} ids need a mapping file (one id per line, line k = model id k).`,
    );
    return { kind: 'list', ids: [] };
  }
  if (reserveZero && range.min === 0 && range.max + 1 < vocabulary) {
    notes.push(
      `${what} ids start at 0 while the model keeps 0 for padding: model id = ${what} id + 1.`,
    );
    return { kind: 'offset', offset: 1 };
  }
  notes.push(
    `The dataset's ${what} ids are integers from ${range.min} to ${range.max} and the model knows ids below ${vocabulary}: model id = ${what} id.`,
  );
  return { kind: 'identity' };
}

export function refuse(message: string): never {
  throw new ModelFileError('unmappable', message);
}

/**
 * Proposes a mapping from the model's inputs and the loaded data. One input of shape
 * `[L]` read by an Embedding is a history; two inputs of shape `[1]` (or `[]`) read by
 * Embeddings are a user and an item (named by their layer or input names, else by which
 * embedding is as large as the dataset's catalogue). Anything else is refused.
 */
export function proposeMapping(
  model: LayersModelShape,
  itemIds: readonly string[],
  userIds: readonly string[],
): MappingProposal {
  const notes: string[] = [];
  const { inputs, output } = model;
  if (inputs.length === 1) {
    const [input] = inputs;
    if (input.shape.length !== 1) {
      refuse(
        `The model's one input has shape [${input.shape.join(', ')}]; a history model reads one padded sequence of item ids, shape [length].`,
      );
    }
    if (!input.embedding) {
      refuse(
        "The model's input does not go into an Embedding layer, so it does not read item ids; Interest Lens imports models whose input is item ids.",
      );
    }
    const vocabulary = input.embedding.inputDim;
    const columns = output.length === 1 ? output[0] : null;
    if (columns === null) {
      refuse(
        `The model's output has shape [${output.join(', ')}]; a history model must output one score per item, shape [items].`,
      );
    }
    let outputOffset = 0;
    if (columns === vocabulary - 1) {
      outputOffset = 1;
      notes.push(
        `The output has ${columns} columns, one fewer than the ${vocabulary} embedding ids: column c scores model id c + 1 (id 0 is padding).`,
      );
    } else if (columns !== vocabulary) {
      notes.push(
        `The output has ${columns} columns and the embedding ${vocabulary} ids: column c is taken to score model id c.`,
      );
    }
    const maxLen = input.shape[0] ?? 50;
    if (input.shape[0] === null) {
      notes.push('The input declares no length: histories are cut to their last 50 items.');
    }
    notes.push(
      "Histories are left-padded with 0 (Keras pad_sequences' default); change it if the model was trained right-padded.",
    );
    return {
      mapping: {
        kind: 'history',
        input: input.name,
        maxLen,
        padding: 'left',
        padValue: 0,
        items: proposeIds(itemIds, vocabulary, true, 'item', notes),
        outputOffset,
      },
      notes,
    };
  }
  if (inputs.length === 2) {
    const withTables = inputs.filter((i) => i.embedding !== null);
    if (withTables.length !== 2) {
      refuse(
        'The model has two inputs but not both go into an Embedding layer; an ids-in model reads a user id and an item id.',
      );
    }
    const label = (i: (typeof inputs)[number]) => `${i.name} ${i.embedding?.layer ?? ''}`;
    let itemAt = inputs.findIndex((i) => ITEM_WORDS.test(label(i)) && !USER_WORDS.test(label(i)));
    let how = 'by name';
    if (itemAt < 0) {
      const userAt = inputs.findIndex((i) => USER_WORDS.test(label(i)));
      if (userAt >= 0) itemAt = 1 - userAt;
    }
    if (itemAt < 0) {
      // Neither is named: the item table is the one closest to the catalogue's size.
      const gap = (i: number) => Math.abs((inputs[i].embedding?.inputDim ?? 0) - itemIds.length);
      itemAt = gap(0) <= gap(1) ? 0 : 1;
      how = 'by table size (neither input is named for users or items)';
    }
    const item = inputs[itemAt];
    const user = inputs[1 - itemAt];
    notes.push(`${item.name} is taken as the item id and ${user.name} as the user id, ${how}.`);
    const size = output.reduce<number>((n, d) => n * (d ?? 1), 1);
    if (size !== 1) {
      refuse(
        `The model's output has shape [${output.join(', ')}]; an ids-in model must output one score per (user, item) pair.`,
      );
    }
    return {
      mapping: {
        kind: 'ids',
        userInput: user.name,
        itemInput: item.name,
        items: proposeIds(itemIds, item.embedding?.inputDim ?? 0, false, 'item', notes),
        users: proposeIds(userIds, user.embedding?.inputDim ?? 0, false, 'user', notes),
      },
      notes,
    };
  }
  return refuse(
    `The model has ${inputs.length} inputs; Interest Lens imports models with one input (a history of item ids) or two (a user id and an item id).`,
  );
}

/**
 * Resolves an id mapping for `ids` against a model that knows ids `0 .. vocabulary - 1`
 * (`reserved` is the padding id, never a dataset entry).
 */
export function resolveIds(
  mapping: IdMapping,
  ids: readonly string[],
  vocabulary: number,
  reserved: number | null,
): ResolvedIds {
  const toModel = new Int32Array(ids.length).fill(-1);
  let known = 0;
  if (mapping.kind === 'list') {
    if (mapping.ids.length > vocabulary) {
      refuse(
        `The mapping file lists ${mapping.ids.length} ids but the model knows ${vocabulary}; it belongs to another model.`,
      );
    }
    const index = new Map<string, number>();
    for (let k = 0; k < mapping.ids.length; k++) {
      if (mapping.ids[k] !== '' && k !== reserved && !index.has(mapping.ids[k])) {
        index.set(mapping.ids[k], k);
      }
    }
    for (let i = 0; i < ids.length; i++) {
      const k = index.get(ids[i]);
      if (k !== undefined) {
        toModel[i] = k;
        known++;
      }
    }
  } else {
    const offset = mapping.kind === 'offset' ? mapping.offset : 0;
    for (let i = 0; i < ids.length; i++) {
      if (!/^(0|[1-9]\d{0,14})$/.test(ids[i])) continue;
      const k = Number(ids[i]) + offset;
      if (k >= 0 && k < vocabulary && k !== reserved) {
        toModel[i] = k;
        known++;
      }
    }
  }
  return { toModel, known, unknown: ids.length - known };
}

/** Share of the dataset's items the model must know by id before it is imported. */
/**
 * The longest history an imported model is run over: the cap on a mapping's `maxLen`, and on
 * the history length a Keras or graph model may declare (./kerasTopology.ts, ./graphModel.ts).
 */
export const MAX_HISTORY = 10_000;

export const MIN_KNOWN_SHARE = 0.5;

/** Refuses a resolution that leaves too little of the dataset known to the model. */
export function checkCoverage(resolved: ResolvedIds, total: number, what: string): void {
  if (total === 0) return;
  const share = resolved.known / total;
  if (share >= MIN_KNOWN_SHARE) return;
  refuse(
    `Only ${resolved.known} of the dataset's ${total} ${what}s map to a model id (${(100 * share).toFixed(1)} %): the ids do not match; check the id mapping (identity, offset or a mapping file).`,
  );
}
