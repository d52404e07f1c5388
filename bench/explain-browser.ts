/**
 * The Chromium side of the explanation benchmark. The app has no explanation view yet and its
 * test hooks do not reach `explain`, so the benchmark builds a one-file page of its own
 * (bench/explain-page) that imports the app's worker client: the same client module, the same
 * worker bundle and wasm binaries, built by Vite with the app's config and served by
 * `vite preview` with the production headers (CSP included). Playwright uploads the data and
 * the model files through file inputs, then each explanation is called and timed in the page.
 */
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from '@playwright/test';
import { build } from 'vite';
import { CHROMIUM_ARGS, resolveChromiumPath } from '../e2e/support/chromium';
import type { ExplainCallOptions } from '../src/worker/api';
import type { ExplainBenchPage, PageJob } from './explain-page/main';
import type { CallMeasure } from './explain-stats';
import { newestMtime, type RunningServer, startPreview } from './servers';

/** See bench/run.ts: tsx's keepNames wraps callbacks in a helper the page lacks. */
const KEEP_NAMES_SHIM = 'globalThis.__name = globalThis.__name || ((fn) => fn);';

const PAGE_PATH = 'bench/explain-page/index.html';

type WindowWithBench = Window & { __explainBench: ExplainBenchPage };

/** Builds the benchmark page unless a build newer than every source is already there. */
async function ensurePageBuild(root: string): Promise<string> {
  const outDir = join(tmpdir(), 'interest-lens-explain-page');
  const html = join(outDir, PAGE_PATH);
  const sources = Math.max(
    newestMtime(join(root, 'src')),
    newestMtime(join(root, 'bench', 'explain-page')),
    statSync(join(root, 'bench', 'explain-stats.ts')).mtimeMs,
    statSync(join(root, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(html) && statSync(html).mtimeMs >= sources) return outDir;
  console.log('[explain] building the benchmark page (vite build, the app config)...');
  await build({
    configFile: join(root, 'vite.config.ts'),
    root,
    logLevel: 'warn',
    publicDir: false,
    build: {
      outDir,
      emptyOutDir: true,
      rolldownOptions: { input: join(root, PAGE_PATH) },
    },
  });
  return outDir;
}

export interface ExplainBrowser {
  version: string;
  backend: string;
  page: Page;
  close(): Promise<void>;
}

/** Builds and serves the page, opens it in headless Chromium and starts wasm in the worker. */
export async function openExplainBrowser(root: string): Promise<ExplainBrowser> {
  const outDir = await ensurePageBuild(root);
  const preview: RunningServer = await startPreview(root, { outDir, path: PAGE_PATH });
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({
      executablePath: resolveChromiumPath(),
      args: [...CHROMIUM_ARGS],
    });
    const context = await browser.newContext();
    await context.addInitScript({ content: KEEP_NAMES_SHIM });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.log(`[explain] page error: ${error.message}`));
    await page.goto(preview.url);
    await page.waitForFunction(() => '__explainBench' in window, undefined, { timeout: 60_000 });
    const report = await page.evaluate(() =>
      (window as unknown as WindowWithBench).__explainBench.initBackend(),
    );
    const opened = browser;
    return {
      version: opened.version(),
      backend: report.backend,
      page,
      close: async () => {
        await opened.close();
        await preview.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await preview.close();
    throw error;
  }
}

/** Uploads the data files through the page's inputs and loads them with the worker client. */
export async function loadDataInPage(
  page: Page,
  interactions: string,
  items: string | null,
): Promise<{ users: number; items: number }> {
  await page.setInputFiles('#interactions', interactions);
  if (items) await page.setInputFiles('#items', items);
  return page.evaluate(
    (withItems) => (window as unknown as WindowWithBench).__explainBench.loadData(withItems),
    items !== null,
  );
}

/** Imports a model folder through the worker client; resolves to its live key. */
export async function importModelInPage(page: Page, dir: string): Promise<string> {
  await page.setInputFiles('#model-json', join(dir, 'model.json'));
  await page.setInputFiles('#model-weights', join(dir, 'weights.bin'));
  const card = await page.evaluate(() =>
    (window as unknown as WindowWithBench).__explainBench.importModel(),
  );
  if (card.match !== 'same') throw new Error(`The page matched the model as ${card.match}.`);
  return card.key;
}

/** One timed explanation in the page's worker. */
export function explainInPage(
  page: Page,
  key: string,
  job: PageJob,
  options: ExplainCallOptions,
): Promise<CallMeasure> {
  return page.evaluate(
    ([k, j, o]) => (window as unknown as WindowWithBench).__explainBench.explain(k, j, o),
    [key, job, options] as const,
  );
}
