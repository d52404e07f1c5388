/**
 * Field-by-field checks of a model file's metadata: a hand-edited or damaged file is refused
 * with the name of the first field that is wrong, instead of failing later in the UI.
 */

import type { ModelMapping } from '../import/mapping';
import { parseMapping } from '../import/mappingFiles';
import { ModelFileError } from '../models/modelFileError';
import type { TrainingRecord } from '../models/trained';
import { IMPORTED_MODEL_IDS } from '../models/types';
import type { SavedImportedMeta, SavedModelMeta } from './format';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(field: string, what: string): never {
  throw new ModelFileError('invalid-metadata', `The model file's ${field} ${what}.`);
}

function count(value: unknown, field: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    invalid(field, `must be an integer of at least ${min}`);
  }
  return value;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') invalid(field, 'must be text');
  return value;
}

function numbers(value: unknown, field: string): number[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' || v === null)) {
    invalid(field, 'must be a list of numbers');
  }
  // JSON writes NaN as null; read it back as NaN rather than refusing the whole file.
  return value.map((v) => (v === null ? Number.NaN : v));
}

function checkRecord(raw: unknown): TrainingRecord {
  if (!isRecord(raw)) invalid('record', 'is missing');
  const hyper = raw.hyper;
  if (
    !isRecord(hyper) ||
    !Object.values(hyper).every((v) => ['number', 'string', 'boolean'].includes(typeof v))
  ) {
    invalid('record.hyper', 'must map names to numbers, text or booleans');
  }
  for (const which of ['validation', 'test'] as const) {
    const report = raw[which];
    if (report !== null && !(isRecord(report) && Array.isArray(report.atK))) {
      invalid(`record.${which}`, 'must be a metric report or null');
    }
  }
  if (typeof raw.seed !== 'number') invalid('record.seed', 'must be a number');
  const training = raw.training;
  if (
    training !== undefined &&
    !(
      isRecord(training) &&
      ['learningRate', 'batchSize', 'patience'].every((k) => typeof training[k] === 'number')
    )
  ) {
    invalid('record.training', 'must give learningRate, batchSize and patience as numbers');
  }
  if (typeof raw.trainSeconds !== 'number') invalid('record.trainSeconds', 'must be a number');
  count(raw.epochs, 'record.epochs');
  count(raw.bestEpoch, 'record.bestEpoch');
  text(raw.backend, 'record.backend');
  text(raw.protocol, 'record.protocol');
  text(raw.trainedAt, 'record.trainedAt');
  const testRanks = raw.testRanks;
  if (testRanks !== undefined) {
    const ok =
      isRecord(testRanks) &&
      Array.isArray(testRanks.users) &&
      Array.isArray(testRanks.ranks) &&
      testRanks.users.length === testRanks.ranks.length &&
      testRanks.users.every((u) => Number.isInteger(u) && (u as number) >= 0) &&
      testRanks.ranks.every((r) => Number.isInteger(r) && (r as number) >= 0);
    if (!ok) invalid('record.testRanks', 'must list users and their ranks (non-negative integers)');
  }
  const below = raw.belowBaselines;
  if (below !== undefined && !(Array.isArray(below) && below.every((b) => typeof b === 'string'))) {
    invalid('record.belowBaselines', 'must list model ids');
  }
  return {
    ...(raw as unknown as TrainingRecord),
    lossCurve: numbers(raw.lossCurve, 'record.lossCurve'),
    validationCurve: numbers(raw.validationCurve, 'record.validationCurve'),
  };
}

/** The metadata as typed data, or a `ModelFileError` naming the first bad field. */
export function checkMeta(raw: Record<string, unknown>): SavedModelMeta {
  const numItems = count(raw.numItems, 'numItems', 1);
  const itemIds = raw.itemIds;
  if (!Array.isArray(itemIds) || !itemIds.every((id) => typeof id === 'string')) {
    invalid('itemIds', 'must be a list of item ids');
  }
  if (itemIds.length !== numItems) {
    invalid('itemIds', `list ${itemIds.length} ids for ${numItems} items`);
  }
  if (new Set(itemIds).size !== itemIds.length) invalid('itemIds', 'contain duplicates');
  const dataset = raw.dataset;
  if (!isRecord(dataset)) invalid('dataset', 'is missing');
  const features = raw.features ?? null;
  if (features !== null) {
    if (!isRecord(features)) invalid('features', 'must be feature sizes or null');
    count(features.numCategories, 'features.numCategories');
    count(features.titleBuckets, 'features.titleBuckets');
  }
  return {
    format: 'interest-lens-model',
    version: 1,
    name: text(raw.name, 'name'),
    record: checkRecord(raw.record),
    numItems,
    itemIds: itemIds as string[],
    dataset: {
      fingerprint: text(dataset.fingerprint, 'dataset.fingerprint'),
      name: text(dataset.name, 'dataset.name'),
      users: count(dataset.users, 'dataset.users'),
      items: count(dataset.items, 'dataset.items'),
      interactions: count(dataset.interactions, 'dataset.interactions'),
    },
    features: features as SavedModelMeta['features'],
    ...(raw.imported !== undefined ? { imported: checkImported(raw.imported, raw.record) } : {}),
    savedAt: typeof raw.savedAt === 'string' ? raw.savedAt : '',
  };
}

/** The metadata of a model imported from another engine (see format.ts `SavedImportedMeta`). */
function checkImported(raw: unknown, record: unknown): SavedImportedMeta {
  if (!isRecord(raw)) invalid('imported', 'must be an object');
  const kind = raw.kind;
  if (!(IMPORTED_MODEL_IDS as readonly unknown[]).includes(kind)) {
    invalid('imported.kind', `must be one of ${IMPORTED_MODEL_IDS.join(', ')}`);
  }
  if (!isRecord(record) || record.modelId !== kind) {
    invalid('imported.kind', "must be the record's model id");
  }
  const notes = raw.notes ?? [];
  if (!Array.isArray(notes) || !notes.every((n) => typeof n === 'string')) {
    invalid('imported.notes', 'must be a list of sentences');
  }
  let mapping: ModelMapping | null = null;
  if (raw.mapping !== null && raw.mapping !== undefined) {
    try {
      mapping = parseMapping(JSON.stringify(raw.mapping));
    } catch (error) {
      invalid('imported.mapping', error instanceof Error ? error.message : String(error));
    }
  }
  const tfjs = raw.tfjs ?? null;
  if (
    tfjs !== null &&
    !(
      isRecord(tfjs) &&
      (tfjs.format === 'layers-model' || tfjs.format === 'graph-model') &&
      isRecord(tfjs.modelTopology)
    )
  ) {
    invalid('imported.tfjs', 'must give the TF.js format and model topology');
  }
  if ((kind === 'keras' || kind === 'graph') && (tfjs === null || mapping === null)) {
    invalid('imported', `of a ${kind} model must give its topology and id mapping`);
  }
  const userIds = raw.userIds;
  if (
    userIds !== undefined &&
    !(Array.isArray(userIds) && userIds.every((u) => typeof u === 'string'))
  ) {
    invalid('imported.userIds', 'must be a list of user ids');
  }
  const als = raw.als;
  if (
    als !== undefined &&
    als !== null &&
    !(
      isRecord(als) &&
      typeof als.implicit === 'boolean' &&
      Number.isFinite(als.lambda) &&
      (als.lambda as number) >= 0 &&
      Number.isFinite(als.alpha) &&
      (als.alpha as number) >= 0
    )
  ) {
    invalid(
      'imported.als',
      'must give implicit (true or false), lambda and alpha (non-negative numbers)',
    );
  }
  return {
    kind: kind as SavedImportedMeta['kind'],
    source: typeof raw.source === 'string' ? raw.source : 'another engine',
    mapping,
    notes: notes as string[],
    tfjs: tfjs as SavedImportedMeta['tfjs'],
    ...(userIds !== undefined ? { userIds: userIds as string[] } : {}),
    ...(als !== undefined ? { als: als as SavedImportedMeta['als'] } : {}),
  };
}
