import type { ModelCardSummary, TrainProgress, VariantInfo } from '../worker/api';
import type { AppState } from './store';
import {
  appendBatchPoint,
  curvesFromRecord,
  emptyCurves,
  type TrainingCurves,
} from './trainingCurves';
import type { StateCreator } from './types';

/** What a model card shows: `data-status` in the page. */
export type ModelStatus = 'untrained' | 'training' | 'trained' | 'error';

/** The epochs/seed/learning-rate inputs of a card. */
export interface TrainSettings {
  epochs: number;
  seed: number;
  /** Adam learning rate of a neural model; null = the model's own tuned default. */
  learningRate: number | null;
  /** Time limit of a neural model's run in seconds; null = none (epochs and patience decide). */
  maxSeconds: number | null;
}

/** The run in progress on a card (discarded on cancel). */
export interface TrainingRun {
  epochs: number;
  epoch: number;
  batch: number;
  batches: number;
  loss: number | null;
  examplesPerSec: number | null;
  curves: TrainingCurves;
}

/**
 * One variant's card. `card` is the live model in the worker and stays through a new run,
 * a cancel or a failure (the worker keeps it too), so the card can always say what is usable.
 */
export interface ModelCardState {
  status: ModelStatus;
  card: ModelCardSummary | null;
  /** Curves of the live model (its record, plus the batch losses when this page trained it). */
  curves: TrainingCurves;
  run: TrainingRun | null;
  /** Why the last run failed; cleared by the next run. */
  error: string | null;
  settings: TrainSettings;
}

/** Default settings: a few seconds to a minute on the bundled sample on wasm. */
export const DEFAULT_SETTINGS: Record<string, TrainSettings> = {
  default: { epochs: 5, seed: 42, learningRate: null, maxSeconds: null },
  pop: { epochs: 1, seed: 42, learningRate: null, maxSeconds: null },
  itemknn: { epochs: 1, seed: 42, learningRate: null, maxSeconds: null },
};

export const settingsFor = (id: string): TrainSettings =>
  DEFAULT_SETTINGS[id] ?? DEFAULT_SETTINGS.default;

const freshCard = (id: string, settings = settingsFor(id)): ModelCardState => ({
  status: 'untrained',
  card: null,
  curves: emptyCurves(),
  run: null,
  error: null,
  settings,
});

/**
 * Model variants and their cards. Ids, numbers and curves only; every model lives in the worker.
 * The previous model of a variant stays current until a new run finishes: a cancelled or
 * failed run returns the card to what it was (with the failure's message on `error`).
 */
export interface ModelsSlice {
  variants: VariantInfo[];
  /** By model key (a variant id, or a derived model's key). */
  cards: Record<string, ModelCardState>;
  /** The key of the most recently trained or loaded model (the default for recommendations). */
  lastModelKey: string | null;
  /** The model whose int8 variant is being derived, if any. */
  derivingFrom: string | null;

  setVariants: (variants: VariantInfo[]) => void;
  setTrainSettings: (key: string, settings: Partial<TrainSettings>) => void;
  startTraining: (key: string, epochs: number) => void;
  trainingProgress: (key: string, progress: TrainProgress) => void;
  /** A run finished: its model is the card's live model now. */
  finishTraining: (card: ModelCardSummary) => void;
  /** A run was cancelled: back to the previous model (or untrained), no error. */
  cancelTrainingState: (key: string) => void;
  failTraining: (key: string, message: string) => void;
  /**
   * A saved or imported model became the live model of its key. It becomes the default of the
   * recommendation list unless `keepDefault` and another model already is (the model shipped
   * with the sample does not take over from one the user trained meanwhile). A card that is
   * training keeps its run: the run's result replaces this model when it finishes.
   */
  installModel: (card: ModelCardSummary, options?: { keepDefault?: boolean }) => void;
  /** The dataset changed: the worker dropped every model; settings stay. */
  resetModels: () => void;
  setDerivingFrom: (key: string | null) => void;
  /** Shows a message on a card without changing its model (e.g. a failed int8 derivation). */
  setCardError: (key: string, message: string | null) => void;
}

function updateCard(
  state: AppState,
  key: string,
  change: (card: ModelCardState) => Partial<ModelCardState>,
): Partial<ModelsSlice> {
  const current = state.cards[key] ?? freshCard(key);
  return { cards: { ...state.cards, [key]: { ...current, ...change(current) } } };
}

const settledStatus = (card: ModelCardState): ModelStatus => (card.card ? 'trained' : 'untrained');

export const createModelsSlice: StateCreator<AppState, ModelsSlice> = (set) => ({
  variants: [],
  cards: {},
  lastModelKey: null,
  derivingFrom: null,

  setVariants: (variants) =>
    set((state) => {
      const cards = { ...state.cards };
      for (const v of variants) cards[v.id] ??= freshCard(v.id);
      return { variants, cards };
    }),

  setTrainSettings: (key, settings) =>
    set((state) => updateCard(state, key, (c) => ({ settings: { ...c.settings, ...settings } }))),

  startTraining: (key, epochs) =>
    set((state) =>
      updateCard(state, key, () => ({
        status: 'training',
        error: null,
        run: {
          epochs,
          epoch: 0,
          batch: 0,
          batches: 0,
          loss: null,
          examplesPerSec: null,
          curves: emptyCurves(),
        },
      })),
    ),

  trainingProgress: (key, p) =>
    set((state) => {
      const run = state.cards[key]?.run;
      if (!run || state.cards[key].status !== 'training') return state;
      const curves = run.curves;
      const next: TrainingRun =
        p.kind === 'batch'
          ? {
              ...run,
              epoch: p.epoch,
              batch: p.batch,
              batches: p.batches,
              loss: p.loss,
              examplesPerSec: p.examplesPerSec,
              curves: {
                ...curves,
                batchLoss: appendBatchPoint(curves.batchLoss, {
                  x: p.epoch - 1 + p.batch / Math.max(1, p.batches),
                  value: p.loss,
                }),
              },
            }
          : {
              ...run,
              epoch: p.epoch,
              curves: {
                ...curves,
                epochLoss: [...curves.epochLoss, { x: p.epoch, value: p.loss }],
                validation: [...curves.validation, { x: p.epoch, value: p.validationNdcg10 }],
              },
            };
      return updateCard(state, key, () => ({ run: next }));
    }),

  finishTraining: (card) =>
    set((state) => ({
      ...updateCard(state, card.key, (c) => ({
        status: 'trained',
        card,
        curves: curvesFromRecord(card.record, c.run?.curves.batchLoss ?? []),
        run: null,
        error: null,
      })),
      lastModelKey: card.key,
    })),

  cancelTrainingState: (key) =>
    set((state) => updateCard(state, key, (c) => ({ status: settledStatus(c), run: null }))),

  failTraining: (key, message) =>
    set((state) =>
      // `error` only when no usable model remains; otherwise the previous model is shown.
      updateCard(state, key, (c) => ({
        status: c.card ? 'trained' : 'error',
        run: null,
        error: message,
      })),
    ),

  installModel: (card, options) =>
    set((state) => ({
      ...updateCard(state, card.key, (c) =>
        c.status === 'training'
          ? { card }
          : {
              status: 'trained',
              card,
              curves: curvesFromRecord(card.record),
              run: null,
              error: null,
            },
      ),
      lastModelKey:
        options?.keepDefault && state.lastModelKey !== null ? state.lastModelKey : card.key,
    })),

  resetModels: () =>
    set((state) => {
      const cards: Record<string, ModelCardState> = {};
      for (const v of state.variants) {
        cards[v.id] = freshCard(v.id, state.cards[v.id]?.settings ?? settingsFor(v.id));
      }
      // A proposal for importing a model was made against the old data: dropped with it.
      return { cards, lastModelKey: null, derivingFrom: null, foreignDraft: null };
    }),

  setDerivingFrom: (key) => set({ derivingFrom: key }),

  setCardError: (key, message) =>
    set((state) => updateCard(state, key, () => ({ error: message }))),
});
