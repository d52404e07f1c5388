/**
 * Keeps the URL hash and the store in step: the hash seeds the view, model, user, explained
 * item, method and what-if edits when the page opens (and when someone edits it), and every
 * later change of any of them is written back with `history.replaceState`, so a copied link
 * opens the same explanation (once the same data is loaded). Browser only.
 */
import { comparedKeys } from './compareActions';
import { shownModelKey } from './selectionSlice';
import { type AppState, useAppStore } from './store';
import { parseViewHash, serializeViewHash, type ViewState } from './url';

/**
 * The explained item: the one asked for, or the top-1 the current explanation resolved (so
 * a link names the item even when the page picked it).
 */
function explainedItem(state: AppState): string | null {
  if (state.whyItem !== null) return state.whyItem;
  const request = state.explanation.request;
  if (!request || request.userId !== state.selectedUser) return null;
  return request.itemId ?? state.explanation.item;
}

/** The view the store describes. */
export function viewOf(state: AppState): ViewState {
  return {
    view: state.view,
    model: state.recModelKey ?? shownModelKey(state),
    user: state.selectedUser,
    item: explainedItem(state),
    method: state.whyMethod,
    edits: state.edits,
    models: state.view === 'compare' ? comparedKeys(state) : state.compareKeys,
    cohort: state.compareCohort,
  };
}

/** Applies a hash to the store (user first: a new user clears the item and the edits). */
export function applyHash(hash: string): void {
  const view = parseViewHash(hash);
  const store = useAppStore.getState();
  if (view.view) store.setView(view.view);
  if (view.model) store.selectRecModel(view.model);
  if (view.user) store.selectUser(view.user);
  if (view.models.length > 0) store.setCompareKeys(view.models);
  if (view.cohort) store.setCompareCohort(view.cohort);
  if (!view.user && !view.item && view.edits.length === 0 && !view.method) return;
  const next = useAppStore.getState();
  next.setWhyItem(view.item);
  next.setWhyMethod(view.method);
  next.setEdits(view.edits);
}

/**
 * Reads the hash into the store, then mirrors the store into the hash. Returns a function
 * that stops both directions.
 */
export function syncViewWithUrl(target: Window): () => void {
  applyHash(target.location.hash);
  const write = (hash: string) => {
    if (hash === target.location.hash || (hash === '' && target.location.hash === '')) return;
    const { pathname, search } = target.location;
    target.history.replaceState(target.history.state, '', `${pathname}${search}${hash}`);
  };
  const unsubscribe = useAppStore.subscribe((state, prev) => {
    const next = serializeViewHash(viewOf(state));
    if (next !== serializeViewHash(viewOf(prev))) write(next);
  });
  const onHashChange = () => applyHash(target.location.hash);
  target.addEventListener('hashchange', onHashChange);
  return () => {
    unsubscribe();
    target.removeEventListener('hashchange', onHashChange);
  };
}
