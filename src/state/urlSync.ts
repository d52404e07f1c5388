/**
 * Keeps the URL hash and the store in step: the hash seeds the selected model and user when the
 * page opens (and when someone edits it), and every later change of either is written back with
 * `history.replaceState`, so a copied link opens the same view. Browser only.
 */
import { shownModelKey } from './selectionSlice';
import { type AppState, useAppStore } from './store';
import { parseViewHash, serializeViewHash, type ViewState } from './url';

/** The view the store describes: the chosen (or shown) model and the selected user. */
export function viewOf(state: AppState): ViewState {
  return {
    model: state.recModelKey ?? shownModelKey(state),
    user: state.selectedUser,
    item: null,
  };
}

function applyHash(hash: string): void {
  const view = parseViewHash(hash);
  const store = useAppStore.getState();
  if (view.model) store.selectRecModel(view.model);
  if (view.user) store.selectUser(view.user);
}

/**
 * Reads the hash into the store, then mirrors the store into the hash. Returns a function
 * that stops both directions.
 */
export function syncViewWithUrl(target: Window): () => void {
  applyHash(target.location.hash);
  const write = (state: AppState) => {
    const hash = serializeViewHash(viewOf(state));
    if (hash === target.location.hash || (hash === '' && target.location.hash === '')) return;
    const { pathname, search } = target.location;
    target.history.replaceState(target.history.state, '', `${pathname}${search}${hash}`);
  };
  const unsubscribe = useAppStore.subscribe((state, prev) => {
    const next = viewOf(state);
    const before = viewOf(prev);
    if (next.model !== before.model || next.user !== before.user) write(state);
  });
  const onHashChange = () => applyHash(target.location.hash);
  target.addEventListener('hashchange', onHashChange);
  return () => {
    unsubscribe();
    target.removeEventListener('hashchange', onHashChange);
  };
}
