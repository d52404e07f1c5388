import { type RefCallback, useCallback, useEffect, useRef, useState } from 'react';

/**
 * The width in CSS pixels of the element the returned ref is attached to, kept current with a
 * ResizeObserver and rounded down to `step` pixels (so a resize re-lays the charts out in
 * steps, not on every pixel), clamped to [min, max]; `fallback` until it is measured. Give it
 * to the timeline and the attribution strip together so their text stays at 11 px on a narrow
 * window and their columns keep lining up.
 */
export function useChartWidth(
  fallback = 760,
  { min = 360, max = 1200, step = 20 }: { min?: number; max?: number; step?: number } = {},
): [RefCallback<HTMLElement>, number] {
  const [width, setWidth] = useState(fallback);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback<RefCallback<HTMLElement>>(
    (element) => {
      observer.current?.disconnect();
      observer.current = null;
      if (!element || typeof ResizeObserver === 'undefined') return;
      const measure = (px: number) => {
        if (px > 0) setWidth(Math.min(max, Math.max(min, Math.floor(px / step) * step)));
      };
      observer.current = new ResizeObserver((entries) => measure(entries[0].contentRect.width));
      observer.current.observe(element);
      measure(element.getBoundingClientRect().width);
    },
    [min, max, step],
  );
  useEffect(() => () => observer.current?.disconnect(), []);
  return [ref, width];
}
