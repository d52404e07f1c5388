/**
 * Actions of the Models panel, the user picker and the recommendation list: plain module-level
 * functions the UI calls from event handlers. Training runs in the worker; here are only its
 * bookkeeping (one run at a time, cancel, stale results ignored) and the follow-ups (the
 * recommendation list follows the chosen model and user).
 */
import type { ModelId } from '../core/models/types';
import type { TrainModelOptions, UserMatch } from '../worker/api';
import * as client from '../worker/client';
import { messageOf } from './messageOf';
import { shownModelKey } from './selectionSlice';
import { useAppStore } from './store';
import { onWhyDatasetReplaced, onWhyMetadataJoined } from './whyActions';

/** The run each card is waiting for; a cancelled card's entry is removed. */
const activeRuns = new Map<string, number>();
let runSeq = 0;
/** Settles when the worker has finished its current run (cancelled ones included). */
let workerTraining: Promise<unknown> = Promise.resolve();

/** Loads the list of variants the worker can train (one card each). */
export async function loadVariants(): Promise<void> {
  try {
    useAppStore.getState().setVariants(await client.listVariants());
  } catch (error) {
    console.error('Could not list the model variants:', messageOf(error));
  }
}

/** True while any card is training (the worker trains one model at a time). */
export function isTraining(): boolean {
  return Object.values(useAppStore.getState().cards).some((c) => c.status === 'training');
}

/**
 * Trains variant `key` with the card's epochs, seed, and learning rate and time limit (when
 * typed). The card's previous model stays usable
 * until the new one is in. A run whose result arrives after the user cancelled it is still
 * shown: the worker has made it the variant's model by then.
 */
export async function trainVariant(key: string): Promise<void> {
  const state = useAppStore.getState();
  const card = state.cards[key];
  if (!card || isTraining()) return;
  const variant = state.variants.find((v) => v.id === key);
  const neural = variant?.kind === 'neural';
  const { epochs, seed, learningRate, maxSeconds } = card.settings;
  const options: TrainModelOptions = neural
    ? {
        epochs,
        seed,
        ...(learningRate === null ? {} : { learningRate }),
        ...(maxSeconds === null ? {} : { maxSeconds }),
      }
    : { seed };
  const run = ++runSeq;
  activeRuns.set(key, run);
  state.startTraining(key, neural ? epochs : 0);
  const previous = workerTraining;
  const task = (async () => {
    // A cancelled run stops within one batch; the next one starts when the worker is free.
    await previous.catch(() => undefined);
    if (activeRuns.get(key) !== run) return;
    try {
      const result = await client.trainModel(key as ModelId, options, (progress) => {
        if (activeRuns.get(key) === run) useAppStore.getState().trainingProgress(key, progress);
      });
      useAppStore.getState().finishTraining(result);
    } catch (error) {
      if (activeRuns.get(key) !== run) return;
      if (client.isCancelled(error)) useAppStore.getState().cancelTrainingState(key);
      else useAppStore.getState().failTraining(key, messageOf(error));
    } finally {
      if (activeRuns.get(key) === run) activeRuns.delete(key);
    }
  })();
  workerTraining = task;
  await task;
}

/**
 * Stops the run of `key`: the card returns at once to its previous model (or untrained), and
 * the worker stops within one batch, keeping that previous model.
 */
export function cancelTraining(key: string): void {
  if (useAppStore.getState().cards[key]?.status !== 'training') return;
  activeRuns.delete(key);
  Promise.resolve(client.cancelTraining()).catch(() => undefined);
  useAppStore.getState().cancelTrainingState(key);
}

/**
 * Derives the int8 variant of the live neural model `key`; it appears as its own card
 * (`<key>-int8`) with test metrics from the same split, next to its float original.
 */
export async function deriveInt8(key: string): Promise<void> {
  const store = useAppStore.getState();
  if (store.derivingFrom !== null || !store.cards[key]?.card) return;
  store.setDerivingFrom(key);
  store.setCardError(key, null);
  try {
    useAppStore.getState().installModel(await client.deriveInt8(key));
  } catch (error) {
    useAppStore.getState().setCardError(key, `No int8 variant: ${messageOf(error)}`);
  } finally {
    useAppStore.getState().setDerivingFrom(null);
  }
}

/** Users matching a query, for the picker; an empty list when the worker cannot answer. */
export async function findUsers(query: string, limit = 20): Promise<UserMatch[]> {
  try {
    return await client.searchUsers(query, limit);
  } catch {
    return [];
  }
}

/**
 * Makes sure a user of the loaded dataset is selected: keeps the current one (e.g. from the
 * URL) if the dataset has it, otherwise picks the most active user.
 */
export async function ensureSelectedUser(): Promise<void> {
  const wanted = useAppStore.getState().selectedUser;
  if (wanted) {
    const matches = await findUsers(wanted, 1);
    if (matches[0]?.id === wanted) return;
  }
  const [first] = await findUsers('', 1);
  if (useAppStore.getState().selectedUser === wanted) {
    useAppStore.getState().selectUser(first?.id ?? null);
  }
}

let recSeq = 0;

/**
 * Recomputes the recommendation list for the shown model and the selected user (the worker
 * excludes what the user has already seen). Stale answers are dropped by the store.
 */
export async function refreshRecommendations(): Promise<void> {
  const state = useAppStore.getState();
  const key = shownModelKey(state);
  const user = state.selectedUser;
  if (!key || !user) {
    if (state.recs.status !== 'idle') state.clearRecs();
    return;
  }
  const seq = ++recSeq;
  state.startRecs(key, user);
  try {
    const items = await client.recommend(key, user, 10);
    if (seq === recSeq) useAppStore.getState().setRecs(key, user, items);
  } catch (error) {
    if (seq === recSeq) useAppStore.getState().failRecs(key, user, messageOf(error));
  }
}

/** A new dataset is loaded: the worker dropped its models; pick a user of the new data. */
export function onDatasetReplaced(): void {
  activeRuns.clear();
  useAppStore.getState().resetModels();
  useAppStore.getState().clearRecs();
  onWhyDatasetReplaced();
  void ensureSelectedUser();
}

/**
 * The worker died with every live model in it: the cards go back to untrained (a run in flight
 * is forgotten, so its late failure is not shown as the card's error) and answers still in
 * flight are dropped.
 */
export function forgetLiveModels(): void {
  activeRuns.clear();
  workerTraining = Promise.resolve();
  recSeq++;
  useAppStore.getState().resetModels();
  useAppStore.getState().clearRecs();
  onWhyDatasetReplaced();
}

/** Item metadata was joined: same models, new titles and categories in the list. */
export function onMetadataJoined(): void {
  onWhyMetadataJoined();
  void refreshRecommendations();
}

/**
 * Keeps the recommendation list in step with the store: whenever the shown model, its card
 * (a retrained or reloaded model) or the selected user changes, the list is recomputed.
 * Returns the unsubscribe function.
 */
export function followRecommendationInputs(): () => void {
  return useAppStore.subscribe((state, prev) => {
    const key = shownModelKey(state);
    const prevKey = shownModelKey(prev);
    const cardChanged = key !== null && state.cards[key]?.card !== prev.cards[key]?.card;
    if (key !== prevKey || cardChanged || state.selectedUser !== prev.selectedUser) {
      void refreshRecommendations();
    }
  });
}
