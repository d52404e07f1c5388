/**
 * Saving, listing, renaming, deleting and loading models in the browser's store, and export
 * and import as files. A restored model becomes the live model of its variant, and its card
 * says where it came from and whether its items were the same as the loaded dataset's.
 */
import { importedRecord } from '../core/import/index';
import type { LensWorkerApi, ModelCardSummary, ModelFiles, ModelSource } from './api';
import { LensError } from './errors';
import type { LiveModels } from './liveModels';
import type { ModelServiceDeps } from './modelServiceDeps';
import type { RecordCheck } from './recordCheck';

/** The part of the worker API that stores, restores, exports and imports models. */
export type SavedModelMethods = Pick<
  LensWorkerApi,
  | 'saveModel'
  | 'listSavedModels'
  | 'renameSavedModel'
  | 'deleteSavedModel'
  | 'loadSavedModel'
  | 'exportModel'
  | 'importModel'
>;

/** The saved-model methods over the live models of the worker. */
export function createSavedModelMethods(
  deps: ModelServiceDeps,
  models: LiveModels,
  check: RecordCheck,
): SavedModelMethods {
  async function restoreInto(
    modelJson: string,
    weightsBin: Uint8Array,
    kind: 'saved' | 'imported' | 'bundled',
  ): Promise<ModelCardSummary> {
    const ctx = models.data();
    await deps.ensureBackend();
    const restored = await deps.restore(modelJson, weightsBin, ctx.dataset, models.features(ctx));
    const source: ModelSource = {
      kind,
      name: restored.name,
      datasetName: restored.datasetName,
      match: restored.match,
      matchNote: restored.matchNote,
    };
    // On the same data the record's test metrics are this split's: checked against the
    // baselines when the file was saved before the check existed (or shipped without it).
    // A model from another engine restored onto other data is evaluated afresh on this data
    // (it maps its own ids): its saved metrics were those of the data it was imported on.
    const imported = restored.model.imported;
    let record = restored.record;
    try {
      if (imported && restored.match === 'mapped') {
        record = await check(ctx, await importedRecord(restored.model, ctx.split, imported.kind));
      } else if (restored.match === 'same' && restored.record.belowBaselines === undefined) {
        record = await check(ctx, restored.record).catch(() => restored.record);
      }
    } catch (error) {
      restored.model.dispose();
      throw error;
    }
    return models.install(restored.model, {
      key: restored.record.modelId,
      id: restored.record.modelId,
      status: 'trained',
      record,
      source,
      examplesPerSec: null,
    });
  }

  return {
    async saveModel(key, name) {
      const entry = models.get(key);
      const trimmed = name.trim() || `${entry.card.id} model`;
      const files = models.encode(entry, trimmed);
      return (await models.store()).save(files.modelJson, files.weightsBin);
    },
    listSavedModels: async () => (await models.store()).list(),
    async renameSavedModel(key, name) {
      const trimmed = name.trim();
      if (!trimmed) throw new LensError('storage', 'A saved model needs a name.');
      const opened = await models.store();
      await opened.rename(key, trimmed);
      const renamed = (await opened.list()).find((m) => m.key === key);
      if (!renamed) throw new LensError('storage', `The saved model ${key} is gone.`);
      return renamed;
    },
    deleteSavedModel: async (key) => (await models.store()).remove(key),
    async loadSavedModel(key) {
      const files = await (await models.store()).load(key);
      return restoreInto(files.modelJson, files.weightsBin, 'saved');
    },

    async exportModel(key): Promise<ModelFiles> {
      const entry = models.get(key);
      const name =
        entry.card.source.kind === 'saved' ||
        entry.card.source.kind === 'imported' ||
        entry.card.source.kind === 'bundled'
          ? entry.card.source.name
          : entry.card.id;
      const files = models.encode(entry, name);
      const bytes = files.weightsBin;
      const whole =
        bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
          ? (bytes.buffer as ArrayBuffer)
          : (bytes.slice().buffer as ArrayBuffer);
      return { modelJson: files.modelJson, weightsBin: whole };
    },

    async importModel(modelJson, weightsBin, options) {
      const [text, bytes] = await Promise.all([modelJson.text(), weightsBin.arrayBuffer()]);
      return restoreInto(text, new Uint8Array(bytes), options?.bundled ? 'bundled' : 'imported');
    },
  };
}
