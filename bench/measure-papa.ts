/**
 * The reference: Papa Parse alone, default settings, parsing the same File in the same
 * browser (no worker, no validation, no indexing). It says how close the app's full ingest
 * comes to "just splitting the text".
 */
import type { Browser, Page } from '@playwright/test';
import { type HeapPeak, startHeapSampler } from './heap';

export interface PapaRun {
  wallMs: number;
  pageMs: number;
  heap: HeapPeak;
  /** Records Papa returned (header line included, trailing empty line included if any). */
  records: number;
  errors: number;
}

interface PapaResult {
  data: unknown[];
  errors: unknown[];
}

/** Uploads `filePath` to the reference page and times `Papa.parse(file)` until `complete`. */
export async function measurePapaParse(
  browser: Browser,
  page: Page,
  filePath: string,
): Promise<PapaRun> {
  await page.evaluate(() => {
    const w = window as unknown as {
      Papa: { parse(file: File, config: { complete(result: PapaResult): void }): void };
      __papaDone: Promise<{ pageMs: number; records: number; errors: number }>;
    };
    const input = document.getElementById('file') as HTMLInputElement;
    w.__papaDone = new Promise((resolve) => {
      input.addEventListener(
        'change',
        () => {
          const file = input.files?.[0] as File;
          const started = performance.now();
          w.Papa.parse(file, {
            complete: (result) =>
              resolve({
                pageMs: performance.now() - started,
                records: result.data.length,
                errors: result.errors.length,
              }),
          });
        },
        { once: true },
      );
    });
  });
  const sampler = await startHeapSampler(browser, page);
  const started = performance.now();
  await page.locator('#file').setInputFiles(filePath);
  const done = await page.evaluate(
    () =>
      (
        window as unknown as {
          __papaDone: Promise<{ pageMs: number; records: number; errors: number }>;
        }
      ).__papaDone,
  );
  const wallMs = performance.now() - started;
  const heap = await sampler.stop();
  // Drop the parsed rows so the next run starts from a comparable heap.
  await page.evaluate(() => {
    (window as unknown as { __papaDone: unknown }).__papaDone = null;
  });
  return { wallMs, pageMs: done.pageMs, heap, records: done.records, errors: done.errors };
}
