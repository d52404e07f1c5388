/**
 * Ingest of user-behaviour files for the worker, the CLI and tests. The Node file source lives
 * in `./nodeSource` and is deliberately not re-exported, so browser bundles never see `node:fs`.
 */
export { detectFormat } from './detect';
export { optionsFromDetection } from './detectedOptions';
export { type IngestHooks, type IngestResult, ingestInteractions } from './ingest';
export { MAX_INGEST_BYTES, MAX_INGEST_ROWS } from './ingestLimits';
export { type ItemMetadataResult, ingestItemMetadata } from './itemMetadata';
export { detectItemMetadata, type ItemMetadataDetection } from './itemMetadataDetect';
export { MAX_KEPT_REJECTED_ROWS, rejectedRowsToCsv } from './rejections';
export { blobSource, bytesSource } from './sources';
export { countHistogram, summarizeDataset } from './summary';
export * from './types';
export { formatShare, USER_SAMPLE_METHOD, userHash } from './userSample';
