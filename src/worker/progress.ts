/**
 * Progress from the worker to the page, throttled. Ingest reports after every ~4 MiB slice;
 * on a fast machine that can be hundreds of messages a second, each one a postMessage and a
 * React render. At most one message per interval goes out; the newest pending one is sent
 * when the load finishes, so the UI always ends on the final numbers.
 */
import type { IngestProgress } from '../core/data/types';

/** 20 messages a second is smooth to the eye and cheap for the page. */
export const PROGRESS_INTERVAL_MS = 50;

export interface ThrottledProgress<P = IngestProgress> {
  /** Called by ingest (or training) for every step; forwards at most one per interval. */
  update(progress: P): void;
  /** Sends the newest progress not sent yet (call when the load completes). */
  flush(): void;
}

/**
 * Calls `send` without letting it break the load: a Comlink callback proxy returns a promise
 * that rejects if the page has gone or released it, and a plain callback may throw.
 */
export function sendSafely<P>(send: (progress: P) => unknown, progress: P): void {
  try {
    const result = send(progress);
    if (result && typeof (result as Promise<unknown>).catch === 'function') {
      (result as Promise<unknown>).catch(() => undefined);
    }
  } catch {
    // Progress is advisory; the load goes on.
  }
}

/** Wraps a progress callback so it fires at most once per `intervalMs` (see module doc). */
export function throttleProgress<P = IngestProgress>(
  send: ((progress: P) => unknown) | null | undefined,
  intervalMs = PROGRESS_INTERVAL_MS,
  now: () => number = () => performance.now(),
): ThrottledProgress<P> {
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let pending: P | null = null;
  return {
    update(progress) {
      if (!send) return;
      const time = now();
      if (time - lastSentAt >= intervalMs) {
        lastSentAt = time;
        pending = null;
        sendSafely(send, progress);
      } else {
        pending = progress;
      }
    },
    flush() {
      if (!send || pending === null) return;
      const last = pending;
      pending = null;
      lastSentAt = now();
      sendSafely(send, last);
    },
  };
}
