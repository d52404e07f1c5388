import { describe, expect, it } from 'vitest';
import type { IngestProgress, ParseOptions } from '../core/data/types';
import { decodeError, isCancelled } from './errors';
import { createLensService } from './service';
import { createFakeDeps } from './testDeps';

const file = (text: string) => new Blob([text]);
const noop = () => undefined;
const options = { delimiter: ';' } as unknown as ParseOptions;

function setup() {
  const { deps, controls } = createFakeDeps();
  return { service: createLensService(deps), controls };
}

describe('createLensService loads', () => {
  it('loads a file, summarises it and keeps its rejected rows for download', async () => {
    const { service } = setup();
    const summary = await service.loadInteractions(file('a,b\n1,2\n'), 'a.csv', null, noop);
    expect(summary.fileName).toBe('a.csv');
    expect(await service.rejectedRowsCsv()).toBe('3,missing_user,in a.csv');
  });

  it('cancels within a chunk, rejects with cancelled and keeps the previous dataset', async () => {
    const { service, controls } = setup();
    await service.loadInteractions(file('first'), 'first.csv', null, noop);
    controls.chunks = 50;
    controls.chunkMs = 5;
    const seen: IngestProgress[] = [];
    const load = service.loadInteractions(file('second'), 'second.csv', null, (p) => seen.push(p));
    await new Promise((resolve) => setTimeout(resolve, 20));
    service.cancel();
    const error = await load.catch((e: unknown) => e);
    expect(isCancelled(error)).toBe(true);
    expect((error as Error).message).toMatch(/^\[cancelled\] /);
    expect(seen.length).toBeLessThan(50);
    expect(await service.rejectedRowsCsv()).toContain('first.csv');
  });

  it('runs one load at a time: a new load cancels the running one', async () => {
    const { service, controls } = setup();
    controls.chunks = 20;
    const first = service.loadInteractions(file('x'), 'one.csv', null, noop);
    const second = service.loadInteractions(file('y'), 'two.csv', null, noop);
    const third = service.loadInteractions(file('z'), 'three.csv', null, noop);
    const [a, b, c] = await Promise.allSettled([first, second, third]);
    expect(a.status === 'rejected' && isCancelled(a.reason)).toBe(true);
    expect(b.status === 'rejected' && isCancelled(b.reason)).toBe(true);
    expect(c.status === 'fulfilled' && c.value.fileName).toBe('three.csv');
    // The second load never started parsing: it was cancelled while waiting for the first.
    expect(controls.ingestCalls).toBe(2);
  });

  it('passes the ingest error code and message through, and keeps the previous dataset', async () => {
    const { service, controls } = setup();
    await service.loadInteractions(file('good'), 'good.csv', null, noop);
    controls.failWith = { fileName: 'photo.jpg', code: 'not-a-table' };
    const error = decodeError(
      await service.loadInteractions(file('x'), 'photo.jpg', null, noop).catch((e: unknown) => e),
    );
    expect(error.code).toBe('not-a-table');
    expect(error.message).toBe('photo.jpg is not a table.');
    expect(await service.rejectedRowsCsv()).toContain('good.csv');
  });

  it('throttles progress and always delivers the final step', async () => {
    const { service, controls } = setup();
    controls.chunks = 40;
    controls.chunkMs = 0;
    const seen: IngestProgress[] = [];
    await service.loadInteractions(file('0123456789'), 'p.csv', null, (p) => seen.push(p));
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.length).toBeLessThan(40);
    expect(seen[seen.length - 1]).toMatchObject({ bytesRead: 10, rows: 400 });
  });
});

describe('createLensService items and reapply', () => {
  it('refuses item metadata before any dataset, with a clear error', async () => {
    const { service } = setup();
    const error = decodeError(
      await service.loadItems(file('i'), 'items.csv', null, noop).catch((e: unknown) => e),
    );
    expect(error.code).toBe('no-dataset');
    expect(error.message).toMatch(/Load an interaction file before/);
  });

  it('joins item metadata and keeps it when the mapping is re-applied', async () => {
    const { service } = setup();
    await service.loadInteractions(file('x'), 'events.csv', null, noop);
    const joined = await service.loadItems(file('i'), 'items.csv', null, noop);
    expect(joined.metadata?.fileName).toBe('items.csv');
    expect(joined.itemsWithTitle).toBe(1);
    const again = await service.reapply(options, noop);
    expect(again.fileName).toBe('events.csv');
    expect(again.metadata?.fileName).toBe('items.csv');
    expect(again.report.options).toBe(options);
  });

  it('drops metadata when a different interaction file is loaded', async () => {
    const { service } = setup();
    await service.loadInteractions(file('x'), 'events.csv', null, noop);
    await service.loadItems(file('i'), 'items.csv', null, noop);
    const next = await service.loadInteractions(file('y'), 'other.csv', null, noop);
    expect(next.metadata).toBeNull();
  });

  it('refuses reapply before any file', async () => {
    const { service } = setup();
    const error = decodeError(await service.reapply(options, noop).catch((e: unknown) => e));
    expect(error.code).toBe('no-file');
  });
});

describe('createLensService backend', () => {
  it('initialises the backend on demand for smokeCompute', async () => {
    const { service } = setup();
    expect(await service.smokeCompute()).toEqual({ backend: 'wasm', values: [0.25, 0.75] });
    expect((await service.setBackend('cpu')).backend).toBe('cpu');
    expect((await service.smokeCompute()).backend).toBe('cpu');
  });
});
