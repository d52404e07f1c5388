import { expect, test } from '@playwright/test';
import { openApp, uploadInteractions, uploadItems } from './support/app';
import { fixturePath, loadExpectations } from './support/fixtures';

/** Schemes that never leave the browser. */
const LOCAL_SCHEMES = new Set(['blob:', 'data:']);

test.describe('privacy', () => {
  test('no request leaves the page origin while loading the sample and uploading files', async ({
    page,
    context,
    baseURL,
  }) => {
    const origin = new URL(baseURL as string).origin;
    const seen: { url: string; type: string; from: string }[] = [];
    // Three vantage points: the context (covers the worker in Chromium), the page, and a
    // routing hook that sees every request the network stack would make.
    context.on('request', (r) =>
      seen.push({ url: r.url(), type: r.resourceType(), from: 'context' }),
    );
    page.on('request', (r) => seen.push({ url: r.url(), type: r.resourceType(), from: 'page' }));
    await context.route('**/*', (route) => {
      seen.push({
        url: route.request().url(),
        type: route.request().resourceType(),
        from: 'route',
      });
      return route.continue();
    });

    // A request to another origin that the Content-Security-Policy blocks is never made, so
    // the hooks above would not see it; the attempt still shows as a violation.
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to (connect|load)/i.test(message.text())) {
        violations.push(message.text());
      }
    });
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`Content Security Policy violation: ${event.blockedURI}`);
      });
    });

    await openApp(page);
    await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', /.+/);
    for (const fixture of loadExpectations()) {
      await uploadInteractions(page, fixturePath(fixture.file));
    }
    await uploadInteractions(page, fixturePath('malformed.csv'));
    await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-rejected').click(),
    ]);
    await uploadInteractions(page, fixturePath('ml1m-style.dat'));
    await uploadItems(page, fixturePath('movies-ml1m.dat'));

    const foreign = seen.filter((r) => {
      const url = new URL(r.url);
      return !LOCAL_SCHEMES.has(url.protocol) && url.origin !== origin;
    });
    expect(foreign, 'requests to other origins').toEqual([]);
    expect(violations, 'attempts blocked by the Content-Security-Policy').toEqual([]);
    // The recording must actually see the app's traffic to mean anything: the wasm binary is
    // fetched by the worker, and the bundled sample by the page.
    expect(seen.some((r) => new URL(r.url).pathname.endsWith('.wasm'))).toBe(true);
    expect(seen.some((r) => new URL(r.url).pathname.endsWith('.csv'))).toBe(true);
    expect(page.workers().length).toBeGreaterThan(0);
  });
});
