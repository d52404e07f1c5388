/**
 * Why a saved model could not be read or restored. Every failure of an import says, in one
 * sentence, what is wrong with the file and, where it helps, what to do; `code` lets the UI
 * and the CLI branch without parsing the message.
 */

export type ModelFileErrorCode =
  | 'not-json'
  | 'not-interest-lens'
  | 'version-too-new'
  | 'unknown-model'
  | 'invalid-metadata'
  | 'unsupported-dtype'
  | 'weights-truncated'
  | 'weights-too-long'
  | 'shape-mismatch'
  | 'non-finite-weights'
  | 'dataset-mismatch'
  | 'too-large'
  // Models from other engines (core/import):
  | 'missing-file'
  | 'unknown-layer'
  | 'unsupported-model'
  | 'unmappable';

export class ModelFileError extends Error {
  constructor(
    readonly code: ModelFileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ModelFileError';
  }
}
