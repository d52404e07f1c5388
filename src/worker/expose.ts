/**
 * Exposes a {@link LensWorkerApi} with Comlink, freeing each load's (and training's and
 * explanation's) progress-callback proxy (a MessagePort) once it settles, and transferring
 * exported weights. Separate from lens.worker.ts so tests can expose a service on a
 * MessageChannel without Vite's `?url` imports.
 */
import * as Comlink from 'comlink';
import type { LensWorkerApi } from './api';

/** Frees the MessagePort behind a Comlink callback proxy once its load has settled. */
function releasing<T>(callback: unknown, work: Promise<T>): Promise<T> {
  return work.finally(() => {
    const proxy = callback as { [Comlink.releaseProxy]?: () => void } | null;
    try {
      proxy?.[Comlink.releaseProxy]?.();
    } catch {
      // Already released or never a proxy: nothing to free.
    }
  });
}

/** `Comlink.expose` for the lens API; `endpoint` defaults to the worker's global scope. */
export function exposeLensApi(service: LensWorkerApi, endpoint?: Comlink.Endpoint): void {
  const api: LensWorkerApi = {
    ...service,
    loadInteractions: (file, fileName, options, onProgress) =>
      releasing(onProgress, service.loadInteractions(file, fileName, options, onProgress)),
    reapply: (options, onProgress) => releasing(onProgress, service.reapply(options, onProgress)),
    loadItems: (file, fileName, options, onProgress) =>
      releasing(onProgress, service.loadItems(file, fileName, options, onProgress)),
    trainModel: (id, options, onProgress) =>
      releasing(onProgress, service.trainModel(id, options, onProgress)),
    explain: (key, userId, itemId, options, onProgress) =>
      releasing(onProgress, service.explain(key, userId, itemId, options, onProgress)),
    explainHistory: (key, history, itemId, options, onProgress) =>
      releasing(onProgress, service.explainHistory(key, history, itemId, options, onProgress)),
    // The weights move to the page instead of being copied (they can be tens of MB).
    exportModel: async (key) => {
      const files = await service.exportModel(key);
      return Comlink.transfer(files, [files.weightsBin]);
    },
  };
  Comlink.expose(api, endpoint);
}
