/**
 * One timed upload into Interest Lens: from `setInputFiles` to `data-status="ready"`,
 * through the real file input, worker and UI of the production build.
 */
import type { Browser, Page } from '@playwright/test';
import { type HeapPeak, startHeapSampler } from './heap';

/** In-page times (ms after the input's change event) when each ingest phase was first shown. */
export interface PhaseMarks {
  /** First progress with bytes read: detection done, streaming started. */
  reading: number | null;
  indexing: number | null;
  summarising: number | null;
}

export interface AppRun {
  /** Node-side wall time from calling setInputFiles until the page reported ready, ms. */
  wallMs: number;
  /** In-page time from the input's `change` event until the status turned ready, ms. */
  pageMs: number;
  heap: HeapPeak;
  /** Read from the progress line's text; null where a phase was too short to be rendered. */
  phases: PhaseMarks;
  users: number;
  items: number;
  interactions: number;
  rejected: number;
}

interface BenchDone {
  status: string;
  changeAt: number;
  doneAt: number;
  marks: Record<string, number>;
}

/**
 * Arms an in-page observer that resolves `window.__benchDone` with timings once a load that
 * started after this call has finished (status seen `loading`, then `ready` or `error`).
 */
async function armReadyObserver(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __benchDone: Promise<BenchDone> };
    let changeAt = Number.NaN;
    const marks: Record<string, number> = {};
    document.addEventListener(
      'change',
      () => {
        if (Number.isNaN(changeAt)) changeAt = performance.now();
      },
      { capture: true, once: true },
    );
    w.__benchDone = new Promise((resolve) => {
      let sawLoading = false;
      const check = () => {
        const now = performance.now();
        const progress = document.querySelector<HTMLProgressElement>(
          '[data-testid="ingest-progress"]',
        );
        if (progress && progress.value > 0 && marks.reading === undefined) marks.reading = now;
        // The line under the bar names the phase ("Indexing 1,000,000 rows…").
        const detail = progress?.nextElementSibling?.textContent ?? '';
        if (detail.startsWith('Indexing') && marks.indexing === undefined) marks.indexing = now;
        if (detail.startsWith('Summarising') && marks.summarising === undefined) {
          marks.summarising = now;
        }
        const el = document.querySelector('[data-testid="dataset-summary"]');
        const status = el?.getAttribute('data-status');
        if (status === 'loading') sawLoading = true;
        if (sawLoading && (status === 'ready' || status === 'error')) {
          observer.disconnect();
          resolve({ status, changeAt, doneAt: now, marks });
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
        attributeFilter: ['data-status', 'value'],
      });
    });
  });
}

function phaseAt(done: BenchDone, phase: string): number | null {
  const at = done.marks[phase];
  return at === undefined ? null : at - done.changeAt;
}

/** Uploads `filePath` once and measures it; throws if the app ends in an error state. */
export async function measureAppLoad(
  browser: Browser,
  page: Page,
  filePath: string,
): Promise<AppRun> {
  await armReadyObserver(page);
  const sampler = await startHeapSampler(browser, page);
  const started = performance.now();
  await page.getByTestId('csv-input').setInputFiles(filePath);
  const done = await page.evaluate(
    () => (window as unknown as { __benchDone: Promise<BenchDone> }).__benchDone,
  );
  const wallMs = performance.now() - started;
  const heap = await sampler.stop();
  if (done.status !== 'ready') {
    const message = await page
      .getByTestId('ingest-error')
      .textContent()
      .catch(() => null);
    throw new Error(`the app ended in status ${done.status}: ${message ?? 'no message'}`);
  }
  const summary = page.getByTestId('dataset-summary');
  const read = async (name: string) => Number(await summary.getAttribute(name));
  return {
    wallMs,
    pageMs: done.doneAt - done.changeAt,
    heap,
    phases: {
      reading: phaseAt(done, 'reading'),
      indexing: phaseAt(done, 'indexing'),
      summarising: phaseAt(done, 'summarising'),
    },
    users: await read('data-users'),
    items: await read('data-items'),
    interactions: await read('data-interactions'),
    rejected: await read('data-rejected'),
  };
}
