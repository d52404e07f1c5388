import type { ViewName } from '../../state/url';

/** The views in nav order, with their labels and keyboard shortcuts (Alt+1, Alt+2, ...). */
export const VIEWS: readonly { name: ViewName; label: string; hint: string }[] = [
  { name: 'why', label: 'Why this item?', hint: 'A user, their recommendations and why' },
  {
    name: 'interests',
    label: 'Interests',
    hint: "A user's surface, middle and deep interests and how they evolve",
  },
  {
    name: 'compare',
    label: 'Compare',
    hint: 'Two to four models side by side: accuracy, lists, explanations',
  },
  { name: 'models', label: 'Models', hint: 'Train, compare, save and load models' },
  { name: 'data', label: 'Data', hint: 'The loaded dataset: columns, summary, rejected rows' },
];

/** The id of a view's tab (the view panel is labelled by it). */
export const tabId = (view: ViewName): string => `nav-tab-${view}`;

/** The view Alt+`digit` opens, or null. */
export function viewForShortcut(event: {
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  key: string;
  code?: string;
}): ViewName | null {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  // `code` too: Alt+digit types another character on some layouts (e.g. macOS).
  const digit = /^Digit(\d)$/.exec(event.code ?? '')?.[1] ?? event.key;
  const index = Number(digit) - 1;
  return Number.isInteger(index) && index >= 0 && index < VIEWS.length ? VIEWS[index].name : null;
}
