/** The service with the real ingest from src/core/data (backend functions stay fake). */
import { describe, expect, it } from 'vitest';
import type { IngestProgress } from '../core/data/types';
import { decodeError, isCancelled } from './errors';
import { ingestDeps } from './ingestDeps';
import { createLensService } from './service';
import { createFakeDeps } from './testDeps';

function realService() {
  const { deps } = createFakeDeps();
  return createLensService({
    ...deps,
    ...ingestDeps,
  });
}

const noop = () => undefined;
let small = 'user,item,timestamp\n';
for (let i = 0; i < 300; i++) small += `u${i % 20},i${i % 31},${1_700_000_000 + i}\n`;
small += 'u1,,1700000000\n';

describe('service with the real ingest', () => {
  it('loads, reports the rejected row, and joins item metadata', async () => {
    const service = realService();
    const summary = await service.loadInteractions(new Blob([small]), 'small.csv', null, noop);
    expect(summary).toMatchObject({ users: 20, items: 31, interactions: 300 });
    expect(summary.report.rejected).toBe(1);
    expect(await service.rejectedRowsCsv()).toMatch(/\n302,missing_item,/);
    const items = 'item,title,genres\ni1,One,Drama|Comedy\ni2,Two,Drama\n';
    const joined = await service.loadItems(new Blob([items]), 'items.csv', null, noop);
    expect(joined.metadata?.matchedItems).toBe(2);
    expect(joined.itemsWithTitle).toBe(2);
  });

  it('cancels a multi-chunk load between slices and keeps the previous dataset', async () => {
    const service = realService();
    await service.loadInteractions(new Blob([small]), 'small.csv', null, noop);
    const big = new Blob(['user,item,timestamp\n', 'u123456,i98765,1700000000\n'.repeat(700_000)]);
    const seen: IngestProgress[] = [];
    const load = service.loadInteractions(big, 'big.csv', null, (p) => {
      seen.push(p);
      service.cancel(); // cancel as soon as the first slice reports
    });
    const error = await load.catch((e: unknown) => e);
    expect(isCancelled(error)).toBe(true);
    expect(seen.at(-1)?.bytesRead ?? 0).toBeLessThan(big.size);
    const after = await service.rejectedRowsCsv();
    expect(after).toMatch(/\n302,missing_item,/);
  });

  it('says in one sentence that a binary file is not a table', async () => {
    const service = realService();
    const bytes = new Uint8Array([0, 1, 2, 3, 255, 0, 0, 7, 8]);
    const error = decodeError(
      await service.loadInteractions(new Blob([bytes]), 'x.bin', null, noop).catch((e) => e),
    );
    expect(error.code).toBe('binary');
    expect(error.message).toMatch(/does not look like a table/);
  });
});
