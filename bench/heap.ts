/**
 * Samples the JS heap of a page and of its dedicated workers through the Chrome DevTools
 * Protocol while a load runs, and keeps the peak. (ArrayBuffer backing stores, where typed
 * arrays live, are outside the JS heap and not counted.)
 */
import type { Browser, CDPSession, Page } from '@playwright/test';

export interface HeapPeak {
  /** Peak `JSHeapUsedSize` of the page's main thread, bytes. */
  pageBytes: number;
  /** Peak `usedSize` summed over the page's dedicated workers, bytes; null if unreachable. */
  workerBytes: number | null;
}

interface WorkerSession {
  call(method: string): Promise<{ usedSize?: number } | null>;
}

/**
 * Attaches to every worker target in non-flattened mode: Playwright cannot open a CDP session
 * on a worker, but the browser session can forward messages to one.
 */
async function attachWorkers(browserSession: CDPSession): Promise<WorkerSession[]> {
  const { targetInfos } = await browserSession.send('Target.getTargets');
  const pending = new Map<number, (result: { usedSize?: number } | null) => void>();
  let nextId = 0;
  browserSession.on('Target.receivedMessageFromTarget', (event) => {
    const message = JSON.parse(event.message) as { id?: number; result?: { usedSize?: number } };
    if (message.id !== undefined) pending.get(message.id)?.(message.result ?? null);
    if (message.id !== undefined) pending.delete(message.id);
  });
  const sessions: WorkerSession[] = [];
  for (const target of targetInfos.filter((t) => t.type === 'worker')) {
    const { sessionId } = await browserSession.send('Target.attachToTarget', {
      targetId: target.targetId,
      flatten: false,
    });
    sessions.push({
      call: (method) =>
        new Promise((resolve) => {
          const id = ++nextId;
          pending.set(id, resolve);
          browserSession
            .send('Target.sendMessageToTarget', {
              sessionId,
              message: JSON.stringify({ id, method }),
            })
            .catch(() => resolve(null));
        }),
    });
  }
  return sessions;
}

/** A running sampler; `stop()` returns the peaks seen since `start`. */
export interface HeapSampler {
  stop(): Promise<HeapPeak>;
}

/** Starts sampling every `intervalMs` the heap of `page` and of the browser's workers. */
export async function startHeapSampler(
  browser: Browser,
  page: Page,
  intervalMs = 50,
): Promise<HeapSampler> {
  const pageSession = await page.context().newCDPSession(page);
  await pageSession.send('Performance.enable');
  const browserSession = await browser.newBrowserCDPSession();
  const workers = await attachWorkers(browserSession);
  let pageBytes = 0;
  let workerBytes: number | null = workers.length > 0 ? 0 : null;
  let running = true;
  const sample = async () => {
    const { metrics } = await pageSession.send('Performance.getMetrics');
    const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    pageBytes = Math.max(pageBytes, used);
    if (workers.length > 0) {
      const sizes = await Promise.all(workers.map((w) => w.call('Runtime.getHeapUsage')));
      const total = sizes.reduce((sum, s) => sum + (s?.usedSize ?? 0), 0);
      workerBytes = Math.max(workerBytes ?? 0, total);
    }
  };
  const loop = (async () => {
    while (running) {
      await sample().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      await sample().catch(() => undefined);
      await pageSession.detach().catch(() => undefined);
      await browserSession.detach().catch(() => undefined);
      return { pageBytes, workerBytes };
    },
  };
}
