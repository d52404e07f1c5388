/**
 * Saving models in the browser (IndexedDB, held by the worker), exporting them as two files,
 * importing those files, and loading, renaming and deleting saved models. Each action reports
 * its outcome in one line (`savedMessage`); a refused load says why (e.g. other data).
 */
import type { ModelCardSummary } from '../worker/api';
import * as client from '../worker/client';
import { messageOf } from './messageOf';
import { saveBlobFile } from './saveTextFile';
import { useAppStore } from './store';

/**
 * Re-reads the list of saved models. A browser that keeps none (no IndexedDB, a private
 * window) gets an empty list with the reason beside it, not an error per action.
 */
export async function refreshSavedModels(): Promise<void> {
  try {
    useAppStore.getState().setSavedModels(await client.listSavedModels());
  } catch (error) {
    useAppStore.getState().failSavedModels(messageOf(error));
  }
}

/** Runs one saved-model action with the busy flag and its message. */
async function savedAction(work: () => Promise<string>): Promise<void> {
  const store = useAppStore.getState();
  if (store.savedBusy) return;
  store.setSavedBusy(true);
  store.clearSavedMessage();
  try {
    const message = await work();
    useAppStore.getState().setSavedMessage('info', message);
  } catch (error) {
    useAppStore.getState().setSavedMessage('error', messageOf(error));
  } finally {
    useAppStore.getState().setSavedBusy(false);
  }
}

/** A default name: the variant, the data and the day, e.g. "gru · sample interactions.csv". */
export function defaultModelName(card: ModelCardSummary, datasetName: string | null): string {
  const day = card.record.trainedAt.slice(0, 10);
  return [card.id, datasetName, day].filter(Boolean).join(' · ');
}

/** Saves the live model `key` in this browser under a default name (rename it in the list). */
export function saveModelToBrowser(key: string): Promise<void> {
  return savedAction(async () => {
    const { cards, summary } = useAppStore.getState();
    const card = cards[key]?.card;
    if (!card) throw new Error(`There is no trained ${key} model to save.`);
    const saved = await client.saveModel(key, defaultModelName(card, summary?.fileName ?? null));
    await refreshSavedModels();
    return `Saved “${saved.name}” in this browser.`;
  });
}

/** Downloads the live model `key` as `<key>.model.json` and `<key>.weights.bin`. */
export function exportModelFiles(key: string): Promise<void> {
  return savedAction(async () => {
    const files = await client.exportModel(key);
    const base = key.replace(/[^\w.-]+/g, '-');
    saveBlobFile(`${base}.model.json`, new Blob([files.modelJson], { type: 'application/json' }));
    saveBlobFile(
      `${base}.weights.bin`,
      new Blob([files.weightsBin], { type: 'application/octet-stream' }),
    );
    return `Exported ${key} as ${base}.model.json and ${base}.weights.bin.`;
  });
}

/** Loads a saved model onto the loaded dataset; it becomes the live model of its variant. */
export function loadSavedModel(key: string): Promise<void> {
  return savedAction(async () => {
    const card = await client.loadSavedModel(key);
    useAppStore.getState().installModel(card);
    return loadedMessage(card);
  });
}

function loadedMessage(card: ModelCardSummary): string {
  const source = card.source;
  if (source.kind === 'trained' || source.kind === 'int8') return `${card.key} is ready.`;
  const how =
    source.match === 'same'
      ? 'trained on this dataset'
      : `trained on ${source.datasetName}, items matched by id${source.matchNote ? ` (${source.matchNote})` : ''}`;
  return `Loaded “${source.name}” as ${card.id}: ${how}.`;
}

/**
 * Splits the files a user picked into `model.json` and `weights.bin`: exactly one of each,
 * told apart by extension (`.json` vs anything else), or a sentence saying what is missing.
 */
export function pairModelFiles(files: readonly File[]): { json: File; weights: File } {
  const json = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  const weights = files.filter((f) => !f.name.toLowerCase().endsWith('.json'));
  if (json.length !== 1 || weights.length !== 1) {
    throw new Error(
      `Choose two files together: the model's .json file and its weights .bin file (got ${files.length} file${files.length === 1 ? '' : 's'}: ${json.length} .json, ${weights.length} other).`,
    );
  }
  return { json: json[0], weights: weights[0] };
}

/** Imports a model from its two files (picked together in one file dialog). */
export function importModelFiles(files: readonly File[]): Promise<void> {
  return savedAction(async () => {
    const { json, weights } = pairModelFiles(files);
    const card = await client.importModel(json, weights);
    useAppStore.getState().installModel(card);
    return loadedMessage(card);
  });
}

/** Renames a saved model. */
export function renameSavedModel(key: string, name: string): Promise<void> {
  return savedAction(async () => {
    const saved = await client.renameSavedModel(key, name);
    await refreshSavedModels();
    return `Renamed to “${saved.name}”.`;
  });
}

/** Deletes a saved model from this browser (a live model of the same variant stays). */
export function deleteSavedModel(key: string): Promise<void> {
  return savedAction(async () => {
    const name = useAppStore.getState().savedModels.find((m) => m.key === key)?.name ?? key;
    await client.deleteSavedModel(key);
    await refreshSavedModels();
    return `Deleted “${name}”.`;
  });
}
