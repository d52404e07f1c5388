/**
 * The view state in the URL hash (`#model=gru&user=u0113`), so a link opens the same model and
 * user. Keys are constants; parse and serialise are pure (tested in Node); values are capped so
 * a pasted link cannot blow up the store. The page writes it with `history.replaceState` (see
 * urlSync.ts): moving around the dashboard does not flood the back button.
 */

/** The hash keys, stable: links people share depend on them. */
export const URL_KEYS = { model: 'model', user: 'user', item: 'item' } as const;

/** Longest value kept from a URL; ids longer than this are not ids anyone typed. */
export const MAX_URL_VALUE = 256;

export interface ViewState {
  /** A model key (a variant id such as `gru`). */
  model: string | null;
  /** An original user id string. */
  user: string | null;
  /** An original item id string (the explanation view). */
  item: string | null;
}

export const EMPTY_VIEW: ViewState = { model: null, user: null, item: null };

function clean(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > MAX_URL_VALUE) return null;
  return trimmed;
}

/**
 * Reads the view from a location hash (with or without the leading `#`). Unknown keys are
 * ignored, empty or over-long values read as absent, and a malformed escape does not throw.
 */
export function parseViewHash(hash: string): ViewState {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(body);
  } catch {
    return { ...EMPTY_VIEW };
  }
  return {
    model: clean(params.get(URL_KEYS.model)),
    user: clean(params.get(URL_KEYS.user)),
    item: clean(params.get(URL_KEYS.item)),
  };
}

/**
 * Writes the view as a hash (`#model=...&user=...`, keys in a fixed order, values
 * percent-encoded); an empty view gives `''`, so the URL carries no dangling `#`.
 */
export function serializeViewHash(view: ViewState): string {
  const params = new URLSearchParams();
  for (const key of [URL_KEYS.model, URL_KEYS.user, URL_KEYS.item] as const) {
    const value = clean(view[key]);
    if (value !== null) params.set(key, value);
  }
  const body = params.toString();
  return body ? `#${body}` : '';
}
