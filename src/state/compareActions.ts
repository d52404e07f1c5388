/**
 * Actions of the compare view, and one subscription (`followCompareInputs`) that keeps the
 * comparison and the selected user's lists in step with the chosen models, cohort and user,
 * however they changed (a click, the URL, a model retrained). The explanation agreement costs
 * explanations, so it runs only when asked, with progress and cancel.
 */
import type { Cohort } from '../core/compare/cohorts';
import { MAX_COMPARED_MODELS, MIN_COMPARED_MODELS } from '../core/compare/compare';
import { comparisonExport, comparisonRows } from '../core/compare/export';
import { csvLine } from '../core/csv';
import type { CompareAgreement } from '../worker/api';
import * as client from '../worker/client';
import { isCancelled } from '../worker/client';
import { idleResult } from './compareSlice';
import { messageOf } from './messageOf';
import { saveTextFile } from './saveTextFile';
import { type AppState, useAppStore } from './store';

/** Users of the agreement sample (the worker's and the CLI's default). */
export const AGREEMENT_USERS = 50;

/** Keys of the trained models, in the order their cards were created. */
export function trainedKeys(state: AppState): string[] {
  return Object.entries(state.cards)
    .filter(([, c]) => c.card !== null)
    .map(([key]) => key);
}

/**
 * The models compared: the chosen ones that are trained (2 to 4), or by default the most
 * recently trained model and the first other one.
 */
export function comparedKeys(state: AppState): string[] {
  const trained = trainedKeys(state);
  const chosen = state.compareKeys.filter((k) => trained.includes(k));
  if (chosen.length >= MIN_COMPARED_MODELS) return chosen.slice(0, MAX_COMPARED_MODELS);
  if (state.compareKeys.length > 0 && chosen.length > 0) return chosen;
  const last =
    state.lastModelKey && trained.includes(state.lastModelKey) ? state.lastModelKey : null;
  const first = last ?? trained[0];
  if (!first) return [];
  const other = trained.find((k) => k !== first);
  return other ? [first, other] : [first];
}

/** What a result is for: the models (with when each was trained) and the cohort. */
export function requestKey(state: AppState, keys: readonly string[], extra = ''): string | null {
  if (keys.length < MIN_COMPARED_MODELS) return null;
  const stamps = keys.map((k) => `${k}@${state.cards[k]?.card?.record.trainedAt ?? '?'}`);
  return `${stamps.join(',')}|${state.compareCohort}|${extra}`;
}

let compareSeq = 0;
let listsSeq = 0;
let agreementSeq = 0;
let userAgreementSeq = 0;

async function runComparison(state: AppState, keys: string[], request: string): Promise<void> {
  const mine = ++compareSeq;
  const store = () => useAppStore.getState();
  store().setComparison({ ...idleResult(), status: 'running', request });
  try {
    const result = await client.compareModels(keys, { cohort: state.compareCohort }, (progress) => {
      if (mine === compareSeq) store().setComparison({ ...store().comparison, progress });
    });
    if (mine === compareSeq) {
      store().setComparison({ status: 'ready', request, progress: null, result, error: null });
    }
  } catch (error) {
    if (mine !== compareSeq) return;
    store().setComparison({
      status: isCancelled(error) ? 'idle' : 'error',
      request,
      progress: null,
      result: null,
      error: isCancelled(error) ? null : messageOf(error),
    });
  }
}

async function loadLists(keys: string[], userId: string, request: string): Promise<void> {
  const mine = ++listsSeq;
  const store = () => useAppStore.getState();
  store().setLists({ ...idleResult(), status: 'running', request });
  try {
    const result = await client.compareLists(keys, userId);
    if (mine === listsSeq) {
      store().setLists({ status: 'ready', request, progress: null, result, error: null });
    }
  } catch (error) {
    if (mine !== listsSeq) return;
    store().setLists({
      status: isCancelled(error) ? 'idle' : 'error',
      // A cancelled load (the comparison was cancelled meanwhile) is asked again later.
      request: isCancelled(error) ? null : request,
      progress: null,
      result: null,
      error: isCancelled(error) ? null : messageOf(error),
    });
  }
}

/**
 * Brings the comparison and the selected user's lists in step with the store; called on every
 * store change by {@link followCompareInputs}; does nothing when both already match.
 */
export function syncCompare(state: AppState = useAppStore.getState()): void {
  if (state.view !== 'compare' || state.summary === null) return;
  const keys = comparedKeys(state);
  const request = requestKey(state, keys);
  if (request === null) return;
  if (state.comparison.request !== request) {
    void runComparison(state, keys, request);
    return;
  }
  // The lists come from the comparison's scoring pass: ask once it is there.
  if (state.comparison.status !== 'ready') return;
  const user = state.selectedUser;
  if (!user) return;
  const listsRequest = `${request}|${user}`;
  if (state.lists.request !== listsRequest) void loadLists(keys, user, listsRequest);
}

/** Keeps the compare view in step with the store; returns the unsubscribe function. */
export function followCompareInputs(): () => void {
  return useAppStore.subscribe((state) => syncCompare(state));
}

/** Adds or removes a model from the comparison (at most four). */
export function toggleComparedModel(key: string): void {
  const state = useAppStore.getState();
  const current = comparedKeys(state);
  const next = current.includes(key)
    ? current.filter((k) => k !== key)
    : [...current, key].slice(-MAX_COMPARED_MODELS);
  state.setCompareKeys(next);
}

export function setCohort(cohort: Cohort): void {
  useAppStore.getState().setCompareCohort(cohort);
}

/** Runs the explanation agreement over a seeded sample of the cohort's users. */
export async function runAgreement(): Promise<void> {
  const state = useAppStore.getState();
  const keys = comparedKeys(state);
  const request = requestKey(state, keys, 'agreement');
  if (request === null) return;
  const mine = ++agreementSeq;
  const store = () => useAppStore.getState();
  store().setAgreement({ ...idleResult(), status: 'running', request });
  await agreementCall(
    keys,
    { cohort: state.compareCohort, users: AGREEMENT_USERS },
    request,
    () => mine === agreementSeq,
    (next) => store().setAgreement(next),
  );
}

/** Explains the selected user's test item with each compared model, side by side. */
export async function runUserAgreement(userId: string): Promise<void> {
  const state = useAppStore.getState();
  const keys = comparedKeys(state);
  const request = requestKey(state, keys, `user:${userId}`);
  if (request === null) return;
  const mine = ++userAgreementSeq;
  const store = () => useAppStore.getState();
  store().setUserAgreement({ ...idleResult(), status: 'running', request });
  await agreementCall(
    keys,
    { cohort: state.compareCohort, userId },
    request,
    () => mine === userAgreementSeq,
    (next) => store().setUserAgreement(next),
  );
}

async function agreementCall(
  keys: string[],
  options: Parameters<typeof client.compareExplanations>[1],
  request: string,
  current: () => boolean,
  write: (next: AppState['agreement']) => void,
): Promise<void> {
  let progress: { done: number; total: number } | null = null;
  try {
    const result: CompareAgreement = await client.compareExplanations(keys, options, (p) => {
      progress = p;
      if (current()) write({ status: 'running', request, progress, result: null, error: null });
    });
    if (current()) write({ status: 'ready', request, progress: null, result, error: null });
  } catch (error) {
    if (!current()) return;
    const cancelled = isCancelled(error);
    write({
      status: cancelled ? 'idle' : 'error',
      request,
      progress: cancelled ? progress : null,
      result: null,
      error: cancelled ? 'Cancelled.' : messageOf(error),
    });
  }
}

/** Stops the running comparison and agreement (their results stay as they were asked). */
export function cancelComparison(): void {
  void client.cancelComparison();
}

/** Opens `userId` in the Why view with `modelKey`'s explanation. */
export function openInWhy(userId: string, modelKey: string): void {
  const store = useAppStore.getState();
  store.selectRecModel(modelKey);
  store.selectUser(userId);
  store.setView('why');
}

/** The comparison (with the agreement when it ran for the same models and cohort) as a file. */
export function exportComparison(format: 'json' | 'csv'): void {
  const state = useAppStore.getState();
  const result = state.comparison.result;
  if (!result) return;
  const keys = comparedKeys(state);
  const agreement =
    state.agreement.result && state.agreement.request === requestKey(state, keys, 'agreement')
      ? state.agreement.result
      : null;
  const data = comparisonExport(result.report, agreement);
  const name = `comparison-${keys.join('-vs-')}-${data.cohort}`;
  if (format === 'json') {
    saveTextFile(`${name}.json`, `${JSON.stringify(data, null, 2)}\n`, 'application/json');
  } else {
    const lines = comparisonRows(data).map((row) => csvLine(row.map((c) => c ?? '')));
    saveTextFile(`${name}.csv`, `${lines.join('\n')}\n`);
  }
}
