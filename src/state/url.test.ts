import { describe, expect, it } from 'vitest';
import { MAX_URL_VALUE, parseViewHash, serializeViewHash } from './url';

describe('view state in the URL hash', () => {
  it('round-trips ids with characters that need escaping', () => {
    const view = { model: 'gru', user: 'ann & bob=1#2 ü', item: 'p/42?x' };
    const hash = serializeViewHash(view);
    expect(hash.startsWith('#model=gru&user=')).toBe(true);
    expect(hash).not.toContain(' ');
    expect(parseViewHash(hash)).toEqual(view);
  });

  it('writes keys in a fixed order and nothing for an empty view', () => {
    expect(serializeViewHash({ item: 'i', user: 'u', model: 'm' })).toBe('#model=m&user=u&item=i');
    expect(serializeViewHash({ model: null, user: null, item: null })).toBe('');
    expect(serializeViewHash({ model: '  ', user: null, item: null })).toBe('');
  });

  it('reads with or without the leading #, and ignores unknown keys', () => {
    expect(parseViewHash('user=u1&zoom=3')).toEqual({ model: null, user: 'u1', item: null });
    expect(parseViewHash('#model=sasrec')).toEqual({ model: 'sasrec', user: null, item: null });
    expect(parseViewHash('')).toEqual({ model: null, user: null, item: null });
  });

  it('treats empty, over-long and malformed values as absent without throwing', () => {
    const long = 'x'.repeat(MAX_URL_VALUE + 1);
    expect(parseViewHash(`#model=&user=${long}`)).toEqual({ model: null, user: null, item: null });
    expect(parseViewHash('#user=%E0%A4%A').user).toEqual(expect.any(String));
    expect(serializeViewHash({ model: long, user: 'u', item: null })).toBe('#user=u');
  });
});
