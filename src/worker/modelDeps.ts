/**
 * The real src/core functions behind the model service, wired for the worker (and for Node
 * integration tests: nothing here needs a browser except the IndexedDB store, opened lazily).
 */
import { activeBackend, initBackend } from '../core/backend/index';
import type { WasmPaths } from '../core/backend/init';
import { explainRecommendation, resolveExplainOptions } from '../core/explain/index';
import { itemFeaturesFromDataset } from '../core/models/features';
import { encodeModel, loadModelFile } from '../core/persist/index';
import { baselineScores, withBaselineCheck } from '../core/train/baselineCheck';
import { temporalLeaveLastOut } from '../core/train/split';
import { availableVariants, topK, trainVariant } from '../core/train/variants';
import { deriveInt8Variant } from './int8';
import type { ModelServiceDeps, RestoredModel } from './modelService';
import { openModelStore } from './modelStore';
import { lossTrajectory } from './trainingProbe';

/** Every variant is trained and evaluated on this split: users need train, validation and test. */
export const MIN_INTERACTIONS = 3;

/** One sentence on how a saved model's items were matched to the loaded dataset's. */
function matchNote(
  match: RestoredModel['match'],
  mapped: { mappedItems: number; unknownItems: number; absentItems: number } | null,
): string | null {
  if (match === 'same' || !mapped) return null;
  return `${mapped.mappedItems} items matched by id; ${mapped.unknownItems} items of this dataset are unknown to the model and never recommended; ${mapped.absentItems} of its items are not in this dataset`;
}

/** Builds the model service's deps; `wasmPaths` as for the backend (Vite's asset URLs). */
export function createModelDeps(wasmPaths?: WasmPaths): ModelServiceDeps {
  return {
    availableVariants,
    splitDataset: (dataset) => temporalLeaveLastOut(dataset, { minInteractions: MIN_INTERACTIONS }),
    itemFeatures: itemFeaturesFromDataset,
    trainVariant: (dataset, split, id, options) => trainVariant(dataset, split, id, options),
    topK,
    encode: encodeModel,
    async restore(modelJson, weightsBin, dataset) {
      const loaded = await loadModelFile(modelJson, weightsBin, dataset);
      const mapped = loaded.match.status === 'mapped' ? loaded.match : null;
      const match = loaded.match.status;
      return {
        model: loaded.model,
        record: loaded.meta.record,
        name: loaded.meta.name,
        datasetName: loaded.meta.dataset.name,
        match,
        matchNote: matchNote(match, mapped),
      };
    },
    openModelStore,
    deriveInt8: deriveInt8Variant,
    lossTrajectory,
    explain: explainRecommendation,
    resolveExplainOptions,
    activeBackend,
    async checkBaselines(dataset, split, record, given) {
      return withBaselineCheck(record, await baselineScores(dataset, split, { given }));
    },
    async ensureBackend() {
      if (activeBackend() === null) await initBackend({ wasmPaths });
    },
  };
}
