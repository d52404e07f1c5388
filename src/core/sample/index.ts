/**
 * The bundled sample dataset: a seeded simulation of user behaviour with planted surface,
 * middle and deep interests (see docs/sample-data.md).
 */
export { DEFAULT_SAMPLE_CONFIG, resolveSampleConfig, type SampleConfig } from './config';
export {
  renderSampleFiles,
  type SampleFileName,
  toGroundTruthJson,
  toInteractionsCsv,
  toItemsCsv,
} from './format';
export { SeededRandom } from './random';
export { simulateSample } from './simulate';
export * from './types';
