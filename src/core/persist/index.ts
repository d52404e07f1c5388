export { ModelFileError, type ModelFileErrorCode } from '../models/modelFileError';
export { type DecodedModel, decodeModel } from './decode';
export type { SavedFeatureSizes } from './features';
export { datasetFingerprint } from './fingerprint';
export {
  encodeModel,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelJson,
  type SavedModelMeta,
  WEIGHTS_FILE,
} from './format';
export { type DatasetMatch, MIN_KNOWN_ITEM_SHARE, mapToDataset, matchDataset } from './match';
export { importedMatch, type LoadedModel, loadModelFile, loadSavedModel } from './restore';
export {
  checkModelName,
  MAX_MODEL_NAME,
  renameModelJson,
  type SavedModelSummary,
  summarizeSavedModel,
} from './summary';
