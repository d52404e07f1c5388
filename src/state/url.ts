/**
 * The view state in the URL hash (`#view=why&model=gru&user=u0113&item=p42&method=shap&edits=r12`),
 * so a link opens the same view, model, user, explained item and what-if edits. Keys are
 * constants; parse and serialise are pure (tested in Node); values are capped so a pasted link
 * cannot blow up the store. The page writes it with `history.replaceState` (see urlSync.ts):
 * moving around the dashboard does not flood the back button.
 */
import { type Cohort, isCohort } from '../core/compare/cohorts';
import { ATTRIBUTION_METHODS, type AttributionMethod } from '../core/explain/types';
import { decodeEdits, encodeEdits, MAX_EDITS_LENGTH, type WhatIfEdit } from './whatIf';

/** The hash keys, stable: links people share depend on them. */
export const URL_KEYS = {
  view: 'view',
  model: 'model',
  user: 'user',
  item: 'item',
  method: 'method',
  edits: 'edits',
  models: 'models',
  cohort: 'cohort',
} as const;

/** The views of the page, in nav order; `why` is where the page opens. */
export const VIEW_NAMES = ['why', 'interests', 'compare', 'models', 'data'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];
export const DEFAULT_VIEW: ViewName = 'why';

/** Longest value kept from a URL; ids longer than this are not ids anyone typed. */
export const MAX_URL_VALUE = 256;

export interface ViewState {
  /** Which view is shown; null = the default. */
  view: ViewName | null;
  /** A model key (a variant id such as `gru`). */
  model: string | null;
  /** An original user id string. */
  user: string | null;
  /** An original item id string (the explained item). */
  item: string | null;
  /** The attribution method whose ranked bars are shown. */
  method: AttributionMethod | null;
  /** What-if edits of the user's history, oldest first. */
  edits: WhatIfEdit[];
  /** The models of the compare view (keys, at most {@link MAX_COMPARED_KEYS}). */
  models: string[];
  /** The compare view's cohort; null = every user. */
  cohort: Cohort | null;
}

/** Most model keys a link carries (the compare view compares up to four). */
export const MAX_COMPARED_KEYS = 4;

export const EMPTY_VIEW: ViewState = {
  view: null,
  model: null,
  user: null,
  item: null,
  method: null,
  edits: [],
  models: [],
  cohort: null,
};

function clean(value: string | null | undefined, max = MAX_URL_VALUE): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > max) return null;
  return trimmed;
}

const isView = (value: string | null): value is ViewName =>
  (VIEW_NAMES as readonly (string | null)[]).includes(value);

const isMethod = (value: string | null): value is AttributionMethod =>
  (ATTRIBUTION_METHODS as readonly (string | null)[]).includes(value);

/**
 * Reads the view from a location hash (with or without the leading `#`). Unknown keys and
 * values (an unknown view or method) are ignored, empty or over-long values read as absent,
 * and a malformed escape does not throw.
 */
export function parseViewHash(hash: string): ViewState {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(body);
  } catch {
    return { ...EMPTY_VIEW, edits: [], models: [] };
  }
  const view = clean(params.get(URL_KEYS.view));
  const method = clean(params.get(URL_KEYS.method));
  return {
    view: isView(view) ? view : null,
    model: clean(params.get(URL_KEYS.model)),
    user: clean(params.get(URL_KEYS.user)),
    item: clean(params.get(URL_KEYS.item)),
    method: isMethod(method) ? method : null,
    edits: decodeEdits(clean(params.get(URL_KEYS.edits), MAX_EDITS_LENGTH)),
    models: modelKeys(params.get(URL_KEYS.models)),
    cohort: cohortOf(clean(params.get(URL_KEYS.cohort))),
  };
}

/** Model keys from a comma-separated list: distinct, non-empty, at most four. */
function modelKeys(value: string | null): string[] {
  const list = clean(value, MAX_URL_VALUE * MAX_COMPARED_KEYS);
  if (!list) return [];
  const keys: string[] = [];
  for (const part of list.split(',')) {
    const key = clean(part);
    if (key && !keys.includes(key)) keys.push(key);
    if (keys.length === MAX_COMPARED_KEYS) break;
  }
  return keys;
}

const cohortOf = (value: string | null): Cohort | null =>
  value !== null && isCohort(value) ? value : null;

/**
 * Writes the view as a hash (`#view=...&model=...`, keys in a fixed order, values
 * percent-encoded); an empty view gives `''`, so the URL carries no dangling `#`.
 */
export function serializeViewHash(view: Partial<ViewState>): string {
  const params = new URLSearchParams();
  const values: Record<(typeof URL_KEYS)[keyof typeof URL_KEYS], string | null> = {
    view: view.view ?? null,
    model: clean(view.model),
    user: clean(view.user),
    item: clean(view.item),
    method: view.method ?? null,
    edits: view.edits && view.edits.length > 0 ? encodeEdits(view.edits) : null,
    models: view.models && view.models.length > 0 ? view.models.join(',') : null,
    cohort: view.cohort && view.cohort !== 'all' ? view.cohort : null,
  };
  for (const key of Object.values(URL_KEYS)) {
    const value = values[key];
    if (value !== null) params.set(key, value);
  }
  const body = params.toString();
  return body ? `#${body}` : '';
}
