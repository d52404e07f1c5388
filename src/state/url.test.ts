import { describe, expect, it } from 'vitest';
import { EMPTY_VIEW, MAX_URL_VALUE, parseViewHash, serializeViewHash, type ViewState } from './url';

const view = (fields: Partial<ViewState>): ViewState => ({
  ...EMPTY_VIEW,
  edits: [],
  models: [],
  ...fields,
});

describe('view state in the URL hash', () => {
  it('round-trips ids with characters that need escaping', () => {
    const state = view({ model: 'gru', user: 'ann & bob=1#2 ü', item: 'p/42?x' });
    const hash = serializeViewHash(state);
    expect(hash.startsWith('#model=gru&user=')).toBe(true);
    expect(hash).not.toContain(' ');
    expect(parseViewHash(hash)).toEqual(state);
  });

  it('writes keys in a fixed order and nothing for an empty view', () => {
    expect(serializeViewHash({ item: 'i', user: 'u', model: 'm', view: 'why' })).toBe(
      '#view=why&model=m&user=u&item=i',
    );
    expect(serializeViewHash(view({}))).toBe('');
    expect(serializeViewHash(view({ model: '  ' }))).toBe('');
  });

  it('reads with or without the leading #, and ignores unknown keys and values', () => {
    expect(parseViewHash('user=u1&zoom=3')).toEqual(view({ user: 'u1' }));
    expect(parseViewHash('#model=sasrec')).toEqual(view({ model: 'sasrec' }));
    expect(parseViewHash('')).toEqual(view({}));
    expect(parseViewHash('#view=nowhere&method=magic')).toEqual(view({}));
    expect(parseViewHash('#view=data&method=shap')).toEqual(view({ view: 'data', method: 'shap' }));
  });

  it('carries the compare view: its models (distinct, at most four) and cohort', () => {
    const state = view({
      view: 'compare',
      models: ['sasrec', 'sasrec-int8'],
      cohort: 'cold-items',
    });
    const hash = serializeViewHash(state);
    expect(hash).toBe('#view=compare&models=sasrec%2Csasrec-int8&cohort=cold-items');
    expect(parseViewHash(hash)).toEqual(state);
    expect(parseViewHash('#models=a,b,a,,c,d,e&cohort=everyone')).toEqual(
      view({ models: ['a', 'b', 'c', 'd'] }),
    );
    expect(serializeViewHash(view({ cohort: 'all' }))).toBe('');
  });

  it('treats empty, over-long and malformed values as absent without throwing', () => {
    const long = 'x'.repeat(MAX_URL_VALUE + 1);
    expect(parseViewHash(`#model=&user=${long}`)).toEqual(view({}));
    expect(parseViewHash('#user=%E0%A4%A').user).toEqual(expect.any(String));
    expect(serializeViewHash(view({ model: long, user: 'u' }))).toBe('#user=u');
  });

  it('carries the what-if edits compactly, ids with commas and @ included', () => {
    const state = view({
      view: 'why',
      user: 'u1',
      item: 'p9',
      method: 'lime',
      edits: [
        { kind: 'remove', position: 12 },
        { kind: 'move', position: 3, by: -2 },
        { kind: 'add', itemId: 'p,1@x', index: 40 },
        { kind: 'add', itemId: 'p2', index: null },
      ],
    });
    const hash = serializeViewHash(state);
    expect(new URLSearchParams(hash.slice(1)).get('edits')).toBe('r12,m3:-2,a:p%2C1%40x@40,a:p2');
    expect(parseViewHash(hash)).toEqual(state);
  });
});
