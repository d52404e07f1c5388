/**
 * Measures whether the page's main thread stays responsive while the worker is busy (a load,
 * a training): animation frames keep coming only if the main thread is free, and a long-task
 * observer records every main-thread task over 50 ms with its duration.
 */
import type { Page } from '@playwright/test';

export interface Responsiveness {
  /** Animation frames painted since the probe started. */
  frames: number;
  /** Duration (ms, rounded) of every main-thread task over 50 ms since the probe started. */
  longTasks: number[];
}

/** Installs a requestAnimationFrame counter and a long-task observer; counts from now on. */
export async function startResponsivenessProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as {
      __frames: number;
      __longTasks: number[];
      __longTaskObserver?: PerformanceObserver;
    };
    w.__frames = 0;
    w.__longTasks = [];
    // A probe started again replaces the previous observer (else each task is counted twice).
    w.__longTaskObserver?.disconnect();
    w.__longTaskObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longTasks.push(Math.round(entry.duration));
    });
    w.__longTaskObserver.observe({ type: 'longtask' });
    const tick = () => {
      w.__frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** What the probe has counted so far (see {@link startResponsivenessProbe}). */
export function readResponsiveness(page: Page): Promise<Responsiveness> {
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number; __longTasks: number[] };
    return { frames: w.__frames, longTasks: w.__longTasks };
  });
}

/** Milliseconds one trivial script round-trip to the page takes (stalls when it is blocked). */
export async function scriptRoundTripMs(page: Page): Promise<number> {
  const started = Date.now();
  await page.evaluate(() => document.title);
  return Date.now() - started;
}
