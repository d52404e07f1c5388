/**
 * Training in headless Chromium through the real app: the production build under
 * `vite preview`, opened with `?test-hooks=1` (to pin the backend through the badge's own path),
 * a model trained by clicking its card's Train button with the epochs and seed typed in, and
 * the card's published numbers read back (test HR@10 and NDCG@10 attributes, training time,
 * examples/s, epochs). The worker runs the same core trainer as Node, so equal seeds and epochs
 * give comparable runs and the time ratio is the browser's overhead (or gain).
 */
import { type Browser, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, resolveChromiumPath } from '../e2e/support/chromium';
import type { LensTestHooks } from '../src/state/testHooks';
import { ensureBuild, type RunningServer, startPreview } from './servers';

/** See bench/run.ts: tsx's keepNames wraps callbacks in a helper the page lacks. */
const KEEP_NAMES_SHIM = 'globalThis.__name = globalThis.__name || ((fn) => fn);';

export interface BrowserSession {
  browser: Browser;
  page: Page;
  version: string;
  backend: string;
  close(): Promise<void>;
}

export interface BrowserTrainRun {
  model: string;
  epochsAsked: number;
  /** Node-side wall time from the click until the card said trained, seconds. */
  wallSeconds: number;
  /** The card's "Training time" (the worker's record.trainSeconds), as shown. */
  cardTrainingTime: string;
  /** The same in seconds (rounded as the card rounds it); null when unreadable. */
  cardTrainSeconds: number | null;
  /** The card's examples/s (the last batch's running rate of the last epoch). */
  examplesPerSecond: number | null;
  /** The card's epochs line, e.g. "5 run, best 4". */
  epochs: string;
  hr10: number;
  ndcg10: number;
}

async function waitForReady(page: Page, timeoutMs: number): Promise<void> {
  await page
    .getByTestId('dataset-summary')
    .and(page.locator('[data-status="ready"]'))
    .waitFor({ timeout: timeoutMs });
}

/** Builds if needed, serves the build, opens the app on the bundled sample and pins wasm. */
export async function openBrowserSession(root: string): Promise<BrowserSession> {
  ensureBuild(root);
  const preview: RunningServer = await startPreview(root);
  const browser = await chromium.launch({
    executablePath: resolveChromiumPath(),
    args: [...CHROMIUM_ARGS],
  });
  try {
    const context = await browser.newContext();
    await context.addInitScript({ content: KEEP_NAMES_SHIM });
    const page = await context.newPage();
    await page.goto(`${preview.url}?test-hooks=1`);
    await waitForReady(page, 120_000);
    const report = await page.evaluate(() =>
      (window as unknown as { __lensTest: LensTestHooks }).__lensTest.setBackend('wasm'),
    );
    return {
      browser,
      page,
      version: browser.version(),
      backend: report.backend,
      close: async () => {
        await browser.close();
        await preview.close();
      },
    };
  } catch (error) {
    await browser.close();
    await preview.close();
    throw error;
  }
}

/** Uploads interactions (and items) through the file inputs and waits for each to be ready. */
export async function uploadDataset(
  page: Page,
  interactions: string,
  items: string | null,
): Promise<void> {
  const settle = async (testId: string, file: string) => {
    const summary = page.getByTestId('dataset-summary');
    await page.getByTestId(testId).setInputFiles(file);
    // A new load flips the status away from ready first; wait for that, then for the end.
    await page
      .waitForFunction(
        () =>
          document.querySelector('[data-testid="dataset-summary"]')?.getAttribute('data-status') !==
          'ready',
        undefined,
        { timeout: 10_000, polling: 20 },
      )
      .catch(() => undefined); // a fast load may be over before the first poll
    await summary.and(page.locator('[data-status="ready"]')).waitFor({ timeout: 120_000 });
  };
  await settle('csv-input', interactions);
  if (items) await settle('items-input', items);
}

/** Reads the card's "12.3 s" / "45 s" / "2 min 5 s" back into seconds. */
export function parseShownSeconds(text: string): number | null {
  const match = /^(?:(\d+) min )?(\d+(?:\.\d+)?) s$/.exec(text.trim());
  return match ? Number(match[1] ?? 0) * 60 + Number(match[2]) : null;
}

async function factAfter(page: Page, id: string, label: string): Promise<string> {
  const dd = page.getByTestId(`model-card-${id}`).locator(`dt:text-is("${label}") + dd`);
  return ((await dd.first().textContent({ timeout: 5_000 })) ?? '').trim();
}

/** Trains `id` from its card with `epochs` and `seed` and reads back what the card shows. */
export async function trainInBrowser(
  page: Page,
  id: string,
  epochs: number,
  seed: number,
  timeoutMs: number,
  /** The card's time limit in seconds; none when absent. */
  maxSeconds?: number,
): Promise<BrowserTrainRun> {
  const card = page.getByTestId(`model-card-${id}`);
  await card.waitFor({ timeout: 60_000 });
  await page.getByTestId(`epochs-${id}`).fill(String(epochs));
  await page.getByTestId(`seed-${id}`).fill(String(seed));
  if (maxSeconds !== undefined) {
    await page.getByTestId(`time-limit-${id}`).fill(String(maxSeconds));
  }
  const started = performance.now();
  await page.getByTestId(`train-${id}`).click();
  await page.waitForFunction(
    (testId) => {
      const status = document
        .querySelector(`[data-testid="${testId}"]`)
        ?.getAttribute('data-status');
      return status === 'trained' || status === 'error';
    },
    `model-card-${id}`,
    { timeout: timeoutMs, polling: 100 },
  );
  const wallSeconds = (performance.now() - started) / 1000;
  if ((await card.getAttribute('data-status')) === 'error') {
    const message = await page.getByTestId(`train-error-${id}`).textContent();
    throw new Error(`training ${id} in the browser failed: ${message}`);
  }
  const rate = (await factAfter(page, id, 'Examples/s')).replace(/[^0-9.]/g, '');
  const cardTrainingTime = await factAfter(page, id, 'Training time');
  return {
    model: id,
    epochsAsked: epochs,
    wallSeconds: Math.round(wallSeconds * 10) / 10,
    cardTrainingTime,
    cardTrainSeconds: parseShownSeconds(cardTrainingTime),
    examplesPerSecond: rate === '' ? null : Number(rate),
    epochs: await factAfter(page, id, 'Epochs'),
    hr10: Number(await card.getAttribute('data-hr10')),
    ndcg10: Number(await card.getAttribute('data-ndcg10')),
  };
}
