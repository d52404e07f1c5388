import { describe, expect, it } from 'vitest';
import type { ComparedPair } from '../../core/compare/compare';
import {
  metric,
  modelColour,
  pairVerdict,
  pValueText,
  sizeText,
  withInterval,
} from './compareText';

const pair = (fields: Partial<ComparedPair>): ComparedPair => ({
  a: 'sasrec',
  b: 'pop',
  deltaNdcg10: 0.0172,
  deltaCi: { lo: 0.0033, hi: 0.0319 },
  pValue: 0.016,
  wilcoxonP: 0.097,
  differingUsers: 120,
  jaccard10: 0.06,
  rbo: 0.07,
  sharedHistogram: [],
  attributionAgreement: null,
  ...fields,
});

describe('compare view text', () => {
  it('names the better model when the interval excludes 0, in either direction', () => {
    expect(pairVerdict(pair({}))).toBe(
      'sasrec beats pop by 0.017 NDCG@10 (95 % CI +0.0033 to +0.032, p 0.016).',
    );
    expect(
      pairVerdict(pair({ deltaNdcg10: -0.04, deltaCi: { lo: -0.055, hi: -0.024 }, pValue: 0 })),
    ).toBe('pop beats sasrec by 0.040 NDCG@10 (95 % CI −0.055 to −0.024, p < 0.001).');
  });

  it('says "no clear difference" when the interval straddles 0, and "the same" for identical ranks', () => {
    expect(
      pairVerdict(pair({ deltaNdcg10: 0.002, deltaCi: { lo: -0.01, hi: 0.012 }, pValue: 0.7 })),
    ).toMatch(
      /^No clear difference in NDCG@10 between sasrec and pop \(\+0\.0020, .*p 0\.700\)\.$/,
    );
    expect(pairVerdict(pair({ differingUsers: 0 }))).toBe(
      'sasrec and pop rank every test item the same.',
    );
  });

  it('formats metrics, intervals, p-values and sizes', () => {
    expect(metric(0.04512)).toBe('0.0451');
    expect(metric(Number.NaN)).toBe('–');
    expect(metric(null)).toBe('–');
    expect(withInterval(0.0451, 0.0337, 0.0577)).toBe('0.0451 [0.0337, 0.0577]');
    expect(pValueText(0.0004)).toBe('< 0.001');
    expect(pValueText(1)).toBe('1');
    expect(pValueText(0.2081)).toBe('0.208');
    expect(sizeText(520_000)).toBe('507.8 KB');
    expect(sizeText(6_100_000)).toBe('5.8 MB');
    expect(sizeText(null)).toBe('–');
  });

  it('gives every compared position its own colour', () => {
    const colours = [0, 1, 2, 3].map(modelColour);
    expect(new Set(colours).size).toBe(4);
  });
});
