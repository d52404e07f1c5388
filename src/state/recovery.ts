/**
 * What the page does when its background worker dies (out of memory, a wasm trap, killed):
 * the client has already dropped the dead worker and rejected its calls (worker/client.ts);
 * here the page forgets what died with it (live models, the dataset), starts the fresh worker
 * on the same backend, loads the same files again with the same options, lists the saved
 * models (IndexedDB outlives the worker) and says all that in one sentence.
 *
 * Loop guard: a worker that dies again while the page recovers is not restarted again (the
 * dataset itself may be what kills it); the notice says so and the page waits for the user.
 */
import type { BackendReport } from '../core/backend/types';
import * as client from '../worker/client';
import { forgetDataset, heldDataset, type ReloadOutcome, reloadDataset } from './actions';
import { messageOf } from './messageOf';
import { forgetLiveModels, loadVariants } from './modelActions';
import { refreshSavedModels } from './savedModelActions';
import { useAppStore } from './store';

const MODELS_LOST = 'trained models must be trained again or loaded from Saved models';

/** The recovery running now, if any; `abandoned` once the worker died again during it. */
let current: { abandoned: boolean } | null = null;

/** Recovers from every death of the worker; returns the unsubscribe function. */
export function followWorkerCrashes(): () => void {
  return client.onWorkerLost((error) => {
    void recoverFromCrash(error);
  });
}

/** "The background worker stopped (why)" without its full stop, to begin a longer sentence. */
function stem(error: unknown): string {
  return messageOf(error).replace(/\.$/, '');
}

/**
 * Restores what the page can after the worker died with `error`. Resolves when the notice says
 * how it ended; a second death meanwhile ends it early with a notice that the page stopped.
 */
export async function recoverFromCrash(error: unknown): Promise<void> {
  const store = useAppStore.getState;
  if (current) {
    current.abandoned = true;
    store().setRecovery(
      'failed',
      `${stem(error)} again while the page was recovering, so the page stopped trying: reload it to start over (saved models are kept).`,
    );
    return;
  }
  const run = { abandoned: false };
  current = run;
  try {
    // Read what to restore before forgetting it.
    const previous = store().backendReport;
    const held = heldDataset();
    forgetLiveModels();
    forgetDataset();
    const reloading =
      held === null
        ? ''
        : ` and reloading ${held.kind === 'sample' ? 'the sample' : held.interactions.name}`;
    store().setRecovery('recovering', `${stem(error)}: starting a new one${reloading}…`);

    const backend = await restoreBackend(previous, run);
    if (run.abandoned) return;
    const outcome: ReloadOutcome | null = held ? await reloadDataset(held) : null;
    if (run.abandoned) return;
    await Promise.all([
      refreshSavedModels(),
      store().variants.length === 0 ? loadVariants() : Promise.resolve(),
    ]);
    if (run.abandoned) return;

    const on = backend ? ` on ${backend.backend}` : '';
    if (outcome?.status === 'failed') {
      store().setRecovery(
        'failed',
        `${stem(error)}, so the page started a new one${on}, but ${outcome.fileName} could not be loaded again (see Data); ${MODELS_LOST}.`,
      );
      return;
    }
    const reloaded = outcome?.status === 'reloaded' ? ` and reloaded ${outcome.fileName}` : '';
    store().setRecovery(
      'recovered',
      `${stem(error)}, so the page started a new one${on}${reloaded}; ${MODELS_LOST}.`,
    );
  } finally {
    if (current === run) current = null;
  }
}

/**
 * Starts TF.js in the fresh worker as before: the backend the user forced, or the automatic
 * choice (the same hardware makes the same choice; passing it as preferred would mark it
 * forced). Null when no backend works; the badge then says why, as on a first start.
 */
async function restoreBackend(
  previous: BackendReport | null,
  run: { abandoned: boolean },
): Promise<BackendReport | null> {
  const forced = previous?.forced ? previous.backend : undefined;
  useAppStore.getState().startBackendSwitch(forced ?? null);
  try {
    const report = await client.initBackend(forced);
    if (!run.abandoned) useAppStore.getState().setBackendReport(report);
    return report;
  } catch (error) {
    if (!run.abandoned) useAppStore.getState().failBackend(messageOf(error));
    return null;
  }
}
