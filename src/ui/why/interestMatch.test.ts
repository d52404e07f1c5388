import { describe, expect, it } from 'vitest';
import type { UserInterests } from '../../worker/api';
import { interestSentence, layerMatches } from './interestMatch';

const interests = {
  surface: {
    top: 'Travel',
    categories: [
      { category: 'Travel', share: 0.75 },
      { category: 'Sci-Fi', share: 0.25 },
    ],
  },
  deep: {
    top: 'Sci-Fi',
    categories: [
      { category: 'Sci-Fi', share: 0.34, stability: 0.9 },
      { category: 'Poetry', share: 0.2, stability: 0.5 },
    ],
  },
  middle: [
    {
      context: 'weekend',
      top: 'Romance',
      divergence: 0.3,
      events: 12,
      categories: [{ category: 'Romance', share: 0.5 }],
    },
  ],
} as unknown as UserInterests;

describe('the explained item against the user layers', () => {
  it('names the layers a category is in and those it is new to', () => {
    expect(interestSentence(['Sci-Fi'], interests)).toBe(
      'Sci-Fi: matches your deep interest (34 %) and your surface interest now (25 %).',
    );
    // Traces are said as traces, not as interests.
    expect(
      interestSentence(['Cycling'], {
        ...interests,
        deep: { top: 'Sci-Fi', categories: [{ category: 'Cycling', share: 0.03, stability: 0.2 }] },
        surface: { top: null, categories: [{ category: 'Cycling', share: 0.05 }] },
      } as unknown as UserInterests),
    ).toBe(
      'Cycling: is a small part of your long-term mix (3 %) and a little of your recent events (5 %).',
    );
    expect(interestSentence(['Travel'], interests)).toBe(
      'Travel: matches your surface interest now (75 %); new to your deep interests.',
    );
    expect(interestSentence(['Romance'], interests)).toBe(
      'Romance: matches what you turn to at weekends; new to your deep and surface interests.',
    );
    expect(interestSentence([], interests)).toMatch(/no category/);
  });

  it('reports the shares per layer', () => {
    expect(layerMatches(['Poetry', 'Romance'], interests)).toEqual([
      { category: 'Poetry', surface: 0, deep: 0.2, middle: null },
      { category: 'Romance', surface: 0, deep: 0, middle: { context: 'weekend', share: 0.5 } },
    ]);
  });
});
