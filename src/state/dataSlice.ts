import { optionsFromDetection } from '../core/data/detectedOptions';
import type { DatasetSummary, Detection, IngestProgress, ParseOptions } from '../core/data/types';
import type { AppState } from './store';
import type { StateCreator } from './types';

/** What the data panel is doing right now. */
export type DataStatus = 'idle' | 'loading' | 'ready' | 'error';

/** Which kind of load is running, so the UI can word its progress line. */
export type LoadKind = 'sample' | 'interactions' | 'reapply' | 'items';

/**
 * The ingest state the UI shows. The dataset itself lives in the worker; here are only its
 * summary, the progress of a running load, and the mapping editor's draft.
 *
 * Error policy: a failed load sets `status: 'error'` and `error`, and keeps `summary` as it was,
 * because the worker replaces its dataset only on success: the previous dataset is still the
 * one loaded, so the UI keeps showing it below the error with a note. A cancelled load goes
 * back to `ready` (previous summary) or `idle` (none) without an error.
 */
export interface DataSlice {
  status: DataStatus;
  loadKind: LoadKind | null;
  /** The file being loaded, or the one that last failed; the summary's own name is in `summary`. */
  fileName: string | null;
  summary: DatasetSummary | null;
  progress: IngestProgress | null;
  /** One-sentence message of the last failed load; null otherwise. */
  error: string | null;
  /** Which kind of load failed, e.g. to say "the item file could not be joined". */
  errorKind: LoadKind | null;
  /** Detection of the interaction file in the mapping editor (from the summary or from detect). */
  detection: Detection | null;
  /** The mapping editor's edited options; re-applied on demand. */
  draftOptions: ParseOptions | null;
  /** The options `detection` describes (what the file was last parsed or detected with). */
  appliedOptions: ParseOptions | null;

  startLoad: (kind: LoadKind, fileName: string) => void;
  setProgress: (progress: IngestProgress) => void;
  /** A load finished: the summary describes the worker's new current dataset. */
  finishLoad: (summary: DatasetSummary) => void;
  /**
   * The first file of a two-file load (the sample) is in: show its summary and keep loading
   * the second file under `nextKind`.
   */
  advanceLoad: (summary: DatasetSummary, nextKind: LoadKind, nextFileName: string) => void;
  /** A load was cancelled: the previous dataset (if any) is still current. */
  cancelLoadState: () => void;
  /**
   * A load failed. `detection`, when given, replaces the mapping editor's file so the user can
   * fix the mapping of the file that failed.
   */
  failLoad: (message: string, detection?: Detection | null) => void;
  setDraftOptions: (options: ParseOptions) => void;
  resetDraftOptions: () => void;
  /**
   * The worker that held the dataset died: nothing is loaded any more, so the summary and the
   * mapping editor's view of it go too (a reload puts them back).
   */
  clearDataset: () => void;
}

const noDataset = {
  status: 'idle',
  loadKind: null,
  fileName: null,
  summary: null,
  progress: null,
  error: null,
  errorKind: null,
  detection: null,
  draftOptions: null,
  appliedOptions: null,
} satisfies Partial<DataSlice>;

export const createDataSlice: StateCreator<AppState, DataSlice> = (set, get) => ({
  ...noDataset,

  startLoad: (kind, fileName) =>
    set({
      status: 'loading',
      loadKind: kind,
      fileName,
      progress: null,
      error: null,
      errorKind: null,
    }),

  setProgress: (progress) => {
    if (get().status === 'loading') set({ progress });
  },

  finishLoad: (summary) =>
    set((state) => ({
      // Joining item metadata does not change the interaction file: the mapping editor keeps
      // showing whatever file it showed (possibly one that failed and is being fixed).
      ...(state.loadKind === 'items' && state.detection
        ? { summary, progress: null }
        : summaryFields(summary)),
      status: 'ready',
      loadKind: null,
      fileName: summary.fileName,
      error: null,
      errorKind: null,
    })),

  advanceLoad: (summary, nextKind, nextFileName) =>
    set({
      ...summaryFields(summary),
      status: 'loading',
      loadKind: nextKind,
      fileName: nextFileName,
    }),

  cancelLoadState: () =>
    set((state) => ({
      status: state.summary ? 'ready' : 'idle',
      loadKind: null,
      fileName: state.summary?.fileName ?? null,
      progress: null,
    })),

  failLoad: (message, detection) =>
    set((state) => {
      const next: Partial<DataSlice> = {
        status: 'error',
        errorKind: state.loadKind,
        loadKind: null,
        progress: null,
        error: message,
      };
      if (detection) {
        const options = optionsFromDetection(detection);
        next.detection = detection;
        next.draftOptions = options;
        next.appliedOptions = options;
      }
      return next;
    }),

  setDraftOptions: (options) => set({ draftOptions: options }),

  resetDraftOptions: () => {
    const applied = get().appliedOptions;
    set({ draftOptions: applied ? copyOptions(applied) : null });
  },

  clearDataset: () => set(noDataset),
});

/** The fields a new current dataset sets: its summary and the mapping editor's view of it. */
function summaryFields(summary: DatasetSummary): Partial<DataSlice> {
  return {
    summary,
    progress: null,
    detection: summary.detection,
    draftOptions: copyOptions(summary.report.options),
    appliedOptions: summary.report.options,
  };
}

/** A copy so the draft never aliases the summary's options object. */
function copyOptions(options: ParseOptions): ParseOptions {
  return { ...options, mapping: { ...options.mapping } };
}
