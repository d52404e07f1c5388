/**
 * The model shipped with the app for the bundled sample (public/sample-model/, trained by
 * `npm run sample-model`), so the first open of the page explains a recommendation without
 * any training. Its two files are fetched from the page's own origin and imported through the
 * worker like any exported model: the worker checks the sample's fingerprint. Only the sample
 * gets it; a dataset the user dropped gets nothing automatically.
 */
import * as client from '../worker/client';
import { messageOf } from './messageOf';
import { useAppStore } from './store';

/** Where the files are served from (Vite copies public/ to the site root). */
export const SAMPLE_MODEL_FILES = {
  modelJson: `${import.meta.env?.BASE_URL ?? '/'}sample-model/model.json`,
  weightsBin: `${import.meta.env?.BASE_URL ?? '/'}sample-model/weights.bin`,
};

async function fetchFile(url: string): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  return response.blob();
}

/** True when a model is live or training already: the shipped one is not needed then. */
function userHasModels(): boolean {
  return Object.values(useAppStore.getState().cards).some(
    (c) => c.card !== null || c.status === 'training',
  );
}

/**
 * Loads the shipped model onto the sample. `stillCurrent` says whether the sample is still
 * the loaded dataset (a file dropped meanwhile wins; nothing is imported onto it).
 */
export async function loadSampleModel(stillCurrent: () => boolean): Promise<void> {
  const store = () => useAppStore.getState();
  store().setSampleModel({ status: 'loading', key: null, message: null });
  try {
    const [modelJson, weightsBin] = await Promise.all([
      fetchFile(SAMPLE_MODEL_FILES.modelJson),
      fetchFile(SAMPLE_MODEL_FILES.weightsBin),
    ]);
    if (!stillCurrent() || userHasModels()) {
      store().setSampleModel({ status: 'skipped', key: null, message: null });
      return;
    }
    const card = await client.importModel(modelJson, weightsBin, { bundled: true });
    if (!stillCurrent()) {
      store().setSampleModel({ status: 'skipped', key: null, message: null });
      return;
    }
    // The worker made it the live model of its key: the card follows, without taking over
    // from a model the user trained meanwhile.
    store().installModel(card, { keepDefault: true });
    store().setSampleModel({ status: 'ready', key: card.key, message: null });
  } catch (error) {
    store().setSampleModel({
      status: 'error',
      key: null,
      message: `The model shipped with the sample could not be loaded: ${messageOf(error)}`,
    });
  }
}
