import { describe, expect, it } from 'vitest';
import { sentenceProblem } from '../fuzz/foreignKnownIssues';
import { errorReason, fileText } from './fileText';

describe('fileText', () => {
  it('cleans and cuts strings, names lists and objects without turning them into text', () => {
    expect(fileText('a\r\nb')).toBe('a b');
    expect(fileText('x\u0000y\u2028z')).toBe('x?y z');
    expect(fileText('k'.repeat(1_000_000))).toBe(`${'k'.repeat(40)}...`);
    expect(fileText({ toString: 1 })).toBe('an object');
    const deep = JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect(fileText(deep)).toBe('a list');
    expect(fileText(3)).toBe('3');
    expect(fileText(null)).toBe('null');
  });
});

describe('errorReason', () => {
  it('makes any error one clause that a sentence can end', () => {
    const cases: unknown[] = [
      new Error('Shape mismatch: [8,24] vs. [24,8]'),
      new Error(
        'Cannot compute the outputs [scores] from the provided inputs [ids]. Missing the following inputs: [axis0]',
      ),
      new SyntaxError('Unexpected token \'N\', ..."maxLen": NaN\n}" is not valid JSON'),
      new Error(`{\n${'  "layer": {\n'.repeat(500)}`),
      new Error('bytes \u0000\u0001 here.'),
      'a string thrown',
      42,
      new Error(''),
    ];
    for (const error of cases) {
      const sentence = `The model cannot be read: ${errorReason(error)}.`;
      expect(sentenceProblem(sentence), sentence).toBeNull();
    }
    expect(errorReason(new Error('Shape mismatch: [8,24] vs. [24,8]'))).toBe(
      'Shape mismatch: [8,24] vs. [24,8]',
    );
    expect(errorReason(new Error('One. Two.'))).toBe('One; Two');
    expect(errorReason(42)).toBe('no reason given');
  });

  it('does not throw on an error whose message getter throws', () => {
    const hostile = Object.create(Error.prototype, {
      message: {
        get() {
          throw new Error('no');
        },
      },
    });
    expect(errorReason(hostile)).toBe('no reason given');
  });
});
