/**
 * The real ingest functions of src/core/data, as the worker's service takes them. The worker
 * entry and the service's integration test share this one list, so the test runs the ingest
 * the worker runs.
 */
import {
  blobSource,
  detectFormat,
  ingestInteractions,
  ingestItemMetadata,
  rejectedRowsToCsv,
  summarizeDataset,
} from '../core/data/index';
import type { LensServiceDeps } from './service';

export const ingestDeps = {
  blobSource,
  detectFormat,
  ingestInteractions,
  ingestItemMetadata,
  summarizeDataset,
  rejectedRowsToCsv,
} satisfies Partial<LensServiceDeps>;
