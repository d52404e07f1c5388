/**
 * Reads the interaction file (delimited text or Parquet, told by its content) and the optional
 * item metadata file from disk with the same core ingest the browser worker runs, so a dataset
 * on the command line is byte-for-byte the dataset the page would build from the same files.
 * A file above what a tab holds is refused with the `--sample-users` share that would fit,
 * rather than sampled silently: a script says which sample it wants.
 */
import { stat } from 'node:fs/promises';
import {
  type IngestResult,
  type ItemMetadataSummary,
  ingestInteractions,
  ingestItemMetadata,
} from '../../core/data';
import { fileSource } from '../../core/data/nodeSource';
import type { ByteSource, Dataset, UserSample } from '../../core/data/types';
import { UsageError } from '../args';
import { ingestProgress, type Write } from '../progress';

export interface LoadedData {
  /** Interactions with the item metadata joined on, when a metadata file was given. */
  dataset: Dataset;
  interactions: IngestResult;
  /** The summary of the metadata join; null without `--items`. */
  metadata: ItemMetadataSummary | null;
  fileName: string;
}

export interface LoadOptions {
  items: string | null;
  /** Load only a user-hash sample of the interactions (`--sample-users`); null = everyone. */
  sample?: UserSample | null;
  signal?: AbortSignal;
  /** Where progress lines go (stderr). */
  progress: Write;
}

/**
 * A file the user named: a missing path or a folder is a usage mistake (exit 2), said with
 * the option it came from; anything else the file system refuses is reported as it is.
 */
export async function openInputFile(path: string, what: string): Promise<ByteSource> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new UsageError(`${what} not found: ${path}`);
    throw error;
  });
  if (info.isDirectory()) throw new UsageError(`${what} is a folder, not a file: ${path}`);
  return fileSource(path);
}

/** Ingests the interactions (detected format) and joins the metadata file onto them. */
export async function loadData(path: string, options: LoadOptions): Promise<LoadedData> {
  const source = await openInputFile(path, 'interaction file');
  const itemSource = options.items ? await openInputFile(options.items, 'item file') : null;
  const interactions = await ingestInteractions(source, null, {
    sample: options.sample ?? null,
    signal: options.signal,
    onProgress: ingestProgress(options.progress, source.name),
  });
  if (!itemSource) {
    return { dataset: interactions.dataset, interactions, metadata: null, fileName: source.name };
  }
  const joined = await ingestItemMetadata(itemSource, null, interactions.dataset, {
    signal: options.signal,
    onProgress: ingestProgress(options.progress, itemSource.name),
  });
  return {
    dataset: joined.dataset,
    interactions,
    metadata: joined.summary,
    fileName: source.name,
  };
}
