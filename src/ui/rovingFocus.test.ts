import { describe, expect, it } from 'vitest';
import { rovingTarget } from './rovingFocus';

describe('rovingTarget', () => {
  const tabs = { axis: 'horizontal', wrap: true } as const;
  const list = { axis: 'vertical', wrap: false } as const;

  it('moves along its axis, wrapping round the ends when asked', () => {
    expect(rovingTarget('ArrowRight', 0, 3, tabs)).toBe(1);
    expect(rovingTarget('ArrowRight', 2, 3, tabs)).toBe(0);
    expect(rovingTarget('ArrowLeft', 0, 3, tabs)).toBe(2);
    expect(rovingTarget('ArrowDown', 1, 3, list)).toBe(2);
  });

  it('stops at the ends without wrapping; Home and End go to them', () => {
    expect(rovingTarget('ArrowDown', 2, 3, list)).toBe(2);
    expect(rovingTarget('ArrowUp', 0, 3, list)).toBe(0);
    expect(rovingTarget('Home', 2, 3, list)).toBe(0);
    expect(rovingTarget('End', 0, 3, tabs)).toBe(2);
  });

  it('ignores the other axis, other keys and an empty row', () => {
    expect(rovingTarget('ArrowDown', 0, 3, tabs)).toBeNull();
    expect(rovingTarget('ArrowLeft', 1, 3, list)).toBeNull();
    expect(rovingTarget('Enter', 1, 3, list)).toBeNull();
    expect(rovingTarget('End', 0, 0, list)).toBeNull();
  });
});
