import { describe, expect, it } from 'vitest';
import { hashString } from '../random';
import { makeDataset } from '../train/testing';
import { itemFeaturesFromDataset, titleTokenIds, titleWords } from './features';

describe('itemFeaturesFromDataset', () => {
  const base = makeDataset([
    ['u1', 'a', 1],
    ['u1', 'b', 2],
    ['u2', 'c', 3],
  ]);
  const dataset = {
    ...base,
    categoryNames: ['Drama', 'Comedy', 'War'],
    itemCategories: [[0, 2], [], [1, 1]],
    itemTitle: ['The Good, the Bad & the Ugly (1966)', null, 'Amélie'],
  };

  it('splits titles into lower-cased word tokens (letters and digits of any script)', () => {
    expect(titleWords('The Good, the Bad & the Ugly (1966)')).toEqual([
      'the',
      'good',
      'the',
      'bad',
      'the',
      'ugly',
      '1966',
    ]);
    expect(titleWords('Amélie — 東京物語')).toEqual(['amélie', '東京物語']);
    expect(titleWords(' -- ')).toEqual([]);
  });

  it('hashes each distinct word once with FNV-1a into the buckets, deterministically', () => {
    const ids = titleTokenIds('The Good, the Bad & the Ugly (1966)', 2048);
    const expected = [
      ...new Set(['the', 'good', 'bad', 'ugly', '1966'].map((w) => hashString(w) % 2048)),
    ];
    expect(ids).toEqual(expected);
    expect(ids.every((id) => id >= 0 && id < 2048)).toBe(true);
    expect(titleTokenIds('THE good', 2048)).toEqual(titleTokenIds('the GOOD', 2048));
    expect(titleTokenIds(null, 2048)).toEqual([]);
    expect(titleTokenIds('a b c d e f g', 1)).toEqual([0]);
  });

  it('gives per-item categories (deduplicated) and title tokens, empty where missing', () => {
    const features = itemFeaturesFromDataset(dataset, 64);
    expect(features.numCategories).toBe(3);
    expect(features.titleBuckets).toBe(64);
    expect(features.categories).toEqual([[0, 2], [], [1]]);
    expect(features.titleTokens[0]).toEqual(titleTokenIds(dataset.itemTitle[0], 64));
    expect(features.titleTokens[1]).toEqual([]);
    expect(features.titleTokens[2]).toEqual([hashString('amélie') % 64]);
  });

  it('refuses a bad bucket count or a category index outside the category list', () => {
    expect(() => itemFeaturesFromDataset(dataset, 0)).toThrow(
      /titleBuckets must be a positive integer/,
    );
    const broken = { ...dataset, itemCategories: [[0], [7], []] };
    expect(() => itemFeaturesFromDataset(broken)).toThrow(
      /Item b has category index 7, outside 0\.\.2/,
    );
  });
});
