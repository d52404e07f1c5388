/**
 * The client against a real Comlink connection: the service runs at the far end of a
 * MessageChannel, as it would in the worker, with fake core functions (testDeps.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IngestProgress } from '../core/data/types';
import {
  createLensClient,
  isCancelled,
  type LensClient,
  LensError,
  type WorkerLike,
} from './client';
import { exposeLensApi } from './expose';
import { createLensService } from './service';
import { createFakeDeps, type FakeControls } from './testDeps';

const openPorts: MessagePort[] = [];

/** A "worker": a fresh service exposed on one end of a new channel, per spawn. */
function fakeWorkerFactory(controls: FakeControls[]): () => WorkerLike {
  return () => {
    const fake = createFakeDeps();
    controls.push(fake.controls);
    const { port1, port2 } = new MessageChannel();
    openPorts.push(port1, port2);
    exposeLensApi(createLensService(fake.deps), port1);
    return Object.assign(port2, {
      terminate() {
        port1.close();
        port2.close();
      },
    });
  };
}

function setup(): { client: LensClient; controls: FakeControls[] } {
  const controls: FakeControls[] = [];
  return { client: createLensClient(fakeWorkerFactory(controls)), controls };
}

afterEach(() => {
  for (const port of openPorts.splice(0)) port.close();
});

describe('createLensClient over Comlink', () => {
  it('loads a file with progress arriving through a callback proxy', async () => {
    const { client } = setup();
    const seen: IngestProgress[] = [];
    const summary = await client.loadInteractions(new Blob(['abcd']), 'a.csv', null, (p) =>
      seen.push(p),
    );
    expect(summary.fileName).toBe('a.csv');
    // Progress travels on the callback proxy's own port, so it may land just after the result.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen.at(-1)).toMatchObject({ bytesRead: 4, totalBytes: 4 });
    expect(await client.rejectedRowsCsv()).toContain('a.csv');
  });

  it('cancels a load in flight; the UI can tell it from a failure', async () => {
    const { client, controls } = setup();
    await client.loadInteractions(new Blob(['1']), 'first.csv', null);
    controls[0].chunks = 200;
    controls[0].chunkMs = 5;
    const load = client.loadInteractions(new Blob(['2']), 'second.csv', null);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await client.cancel();
    const error = await load.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LensError);
    expect(isCancelled(error)).toBe(true);
    expect((error as LensError).message).toBe('Loading was cancelled.');
    expect(await client.rejectedRowsCsv()).toContain('first.csv');
  });

  it('delivers real failures with their code and a message for the user', async () => {
    const { client } = setup();
    const error = await client.loadItems(new Blob(['i']), 'items.csv', null).catch((e) => e);
    expect(error).toBeInstanceOf(LensError);
    expect((error as LensError).code).toBe('no-dataset');
    expect(isCancelled(error)).toBe(false);
  });

  it('restartWorker rejects calls in flight and starts a fresh worker (dataset lost)', async () => {
    const { client, controls } = setup();
    await client.initBackend();
    controls[0].chunks = 1000;
    controls[0].chunkMs = 5;
    const hung = client.loadInteractions(new Blob(['x']), 'big.csv', null);
    await new Promise((resolve) => setTimeout(resolve, 10));
    client.restartWorker();
    const error = await hung.catch((e: unknown) => e);
    expect((error as LensError).code).toBe('worker-restarted');
    const after = await client.rejectedRowsCsv().catch((e: unknown) => e);
    expect((after as LensError).code).toBe('no-dataset');
    expect(controls).toHaveLength(2);
  });

  it('a killed worker rejects calls in flight as crashed, tells the listeners once, and is replaced', async () => {
    const { client, controls } = setup();
    const lostErrors: LensError[] = [];
    client.onWorkerLost((error) => lostErrors.push(error));
    await client.loadInteractions(new Blob(['1']), 'first.csv', null);
    controls[0].chunks = 1000;
    controls[0].chunkMs = 5;
    const hung = client.loadInteractions(new Blob(['2']), 'big.csv', null);
    await new Promise((resolve) => setTimeout(resolve, 10));
    client.killWorker();
    client.killWorker(); // no worker any more: nothing to report twice
    const error = (await hung.catch((e: unknown) => e)) as LensError;
    expect(error.code).toBe('worker-crashed');
    expect(error.message).toBe('The background worker stopped (it was terminated).');
    expect(lostErrors.map((e) => e.code)).toEqual(['worker-crashed']);
    // The next call runs on a fresh worker, which has no dataset.
    const after = await client.rejectedRowsCsv().catch((e: unknown) => e);
    expect((after as LensError).code).toBe('no-dataset');
    expect(controls).toHaveLength(2);
  });

  it("the worker's error and messageerror events take the crash path; a restart does not", async () => {
    const ports: MessagePort[] = [];
    const factory = fakeWorkerFactory([]);
    const client = createLensClient(() => {
      const spawned = factory();
      ports.push(spawned as unknown as MessagePort);
      return spawned;
    });
    const reasons: string[] = [];
    const unsubscribe = client.onWorkerLost((error) => reasons.push(error.message));
    await client.initBackend();
    const uncaught = new Event('error') as Event & { message?: string };
    uncaught.message = 'Uncaught RangeError: Array buffer allocation failed';
    ports[0].dispatchEvent(uncaught);
    ports[0].dispatchEvent(new Event('error')); // the same dead worker: reported once
    await client.initBackend();
    ports[1].dispatchEvent(new Event('messageerror'));
    await client.initBackend();
    client.restartWorker();
    expect(reasons).toEqual([
      'The background worker stopped (Uncaught RangeError: Array buffer allocation failed).',
      'The background worker stopped (a message from it could not be read).',
    ]);
    unsubscribe();
    await client.initBackend();
    client.killWorker();
    expect(reasons).toHaveLength(2);
  });

  it('cancel before any worker exists does not start one', async () => {
    const { client, controls } = setup();
    await client.cancel();
    expect(controls).toHaveLength(0);
  });
});
