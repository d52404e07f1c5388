/**
 * Finds the Chromium that the end-to-end tests and the benchmark drive.
 * Test tools cannot download their own browser on our machines, so a system Chromium
 * (Debian's `chromium`) is the default; Playwright's bundled one is the fallback.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** Where a Debian/Ubuntu `apt-get install chromium` puts the browser. */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * Flags for a quiet, offline-by-default browser: no QUIC, no first-run UI, no background
 * requests to Google (so the privacy spec sees only what the page itself asks for).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Extra flag that makes headless Chromium offer WebGPU (SwiftShader's adapter without a GPU). */
export const WEBGPU_ARGS: readonly string[] = ['--enable-unsafe-webgpu'];

/**
 * Resolves the Chromium executable: `CHROMIUM_PATH`, else `/usr/bin/chromium`, else the
 * browser bundled by `npx playwright install chromium`. Throws with instructions otherwise,
 * because a missing browser should stop the run with one clear sentence, not a stack trace.
 */
export function resolveChromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.CHROMIUM_PATH?.trim();
  if (fromEnv) {
    if (!existsSync(fromEnv)) {
      throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, but no file exists there.`);
    }
    return fromEnv;
  }
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  const bundled = bundledChromiumPath();
  if (bundled && existsSync(bundled)) return bundled;
  throw new Error(
    'No Chromium found for the browser tests: install one with `apt-get install chromium` ' +
      '(or `npx playwright install chromium`), or set CHROMIUM_PATH to a Chromium executable.',
  );
}

function bundledChromiumPath(): string | null {
  try {
    return chromium.executablePath();
  } catch {
    return null;
  }
}
