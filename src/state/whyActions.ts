/**
 * Actions of the "Why this item?" view: plain module-level functions the UI calls from event
 * handlers, plus one subscription (`followWhyInputs`) that keeps the timeline and the
 * explanation in step with the selection (view, model, user, item, edits), however it changed:
 * a click, the URL, the first run.
 *
 * One explanation at a time: every request gets a sequence number, a newer one cancels the
 * one in flight (the worker stops it between two steps), and events or answers of an older
 * one are dropped by the store. What-if edits are debounced: the panel says "updating" at once,
 * the worker is asked once the edits have been quiet for {@link WHATIF_DEBOUNCE_MS}.
 */
import type { AttributionMethod } from '../core/explain/types';
import type { ExplainCallOptions, ExplanationReport, ItemMatch } from '../worker/api';
import * as client from '../worker/client';
import { messageOf } from './messageOf';
import { shownModelKey } from './selectionSlice';
import { type AppState, useAppStore } from './store';
import {
  appendEdit,
  applyEdits,
  decodeEdits,
  type EditedEntry,
  encodeEdits,
  removalEdits,
  type WhatIfEdit,
  whatIfHistory,
} from './whatIf';
import type { ExplanationRequest } from './whySlice';

/** Quiet time after the last what-if edit before the worker is asked. */
export const WHATIF_DEBOUNCE_MS = 300;
/** K of the top-K questions (the list, the counterfactual). */
export const WHY_K = 10;

const EXPLAIN_OPTIONS: ExplainCallOptions = { k: WHY_K };

let seq = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
/** Explanation calls in flight (to tell whether a cancel has anything to stop). */
let inFlight = 0;
let timelineSeq = 0;

/** What the view asks to be explained now, or null (another view, no model or no user). */
interface Wanted {
  modelKey: string;
  modelStamp: string;
  userId: string;
  itemId: string | null;
  edits: string;
}

function wanted(state: AppState): Wanted | null {
  if (state.view !== 'why') return null;
  const modelKey = shownModelKey(state);
  const userId = state.selectedUser;
  if (!modelKey || !userId) return null;
  const card = state.cards[modelKey]?.card;
  if (!card) return null;
  return {
    modelKey,
    modelStamp: card.record.trainedAt,
    userId,
    itemId: state.whyItem,
    edits: encodeEdits(state.edits),
  };
}

/** The same model, user and item (an explicit item equal to the resolved top-1 counts). */
function sameSubject(state: AppState, want: Wanted, request: ExplanationRequest): boolean {
  return (
    request.modelKey === want.modelKey &&
    request.modelStamp === want.modelStamp &&
    request.userId === want.userId &&
    (request.itemId === want.itemId ||
      (request.itemId === null && want.itemId !== null && state.explanation.item === want.itemId))
  );
}

/** The edited history of the current selection (the timeline with the edits applied). */
export function editedEntries(state: AppState): EditedEntry[] {
  return applyEdits(state.timeline.items, state.edits);
}

/** Starts (now or after the what-if debounce) an explanation of `want`. */
function begin(want: Wanted, debounce: boolean): void {
  const id = ++seq;
  if (timer !== null) clearTimeout(timer);
  timer = null;
  // Stop the one in flight now: its answer would be dropped anyway.
  if (inFlight > 0) Promise.resolve(client.cancelExplanation()).catch(() => undefined);
  useAppStore.getState().startExplanation({ id, ...want });
  if (debounce) {
    timer = setTimeout(() => {
      timer = null;
      void run(id);
    }, WHATIF_DEBOUNCE_MS);
  } else {
    void run(id);
  }
}

/** Asks the worker for request `id` (if it is still the current one). */
async function run(id: number): Promise<void> {
  const state = useAppStore.getState();
  const request = state.explanation.request;
  if (request?.id !== id || id !== seq) return;
  const store = () => useAppStore.getState();
  const onEvent = (event: Parameters<AppState['explanationEvent']>[1]) => {
    if (id === seq) store().explanationEvent(id, event);
  };
  inFlight++;
  try {
    let report: ExplanationReport;
    if (request.edits === '') {
      report = await client.explain(
        request.modelKey,
        request.userId,
        request.itemId,
        EXPLAIN_OPTIONS,
        onEvent,
      );
    } else {
      const history = whatIfHistory(applyEdits(state.timeline.items, decodeEdits(request.edits)));
      void refreshWhatIfRecs(id, request, history);
      if (request.itemId !== null) void ensureBaseline(request, request.itemId);
      report = await client.explainHistory(
        request.modelKey,
        history,
        request.itemId,
        EXPLAIN_OPTIONS,
        onEvent,
      );
      if (request.itemId === null && id === seq) void ensureBaseline(request, report.item);
    }
    if (id !== seq) return;
    store().finishExplanation(id, report);
    if (request.edits === '') {
      store().setBaseline({
        modelKey: request.modelKey,
        userId: request.userId,
        itemId: report.item,
        rank: report.rank,
        score: report.score,
      });
    }
  } catch (error) {
    if (id !== seq) return;
    if (client.isCancelled(error)) store().cancelExplanationState(id);
    else store().failExplanation(id, messageOf(error));
  } finally {
    inFlight--;
  }
}

/** The rank before the edits, when it is not known yet (e.g. a link that opened with edits). */
async function ensureBaseline(request: ExplanationRequest, itemId: string): Promise<void> {
  const known = useAppStore.getState().baseline;
  if (
    known &&
    known.modelKey === request.modelKey &&
    known.userId === request.userId &&
    known.itemId === itemId
  ) {
    return;
  }
  try {
    const ranked = await client.rankItem(request.modelKey, request.userId, itemId, null);
    if (useAppStore.getState().explanation.request?.id !== request.id) return;
    useAppStore.getState().setBaseline({
      modelKey: request.modelKey,
      userId: request.userId,
      itemId,
      rank: ranked.rank,
      score: ranked.score,
    });
  } catch {
    // The summary then shows only the rank after the edits.
  }
}

async function refreshWhatIfRecs(
  id: number,
  request: ExplanationRequest,
  history: ReturnType<typeof whatIfHistory>,
): Promise<void> {
  const store = () => useAppStore.getState();
  store().setWhatIfRecs({ requestId: id, status: 'loading', items: [], error: null });
  try {
    const items = await client.recommendHistory(request.modelKey, history, WHY_K);
    if (store().whatIfRecs?.requestId === id) {
      store().setWhatIfRecs({ requestId: id, status: 'ready', items, error: null });
    }
  } catch (error) {
    if (store().whatIfRecs?.requestId === id) {
      store().setWhatIfRecs({ requestId: id, status: 'error', items: [], error: messageOf(error) });
    }
  }
}

/**
 * The selected user's timeline for another view (the interest map draws the history): fetched
 * unless the one in the store is already that user's.
 */
export function ensureTimeline(state: AppState = useAppStore.getState()): void {
  const user = state.selectedUser;
  if (!user || state.summary === null || state.timeline.userId === user) return;
  void loadTimeline(shownModelKey(state), user);
}

/** Fetches the user's timeline (with the model's read window). */
async function loadTimeline(modelKey: string | null, userId: string): Promise<void> {
  const mine = ++timelineSeq;
  useAppStore.getState().startTimeline(modelKey, userId);
  try {
    const timeline = await client.userTimeline(modelKey, userId);
    if (mine === timelineSeq) useAppStore.getState().setTimeline(timeline);
  } catch (error) {
    if (mine === timelineSeq)
      useAppStore.getState().failTimeline(modelKey, userId, messageOf(error));
  }
}

/**
 * Brings the timeline and the explanation in step with the selection. Called on every store
 * change by {@link followWhyInputs}; does nothing when both already match.
 */
export function syncWhy(state: AppState = useAppStore.getState()): void {
  if (state.view !== 'why' || !state.selectedUser || state.summary === null) return;
  const key = shownModelKey(state);
  const user = state.selectedUser;
  if (state.timeline.userId !== user || state.timeline.modelKey !== key) {
    void loadTimeline(key, user);
    // loadTimeline marked it loading; go on with the store as it is now.
    state = useAppStore.getState();
  }
  const want = wanted(state);
  if (!want) return;
  const request = state.explanation.request;
  if (request && sameSubject(state, want, request) && request.edits === want.edits) return;
  // An edited history is built from the timeline: wait for it.
  if (want.edits !== '' && state.timeline.status !== 'ready') return;
  const editsOnly = request !== null && sameSubject(state, want, request);
  begin(want, editsOnly);
}

/** Keeps the Why view in step with the store; returns the unsubscribe function. */
export function followWhyInputs(): () => void {
  return useAppStore.subscribe((state) => syncWhy(state));
}

/** Explains the current selection again now (e.g. after a cancel or a failure). */
export function explainSelection(): void {
  const want = wanted(useAppStore.getState());
  if (want) begin(want, false);
}

/** Items matching an id or title, for the pickers; an empty list when the worker cannot answer. */
export async function findItems(query: string, limit = 12): Promise<ItemMatch[]> {
  try {
    return await client.searchItems(query, limit);
  } catch {
    return [];
  }
}

/** Explains `itemId` for the selected user (a recommendation clicked, an item searched). */
export function explainItem(itemId: string): void {
  useAppStore.getState().setWhyItem(itemId);
}

/** Shows `method`'s ranked bars. */
export function selectWhyMethod(method: AttributionMethod | null): void {
  useAppStore.getState().setWhyMethod(method);
}

/**
 * Applies a what-if edit. The explained item is pinned first (a top-1 explanation keeps
 * explaining that item, not the edited history's new top-1).
 */
export function applyEdit(edit: WhatIfEdit): void {
  const state = useAppStore.getState();
  pinExplainedItem(state);
  state.setEdits(appendEdit(state.edits, edit));
}

function pinExplainedItem(state: AppState): void {
  if (state.whyItem === null && state.explanation.item !== null) {
    state.setWhyItem(state.explanation.item);
  }
}

/** Toggles the removal of the original interaction at `position` (a click on the timeline). */
export function toggleRemoval(position: number): void {
  const state = useAppStore.getState();
  const at = state.edits.findIndex((e) => e.kind === 'remove' && e.position === position);
  if (at >= 0) removeEditAt(at);
  else applyEdit({ kind: 'remove', position });
}

/** Removes the counterfactual's items from the history, as a what-if. */
export function applyCounterfactual(): void {
  const state = useAppStore.getState();
  const cf = state.explanation.counterfactual;
  if (cf?.status !== 'found') return;
  pinExplainedItem(state);
  const entries = editedEntries(state);
  state.setEdits(removalEdits(state.edits, entries, cf.removedPositions));
}

/** Drops the last edit. */
export function undoEdit(): void {
  const state = useAppStore.getState();
  if (state.edits.length > 0) state.setEdits(state.edits.slice(0, -1));
}

/** Drops the edit at `index` of the list. */
export function removeEditAt(index: number): void {
  const state = useAppStore.getState();
  state.setEdits(state.edits.filter((_, i) => i !== index));
}

/** Back to the user's own history. */
export function resetEdits(): void {
  const state = useAppStore.getState();
  if (state.edits.length > 0) state.setEdits([]);
}

/** Stops the running explanation; the parts that arrived stay shown. */
export function cancelWhyExplanation(): void {
  const state = useAppStore.getState();
  const id = state.explanation.request?.id;
  if (id === undefined || state.explanation.status !== 'running') return;
  if (timer !== null) clearTimeout(timer);
  timer = null;
  if (inFlight > 0) Promise.resolve(client.cancelExplanation()).catch(() => undefined);
  state.cancelExplanationState(id);
}

/** The dataset changed: drop every answer and any request in flight. */
export function onWhyDatasetReplaced(): void {
  seq++;
  timelineSeq++;
  if (timer !== null) clearTimeout(timer);
  timer = null;
  useAppStore.getState().resetWhyResults();
}

/** Item metadata was joined: the timeline is fetched again with its titles and categories. */
export function onWhyMetadataJoined(): void {
  timelineSeq++;
  useAppStore.getState().resetTimeline();
}
