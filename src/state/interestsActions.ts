/**
 * Actions of the Interests view (and of the interest sentence in the Why view): one
 * subscription (`followInterestInputs`) keeps the selected user's layers (and the population's
 * evolution, when that is the scope) in step with the user, the model, the parameters and the
 * latest evolution model; training the evolution model, the map and the heads' check run when
 * asked, with progress and cancel.
 */
import type { InterestOptions } from '../core/interests/types';
import * as client from '../worker/client';
import { isCancelled } from '../worker/client';
import { type InterestScope, idleFetch } from './interestsSlice';
import { messageOf } from './messageOf';
import { shownModelKey } from './selectionSlice';
import { type AppState, useAppStore } from './store';
import { ensureTimeline } from './whyActions';

/**
 * The model of the predicted layers and the map: the chosen one when trained, else a trained
 * `layered`, else the model shown elsewhere (for the map and derived categories).
 */
export function interestModel(state: AppState): string | null {
  const trained = (key: string | null) => (key && state.cards[key]?.card ? key : null);
  return (
    trained(state.interestModelKey) ??
    trained('layered') ??
    trained('layered-int8') ??
    shownModelKey(state)
  );
}

const stampOf = (state: AppState, key: string | null) =>
  key ? (state.cards[key]?.card?.record.trainedAt ?? '') : '';

/** What the user's layers depend on. */
function userRequest(state: AppState): string | null {
  const user = state.selectedUser;
  if (!user || state.summary === null) return null;
  const key = interestModel(state);
  return JSON.stringify([
    user,
    key,
    stampOf(state, key),
    state.interestOptions,
    state.evolutionTraining.stamp,
    state.summary.fileName,
    state.summary.interactions,
  ]);
}

function populationRequest(state: AppState): string | null {
  if (state.interestScope === 'user' || state.summary === null) return null;
  const key = interestModel(state);
  return JSON.stringify([
    state.interestScope,
    key,
    stampOf(state, key),
    state.interestOptions,
    state.summary.fileName,
    state.summary.interactions,
  ]);
}

let userSeq = 0;
let populationSeq = 0;

async function loadUser(state: AppState, request: string): Promise<void> {
  const mine = ++userSeq;
  const store = () => useAppStore.getState();
  store().setUserInterests({
    ...idleFetch(),
    status: 'running',
    request,
    result: state.userInterests.result,
  });
  try {
    const result = await client.userInterests(
      state.selectedUser as string,
      interestModel(state),
      state.interestOptions,
    );
    if (mine === userSeq) {
      store().setUserInterests({ status: 'ready', request, result, progress: null, error: null });
    }
  } catch (error) {
    if (mine !== userSeq) return;
    store().setUserInterests({
      status: 'error',
      request,
      result: null,
      progress: null,
      error: messageOf(error),
    });
  }
}

async function loadPopulation(state: AppState, request: string): Promise<void> {
  const mine = ++populationSeq;
  const store = () => useAppStore.getState();
  store().setPopulation({ ...idleFetch(), status: 'running', request });
  try {
    const result = await client.populationInterests(
      state.interestScope as Exclude<InterestScope, 'user'>,
      interestModel(state),
      state.interestOptions,
    );
    if (mine === populationSeq) {
      store().setPopulation({ status: 'ready', request, result, progress: null, error: null });
    }
  } catch (error) {
    if (mine !== populationSeq) return;
    store().setPopulation({
      status: 'error',
      request,
      result: null,
      progress: null,
      error: messageOf(error),
    });
  }
}

/** Asks for what the view shows when its inputs changed; called on every store change. */
export function syncInterests(state: AppState = useAppStore.getState()): void {
  if (state.view !== 'interests' && state.view !== 'why') return;
  const user = userRequest(state);
  if (user !== null && state.userInterests.request !== user) void loadUser(state, user);
  if (state.view !== 'interests') return;
  ensureTimeline(state);
  const population = populationRequest(state);
  if (population !== null && state.population.request !== population) {
    void loadPopulation(useAppStore.getState(), population);
  }
}

export function followInterestInputs(): () => void {
  return useAppStore.subscribe((state) => syncInterests(state));
}

export function setInterestOptions(options: InterestOptions): void {
  useAppStore.getState().setInterestOptions(options);
}

/** Trains the evolution model on every user's windows (progress; cancel with cancelInterests). */
export async function trainEvolution(): Promise<void> {
  const state = useAppStore.getState();
  const store = () => useAppStore.getState();
  const stamp = state.evolutionTraining.stamp;
  store().setEvolutionTraining({ ...idleFetch(), status: 'running', stamp });
  try {
    const result = await client.trainEvolution(
      interestModel(state),
      { interests: state.interestOptions },
      (progress) => {
        const now = store().evolutionTraining;
        if (now.status === 'running') store().setEvolutionTraining({ ...now, progress });
      },
    );
    store().setEvolutionTraining({
      status: 'ready',
      request: null,
      result,
      progress: null,
      error: null,
      stamp: stamp + 1,
    });
  } catch (error) {
    store().setEvolutionTraining({
      status: isCancelled(error) ? 'idle' : 'error',
      request: null,
      result: null,
      progress: null,
      error: isCancelled(error) ? 'Cancelled.' : messageOf(error),
      stamp,
    });
  }
}

/** Projects the chosen model's item embeddings (PCA, or UMAP with progress). */
export async function loadInterestMap(method: 'pca' | 'umap'): Promise<void> {
  const state = useAppStore.getState();
  const key = interestModel(state);
  const store = () => useAppStore.getState();
  if (!key) {
    store().setInterestMap({
      ...idleFetch(),
      status: 'error',
      error: 'Train or load a neural model first: the map draws its item embeddings.',
    });
    return;
  }
  const request = JSON.stringify([key, stampOf(state, key), method]);
  store().setInterestMap({ ...idleFetch(), status: 'running', request });
  // The user's history is drawn highlighted: keep it even when the map samples the catalogue.
  const include = state.timeline.items.map((i) => i.itemId);
  try {
    const result = await client.interestMap(key, method, include, (share) => {
      const now = store().interestMap;
      if (now.request === request) store().setInterestMap({ ...now, progress: share });
    });
    if (store().interestMap.request === request) {
      store().setInterestMap({ status: 'ready', request, result, progress: null, error: null });
    }
  } catch (error) {
    if (store().interestMap.request !== request) return;
    store().setInterestMap({
      status: isCancelled(error) ? 'idle' : 'error',
      request,
      result: null,
      progress: null,
      error: isCancelled(error) ? 'Cancelled.' : messageOf(error),
    });
  }
}

/** How well the layered model's heads predict the next window (vs the past mix). */
export async function checkHeads(): Promise<void> {
  const state = useAppStore.getState();
  const key = interestModel(state);
  const store = () => useAppStore.getState();
  if (!key) return;
  store().setHeadFit({ ...idleFetch(), status: 'running' });
  try {
    const result = await client.interestHeadFit(key, state.interestOptions);
    store().setHeadFit({ status: 'ready', request: key, result, progress: null, error: null });
  } catch (error) {
    store().setHeadFit({
      status: 'error',
      request: key,
      result: null,
      progress: null,
      error: isCancelled(error) ? 'Cancelled.' : messageOf(error),
    });
  }
}

export function cancelInterests(): void {
  void client.cancelInterests();
}
