/**
 * The actions that talk to the worker. Plain module-level functions (no hook needed): the UI
 * calls them from event handlers and `main.tsx` calls `startApp()` once.
 *
 * Every load gets a sequence number; results of a load that a newer one superseded are
 * ignored, so a slow old file can never overwrite a newer summary.
 */
import type { BackendName, BackendReport } from '../core/backend/types';
import type {
  DatasetSummary,
  IngestProgress,
  ItemMetadataOptions,
  ParseOptions,
} from '../core/data/types';
import * as client from '../worker/client';
import type { LoadKind } from './dataSlice';
import { messageOf } from './messageOf';
import { isTraining, loadVariants, onDatasetReplaced, onMetadataJoined } from './modelActions';
import { SAMPLE_FILES } from './sampleFiles';
import { loadSampleModel } from './sampleModel';
import { refreshSavedModels } from './savedModelActions';
import { saveTextFile } from './saveTextFile';
import { useAppStore } from './store';

interface HeldFile {
  blob: Blob;
  name: string;
}

/** The interaction file of the current dataset (for re-apply after a later file failed). */
let loadedFile: HeldFile | null = null;
/** The interaction file the mapping editor shows; differs from `loadedFile` after a failure. */
let editorFile: HeldFile | null = null;
/**
 * The item metadata file joined onto the current dataset: the worker holds its own copy, but
 * a worker that dies takes it along, and the page reloads the dataset from these files.
 */
let loadedItems: HeldFile | null = null;
let loadSeq = 0;
/** The ticket of the running bundled-sample load, if any (a crash mid-way loads it again). */
let sampleTicket: LoadTicket | null = null;

/** Handle on one load: whether its results still count, and its progress callback. */
interface LoadTicket {
  /** No newer load has started: a result of this load is the worker's current dataset. */
  latest: () => boolean;
  /** Latest and not cancelled: the load may go on to its next stage. */
  active: () => boolean;
  onProgress: (progress: IngestProgress) => void;
}

let cancelledSeq = 0;

/** Starts a load and returns its ticket. */
function beginLoad(kind: LoadKind, fileName: string): LoadTicket {
  const seq = ++loadSeq;
  useAppStore.getState().startLoad(kind, fileName);
  const latest = () => seq === loadSeq;
  const active = () => latest() && cancelledSeq !== seq;
  const onProgress = (progress: IngestProgress) => {
    if (active()) useAppStore.getState().setProgress(progress);
  };
  return { latest, active, onProgress };
}

/**
 * Handles the end of a failed load. A cancelled load has already restored the previous state
 * (see `cancelLoad`), so it ends quietly; other failures show their message and, for an
 * interaction file, what detection made of it so the mapping can be fixed in place.
 */
async function handleFailure(
  error: unknown,
  ticket: LoadTicket,
  failedFile: HeldFile | null,
): Promise<void> {
  if (!ticket.active()) return;
  if (client.isCancelled(error)) {
    useAppStore.getState().cancelLoadState();
    return;
  }
  const message = messageOf(error);
  let detection = null;
  if (failedFile) {
    detection = await client.detect(failedFile.blob, failedFile.name).catch(() => null);
    if (!ticket.active()) return;
    if (detection) editorFile = failedFile;
  }
  useAppStore.getState().failLoad(message, detection);
}

/** Loads an interaction file the user chose or dropped, with detected options. */
export async function loadFile(file: File): Promise<void> {
  const held = { blob: file, name: file.name };
  const ticket = beginLoad('interactions', file.name);
  try {
    const summary = await client.loadInteractions(file, file.name, null, ticket.onProgress);
    if (!ticket.latest()) return;
    loadedFile = held;
    editorFile = held;
    loadedItems = null;
    useAppStore.getState().finishLoad(summary);
    onDatasetReplaced();
  } catch (error) {
    await handleFailure(error, ticket, held);
  }
}

/**
 * Re-parses the mapping editor's file with edited options: `reapply` (no re-upload) when it
 * is the current dataset's file, a fresh load with these options when it is a file that failed.
 */
export async function applyMapping(options: ParseOptions): Promise<void> {
  const file = editorFile ?? loadedFile;
  const reapplyCurrent = file !== null && file === loadedFile;
  const ticket = beginLoad('reapply', file?.name ?? 'current file');
  try {
    const summary: DatasetSummary =
      reapplyCurrent || !file
        ? await client.reapply(options, ticket.onProgress)
        : await client.loadInteractions(file.blob, file.name, options, ticket.onProgress);
    if (!ticket.latest()) return;
    if (file) loadedFile = file;
    // A re-applied mapping joins the metadata again; a different file starts without it.
    if (!reapplyCurrent) loadedItems = null;
    useAppStore.getState().finishLoad(summary);
    onDatasetReplaced();
  } catch (error) {
    // Keep the user's edits in the editor: no detection replaces them.
    await handleFailure(error, ticket, null);
  }
}

/** Joins an item metadata file (titles, categories) onto the current dataset. */
export async function loadItemFile(file: File): Promise<void> {
  const ticket = beginLoad('items', file.name);
  try {
    const summary = await client.loadItems(file, file.name, null, ticket.onProgress);
    if (!ticket.latest()) return;
    loadedItems = { blob: file, name: file.name };
    useAppStore.getState().finishLoad(summary);
    onMetadataJoined();
  } catch (error) {
    await handleFailure(error, ticket, null);
  }
}

/** Fetches a bundled file from the page's own origin. */
async function fetchBundled(url: string, name: string): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`The bundled ${name} could not be fetched (HTTP ${response.status}).`);
  }
  return response.blob();
}

/** Loads the bundled sample (interactions, then item metadata) so the page opens with data. */
export async function loadSample(): Promise<void> {
  const { interactions, items } = SAMPLE_FILES;
  const ticket = beginLoad('sample', interactions.name);
  sampleTicket = ticket;
  try {
    const interactionBlob = await fetchBundled(interactions.url, interactions.name);
    if (!ticket.active()) return;
    const first = await client.loadInteractions(
      interactionBlob,
      interactions.name,
      null,
      ticket.onProgress,
    );
    if (!ticket.latest()) return;
    loadedFile = { blob: interactionBlob, name: interactions.name };
    editorFile = loadedFile;
    loadedItems = null;
    onDatasetReplaced();
    if (!ticket.active()) {
      // Cancelled as the interactions finished: they are the worker's dataset now; stop here.
      useAppStore.getState().finishLoad(first);
      return;
    }
    useAppStore.getState().advanceLoad(first, 'items', items.name);
    const itemBlob = await fetchBundled(items.url, items.name);
    if (!ticket.active()) return;
    const joined = await client.loadItems(itemBlob, items.name, null, ticket.onProgress);
    if (!ticket.latest()) return;
    loadedItems = { blob: itemBlob, name: items.name };
    useAppStore.getState().finishLoad(joined);
    onMetadataJoined();
    // First run: the model shipped for the sample, so a recommendation is explained at once.
    await loadSampleModel(ticket.latest);
  } catch (error) {
    await handleFailure(error, ticket, null);
  }
}

/**
 * What the page needs to load the current dataset again into a fresh worker: the bundled
 * sample (a crash interrupted its first load), or the files it holds with the options they
 * were read with (detected or edited; the summary records them).
 */
export type HeldDataset =
  | { kind: 'sample' }
  | {
      kind: 'files';
      interactions: HeldFile;
      options: ParseOptions;
      items: { file: HeldFile; options: ItemMetadataOptions } | null;
    };

/** The dataset the page holds right now, or null when none is loaded or being loaded. */
export function heldDataset(): HeldDataset | null {
  const state = useAppStore.getState();
  // A running sample load may have the interactions but not yet the items: start it over.
  if (state.status === 'loading' && sampleTicket?.latest()) return { kind: 'sample' };
  const summary = state.summary;
  if (!loadedFile || !summary) return null;
  const metadata = summary.metadata;
  return {
    kind: 'files',
    interactions: loadedFile,
    options: summary.report.options,
    items:
      metadata && loadedItems?.name === metadata.fileName
        ? { file: loadedItems, options: metadata.options }
        : null,
  };
}

/**
 * The worker died and its dataset with it: the page forgets the dataset too (a load still
 * running is abandoned; its late failure is ignored), until {@link reloadDataset} puts it back.
 */
export function forgetDataset(): void {
  loadSeq++;
  sampleTicket = null;
  loadedFile = null;
  editorFile = null;
  loadedItems = null;
  useAppStore.getState().clearDataset();
}

/** How {@link reloadDataset} ended. */
export type ReloadOutcome =
  | { status: 'reloaded'; fileName: string }
  | { status: 'failed'; fileName: string; message: string }
  /** The user loaded or cancelled meanwhile: their choice stands. */
  | { status: 'superseded' };

/**
 * Loads `held` into the (fresh) worker exactly as it was: the interaction file with the options
 * it was read with, then the item metadata file it had joined. Progress, Cancel and failures
 * show as for any load.
 */
export async function reloadDataset(held: HeldDataset): Promise<ReloadOutcome> {
  if (held.kind === 'sample') {
    await loadSample();
    const state = useAppStore.getState();
    if (state.status === 'ready' && state.summary) {
      return { status: 'reloaded', fileName: state.summary.fileName };
    }
    return state.status === 'error'
      ? {
          status: 'failed',
          fileName: SAMPLE_FILES.interactions.name,
          message: state.error ?? 'unknown',
        }
      : { status: 'superseded' };
  }
  const { interactions, options, items } = held;
  const ticket = beginLoad('interactions', interactions.name);
  let reading = interactions.name;
  try {
    const first = await client.loadInteractions(
      interactions.blob,
      interactions.name,
      options,
      ticket.onProgress,
    );
    if (!ticket.latest()) return { status: 'superseded' };
    loadedFile = interactions;
    editorFile = interactions;
    onDatasetReplaced();
    if (!items || !ticket.active()) {
      // Cancelled as the interactions finished: they are the worker's dataset; stop here.
      useAppStore.getState().finishLoad(first);
      return { status: 'reloaded', fileName: first.fileName };
    }
    reading = items.file.name;
    useAppStore.getState().advanceLoad(first, 'items', items.file.name);
    const joined = await client.loadItems(
      items.file.blob,
      items.file.name,
      items.options,
      ticket.onProgress,
    );
    if (!ticket.latest()) return { status: 'superseded' };
    loadedItems = items.file;
    useAppStore.getState().finishLoad(joined);
    onMetadataJoined();
    return { status: 'reloaded', fileName: joined.fileName };
  } catch (error) {
    await handleFailure(error, ticket, null);
    return ticket.active()
      ? { status: 'failed', fileName: reading, message: messageOf(error) }
      : { status: 'superseded' };
  }
}

/**
 * Stops the running load. The UI goes back at once to the previous dataset; the worker stops
 * within one chunk and keeps that dataset. Should the load finish before the cancel lands,
 * its summary still arrives and is shown, since it is then the worker's current dataset.
 */
export function cancelLoad(): void {
  if (useAppStore.getState().status !== 'loading') return;
  cancelledSeq = loadSeq;
  // The running load's own promise reports the outcome; a failed cancel call adds nothing.
  Promise.resolve(client.cancel()).catch(() => undefined);
  useAppStore.getState().cancelLoadState();
}

/** Downloads every rejected row of the current dataset as CSV. Rejects with a message on failure. */
export async function downloadRejected(): Promise<void> {
  const summary = useAppStore.getState().summary;
  const csv = await client.rejectedRowsCsv();
  const base = (summary?.fileName ?? 'dataset').replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '-');
  saveTextFile(`${base}-rejected-rows.csv`, csv, 'text/csv');
}

/** Initialises the worker's TF.js backend (automatic choice unless `preferred` is given). */
export async function initBackend(preferred?: BackendName): Promise<void> {
  useAppStore.getState().startBackendSwitch(preferred ?? null);
  try {
    useAppStore.getState().setBackendReport(await client.initBackend(preferred));
  } catch (error) {
    useAppStore.getState().failBackend(messageOf(error));
  }
}

/**
 * Switches the worker to `name` and resolves to its report; on failure the previous backend
 * stays, the badge shows why, and the promise rejects with that message (for scripted use).
 */
export async function requestBackend(name: BackendName): Promise<BackendReport> {
  const { backendReport } = useAppStore.getState();
  if (backendReport?.backend === name) return backendReport;
  if (isTraining()) {
    // The model being trained holds tensors on the current backend.
    throw new Error(`Cannot switch to ${name} while a model trains: cancel it or wait.`);
  }
  useAppStore.getState().startBackendSwitch(name);
  try {
    const report = await client.setBackend(name);
    useAppStore.getState().setBackendReport(report);
    return report;
  } catch (error) {
    const message = `Could not switch to ${name}: ${messageOf(error)}`;
    useAppStore.getState().failBackend(message);
    throw new Error(message);
  }
}

/** Switches the backend from the badge's select; a failure is shown in the badge. */
export async function switchBackend(name: BackendName): Promise<void> {
  if (useAppStore.getState().backendStatus === 'switching') return;
  await requestBackend(name).catch(() => undefined);
}

/**
 * Everything the page does when it opens: choose a backend, load the bundled sample, list the
 * model variants and the models saved in this browser.
 */
export async function startApp(): Promise<void> {
  await Promise.all([initBackend(), loadSample(), loadVariants(), refreshSavedModels()]);
}
