import { describe, expect, it } from 'vitest';
import { parseHyperText, resolveHyper, SEQUENCE_HYPER } from './hyper';

describe('parseHyperText', () => {
  it('reads numbers as numbers and other values as names, trimming spaces', () => {
    expect(parseHyperText('maxLen=20, dim = 32,loss=softmax,dropout=0.5')).toEqual({
      maxLen: 20,
      dim: 32,
      loss: 'softmax',
      dropout: 0.5,
    });
  });

  it.each([
    ['maxLen', '"maxLen"'],
    ['maxLen=', '"maxLen="'],
    ['=3', '"=3"'],
    ['a=1=2', '"a=1=2"'],
    ['dim=8,,maxLen=3', '""'],
  ])('refuses the malformed pair in %s', (text, quoted) => {
    expect(() => parseHyperText(text)).toThrow(
      `hyper-parameters are name=value pairs separated by commas; got ${quoted}`,
    );
  });

  it('refuses a repeated name', () => {
    expect(() => parseHyperText('dim=8,dim=16')).toThrow(
      'hyper-parameter dim is given more than once',
    );
  });
});

describe('resolveHyper', () => {
  it('fills defaults and keeps given values', () => {
    const out = resolveHyper('gru', SEQUENCE_HYPER, { maxLen: 20 });
    expect(out.maxLen).toBe(20);
    expect(out.dim).toBe(SEQUENCE_HYPER.dim.default);
  });

  it('lists every problem in one message', () => {
    expect(() =>
      resolveHyper('gru', SEQUENCE_HYPER, { dims: 8, maxLen: 1, dropout: 2, loss: 'mse' }),
    ).toThrow(
      'Invalid gru hyper-parameters: unknown parameter dims; maxLen must be an integer in 2..512; got 1; dropout must be a number in 0..0.9; got 2; loss must be one of',
    );
  });
});
