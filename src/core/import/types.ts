/**
 * What an imported model carries besides its scoring: where it came from, how its ids map onto
 * the data, the files to save it again unchanged, and what its explanations can and cannot do.
 * Plain data: it is saved in the model file's metadata and crosses the worker boundary.
 */
import type { ImportedModelId } from '../models/types';
import type { ModelMapping } from './mapping';

/** The ALS hyper-parameters a fold-in needs (Spark's `regParam`, `alpha`, `implicitPrefs`). */
export interface AlsParams {
  implicit: boolean;
  lambda: number;
  alpha: number;
}

/** A TF.js model's files as imported (saved back unchanged, quantisation included). */
export interface TfjsArtifacts {
  format: 'layers-model' | 'graph-model';
  modelTopology: Record<string, unknown>;
  weightSpecs: import('./modelFiles').TfjsWeightSpec[];
  weightData: ArrayBuffer;
}

export interface ImportedModelInfo {
  kind: ImportedModelId;
  /** "Keras 2.15.0 via TensorFlow.js Converter v4.22.0", "Spark ALS factor tables", ... */
  source: string;
  /** keras / graph: how inputs and ids map onto the data (re-resolved on every load). */
  mapping: ModelMapping | null;
  artifacts: TfjsArtifacts | null;
  /** als: the hyper-parameters (null: scored from stored user factors, no fold-in). */
  als?: AlsParams | null;
  /** als without hyper-parameters: the user factors' ids, row by row. */
  userIds?: string[];
  /** One sentence per thing the user should know (which explanations apply, and why). */
  notes: string[];
}
