/**
 * The worker service with the real ingest on a Parquet Blob (read in slices, as in the page),
 * and the page's rule for files above what a tab holds: a user sample instead of a refusal.
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import type { ParseOptions } from '../core/data/types';
import { ingestDeps } from './ingestDeps';
import { createLensService, type LensServiceDeps } from './service';
import { createFakeDeps } from './testDeps';

const noop = () => undefined;

function parquetBlob(rows: number): Blob {
  const bytes = parquetWriteBuffer({
    columnData: [
      {
        name: 'user_id',
        type: 'STRING',
        data: Array.from({ length: rows }, (_, i) => `u${i % 50}`),
      },
      {
        name: 'item_id',
        type: 'INT64',
        data: Array.from({ length: rows }, (_, i) => BigInt(i % 70)),
      },
      {
        name: 'timestamp',
        type: 'TIMESTAMP',
        data: Array.from({ length: rows }, (_, i) => new Date(Date.UTC(2024, 0, 1) + i * 60_000)),
      },
    ],
    rowGroupSize: 100,
  });
  return new Blob([bytes]);
}

describe('the worker loads Parquet and samples users', () => {
  it('loads a Parquet Blob through the real ingest, told by its content', async () => {
    const service = createLensService({ ...createFakeDeps().deps, ...ingestDeps });
    const summary = await service.loadInteractions(parquetBlob(500), 'log.parquet', null, noop);
    expect(summary).toMatchObject({ users: 50, items: 70, interactions: 500 });
    expect(summary.detection.format).toBe('parquet');
    expect(summary.report.format).toBe('parquet');
    // The mapping editor's options come back with a sample: the same users are read again.
    const options: ParseOptions = { ...summary.report.options, sample: { fraction: 0.5, seed: 4 } };
    const sampled = await service.reapply(options, noop);
    expect(sampled.report.sample).toMatchObject({ fraction: 0.5, seed: 4, reason: 'asked' });
    expect(sampled.users).toBe(sampled.report.sample?.keptUsers);
    expect(sampled.report.options.sample).toEqual({ fraction: 0.5, seed: 4 });
  });

  it('asks the ingest for a fitting sample rather than a refusal when a file is too large', async () => {
    const seen: unknown[] = [];
    const base = { ...createFakeDeps().deps, ...ingestDeps };
    const deps: LensServiceDeps = {
      ...base,
      ingestInteractions: (source, options, hooks) => {
        seen.push(hooks?.sampleIfTooLarge);
        return base.ingestInteractions(source, options, hooks);
      },
    };
    const service = createLensService(deps);
    await service.loadInteractions(parquetBlob(100), 'log.parquet', null, noop);
    expect(seen).toEqual([true]);
  });
});
