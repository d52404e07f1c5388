/**
 * Models from other engines: read the files the user picked, propose the id mapping, import
 * with the chosen one, evaluate on the loaded data and install the result as a live model. The
 * files never leave the worker.
 */

import { importFactorModel } from '../core/import/factorModel';
import { importedRecord, importTfjsModel, type ModelMapping } from '../core/import/index';
import { parseIdList, parseMapping } from '../core/import/mappingFiles';
import type { NamedFile } from '../core/import/modelFiles';
import { readTfjsModelFiles } from '../core/import/modelFiles';
import { loadTfjsModel, proposeFor } from '../core/import/tfjsModel';
import type { TrainedRecommender } from '../core/models/trained';
import type { ImportedModelId } from '../core/models/types';
import type {
  ForeignImportOptions,
  ForeignModelProposal,
  LensWorkerApi,
  ModelCardSummary,
} from './api';
import type { DataContext } from './dataContext';
import { LensError } from './errors';
import type { LiveModels } from './liveModels';
import type { ModelServiceDeps } from './modelServiceDeps';
import type { RecordCheck } from './recordCheck';

export type ForeignMethods = Pick<LensWorkerApi, 'proposeForeignModel' | 'importForeignModel'>;

/** Most bytes the files of one import may hold (read whole: shards, factor tables as text). */
export const MAX_IMPORT_FILE_BYTES = 2 ** 30;

/** The picked files' bytes, after checking their sizes (nothing is read past the bound). */
async function namedFiles(files: File[]): Promise<NamedFile[]> {
  const total = files.reduce((n, f) => n + f.size, 0);
  if (total > MAX_IMPORT_FILE_BYTES) {
    throw new LensError(
      'model-file',
      `The chosen files hold ${(total / 2 ** 30).toFixed(1)} GiB, more than the 1 GiB a model import can read in this page: import it with 'npm run lens -- import' and load the model folder, or export a smaller model (see docs/scale-out.md).`,
    );
  }
  return Promise.all(
    files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
  );
}

/** The mapping with the id lists of the files the user gave. */
async function withIdFiles(
  mapping: ModelMapping,
  options: ForeignImportOptions,
): Promise<ModelMapping> {
  const read = async (file: File | undefined) =>
    file ? parseIdList(await file.text(), file.name) : null;
  // A file counts only where the mapping says "a mapping file" (a file picked before the user
  // switched back to identity or an offset is not used).
  const next = { ...mapping };
  if (next.items.kind === 'list') {
    const items = await read(options.itemIdsFile);
    if (items) next.items = { kind: 'list', ids: items };
  }
  if (next.kind === 'ids' && next.users.kind === 'list') {
    const users = await read(options.userIdsFile);
    if (users) next.users = { kind: 'list', ids: users };
  }
  // The same checks as the CLI's sidecar (a history length of 1e8 would exhaust the tab).
  return parseMapping(JSON.stringify(next));
}

/** A TF.js model comes as a model.json (and shards); anything else is taken for factor tables. */
const isTfjs = (files: File[]) => files.some((f) => f.name.toLowerCase().endsWith('.json'));

export function createForeignMethods(
  deps: ModelServiceDeps,
  models: LiveModels,
  check: RecordCheck,
): ForeignMethods {
  /** Evaluates an imported model on the loaded data and makes it live; frees it on failure. */
  async function install(
    model: TrainedRecommender,
    id: ImportedModelId,
    name: string | undefined,
    ctx: DataContext,
  ): Promise<ModelCardSummary> {
    try {
      const record = await check(ctx, await importedRecord(model, ctx.split, id));
      const info = model.imported;
      const source = info?.source ?? id;
      return models.install(model, {
        key: id,
        id,
        status: 'trained',
        record,
        source: {
          kind: 'imported',
          name: name?.trim() || `${id} model`,
          datasetName: source,
          match: 'same',
          matchNote: null,
          engine: { source, notes: info?.notes ?? [] },
        },
        examplesPerSec: null,
      });
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  return {
    async proposeForeignModel(files): Promise<ForeignModelProposal> {
      const ctx = models.data();
      await deps.ensureBackend();
      if (!isTfjs(files)) {
        const roles = files.map((f) => ({
          name: f.name,
          role: /user/i.test(f.name) ? ('users' as const) : ('items' as const),
        }));
        return {
          kind: 'factors',
          files: roles,
          notes: [
            'Factor tables (Spark ALS): give the hyper-parameters the model was trained with (implicit or explicit, λ = regParam, α) to fold each history in and get exact per-item contributions; without them the user factor table is needed and only the item-neighbourhood view explains.',
          ],
        };
      }
      const loaded = await loadTfjsModel(readTfjsModelFiles(await namedFiles(files)));
      try {
        const { mapping, notes } = proposeFor(loaded, ctx.dataset);
        const empty = (m: ModelMapping['items']) => m.kind === 'list' && m.ids.length === 0;
        return {
          kind: 'tfjs',
          summary: {
            kind: loaded.kind,
            source: loaded.source,
            inputs: loaded.shape.inputs.map((i) => ({ name: i.name, shape: i.shape })),
            output: loaded.shape.output,
            parameters: loaded.shape.parameters,
          },
          mapping,
          notes,
          needsIdFile: {
            items: empty(mapping.items),
            users: mapping.kind === 'ids' && empty(mapping.users),
          },
        };
      } finally {
        loaded.dispose();
      }
    },

    async importForeignModel(files, options = {}): Promise<ModelCardSummary> {
      const ctx = models.data();
      await deps.ensureBackend();
      const given = await namedFiles(files);
      if (!isTfjs(files)) {
        const model = await importFactorModel(given, ctx.dataset, options.als ?? null);
        return install(model, 'als', options.name, ctx);
      }
      let mapping = options.mapping;
      if (!mapping && (options.itemIdsFile || options.userIdsFile)) {
        // Id files without a mapping: the proposal's, with the files applied.
        const loaded = await loadTfjsModel(readTfjsModelFiles(given));
        try {
          mapping = proposeFor(loaded, ctx.dataset).mapping;
        } finally {
          loaded.dispose();
        }
      }
      if (mapping) mapping = await withIdFiles(mapping, options);
      const imported = await importTfjsModel(given, ctx.dataset, mapping);
      return install(imported.model, imported.summary.kind, options.name, ctx);
    },
  };
}
