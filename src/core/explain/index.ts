/** The explanation engine's public face (worker, CLI, benchmarks). */
export {
  ExplainError,
  type ExplainHooks,
  type ExplainRequest,
  explainRecommendation,
  MAX_EXPLAINED_ITEMS,
  resolveExplainOptions,
} from './engine';
export { type ExplanationReport, explanationReport, type ItemCatalogue } from './report';
export * from './types';
