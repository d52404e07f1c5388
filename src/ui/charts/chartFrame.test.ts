import { describe, expect, it } from 'vitest';
import { plotArea, roundPixel } from './chartFrame';

describe('plotArea', () => {
  it('is the chart less its margins', () => {
    expect(plotArea(420, 190, { top: 12, right: 14, bottom: 40, left: 46 })).toEqual({
      left: 46,
      top: 12,
      right: 406,
      bottom: 150,
    });
  });

  it('collapses to a line instead of turning inside out when the margins do not fit', () => {
    expect(plotArea(50, 20, { top: 15, right: 40, bottom: 10, left: 30 })).toEqual({
      left: 30,
      top: 15,
      right: 30,
      bottom: 15,
    });
  });
});

describe('roundPixel', () => {
  it('keeps two decimals', () => {
    expect(roundPixel(12.34567)).toBe(12.35);
  });
});
