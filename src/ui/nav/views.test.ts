import { describe, expect, it } from 'vitest';
import { VIEWS, viewForShortcut } from './views';

const key = (
  k: string,
  mods: Partial<Record<'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey', boolean>> = {},
  code?: string,
) => ({
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  key: k,
  code,
  ...mods,
});

describe('view shortcuts', () => {
  it('Alt+1..5 open the views in nav order; other keys and modifiers do not', () => {
    expect(VIEWS.map((v) => v.name)).toEqual(['why', 'interests', 'compare', 'models', 'data']);
    expect(viewForShortcut(key('1', { altKey: true }))).toBe('why');
    expect(viewForShortcut(key('5', { altKey: true }))).toBe('data');
    // macOS types another character with Alt: the physical key decides.
    expect(viewForShortcut(key('¡', { altKey: true }, 'Digit2'))).toBe('interests');
    expect(viewForShortcut(key('6', { altKey: true }))).toBeNull();
    expect(viewForShortcut(key('1'))).toBeNull();
    expect(viewForShortcut(key('1', { altKey: true, ctrlKey: true }))).toBeNull();
  });
});
