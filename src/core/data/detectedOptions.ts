import type { Detection, ParseOptions } from './types';

/**
 * The options detection proposes (what the mapping step shows before the user edits it).
 * Kept apart from ingest so the UI state can use it without bundling the ingest code.
 */
export function optionsFromDetection(detection: Detection): ParseOptions {
  return {
    delimiter: detection.delimiter,
    hasHeader: detection.hasHeader,
    encoding: detection.encoding,
    mapping: { ...detection.mapping },
    timestampFormat: detection.timestampFormat,
  };
}
