import { describe, expect, it } from 'vitest';
import { legendLayout } from './legendLayout';
import {
  divergingColour,
  formatMagnitude,
  formatSigned,
  textWidth,
  truncateText,
  wrapText,
} from './palette';

describe('divergingColour', () => {
  it('purple for positive, orange for negative, light at zero; clamps and treats NaN as 0', () => {
    expect(divergingColour(1)).toBe('rgb(45, 0, 75)');
    expect(divergingColour(-1)).toBe('rgb(127, 59, 8)');
    expect(divergingColour(0)).toBe('rgb(243, 238, 234)');
    expect(divergingColour(5)).toBe(divergingColour(1));
    expect(divergingColour(Number.NaN)).toBe(divergingColour(0));
  });
});

describe('formatSigned and formatMagnitude', () => {
  it.each([
    [0.1234, '+0.123'],
    [-2, '−2.00'],
    [0, '0'],
    [123.456, '+123'],
    [-0.00001234, '−1.23e-5'],
    [Number.NaN, '–'],
  ])('%d -> %s', (value, text) => {
    expect(formatSigned(value)).toBe(text);
  });

  it('three significant digits', () => {
    expect(formatMagnitude(0.8)).toBe('0.800');
    expect(formatMagnitude(12.345)).toBe('12.3');
    expect(formatMagnitude(4321)).toBe('4.32e+3');
  });
});

describe('text measures', () => {
  it('estimates widths, truncates with an ellipsis and wraps at spaces', () => {
    expect(textWidth('abcd')).toBe(25);
    expect(truncateText('short', 100)).toBe('short');
    expect(truncateText('a rather long label', 50)).toBe('a rathe…');
    expect(wrapText('one two three four five', 60)).toEqual(['one two', 'three', 'four five']);
    expect(wrapText('', 60)).toEqual([]);
  });
});

describe('legendLayout', () => {
  it('flows entries left to right and wraps a row when the next would overflow', () => {
    const { entries, bottom } = legendLayout(
      [{ label: 'Sci-Fi' }, { label: 'Drama' }, { label: 'Comedy' }],
      { left: 0, right: 120, top: 10 },
    );
    expect(entries.map((e) => [e.x, e.y])).toEqual([
      [0, 10],
      [65, 10],
      [0, 26],
    ]);
    expect(bottom).toBe(34);
  });
});
