/**
 * The index a key moves focus to in a row of controls (tabs, a list, the timeline's marks):
 * the previous/next key of the row's `axis`, Home and End; `wrap` goes round the ends, else
 * focus stops there. null for any other key (the caller lets the event through).
 */
export function rovingTarget(
  key: string,
  index: number,
  count: number,
  options: { axis: 'horizontal' | 'vertical'; wrap: boolean },
): number | null {
  if (count < 1) return null;
  const [previous, next] =
    options.axis === 'horizontal' ? ['ArrowLeft', 'ArrowRight'] : ['ArrowUp', 'ArrowDown'];
  let target: number;
  if (key === previous) target = index - 1;
  else if (key === next) target = index + 1;
  else if (key === 'Home') target = 0;
  else if (key === 'End') target = count - 1;
  else return null;
  return options.wrap ? (target + count) % count : Math.max(0, Math.min(count - 1, target));
}
