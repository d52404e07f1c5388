import { expect, test } from '@playwright/test';
import { openApp, uploadInteractions, uploadItems } from './support/app';
import { fixturePath, loadExpectations } from './support/fixtures';
import { recordRequests } from './support/requests';

test.describe('privacy', () => {
  test('no request leaves the page origin while loading the sample and uploading files', async ({
    page,
    context,
    baseURL,
  }) => {
    const origin = new URL(baseURL as string).origin;
    const requests = await recordRequests(context, page);

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

    expect(requests.foreign(origin), 'requests to other origins').toEqual([]);
    expect(requests.violations, 'attempts blocked by the Content-Security-Policy').toEqual([]);
    // The recording must actually see the app's traffic to mean anything: the wasm binary is
    // fetched by the worker, and the bundled sample by the page.
    const { seen } = requests;
    expect(seen.some((r) => new URL(r.url).pathname.endsWith('.wasm'))).toBe(true);
    expect(seen.some((r) => new URL(r.url).pathname.endsWith('.csv'))).toBe(true);
    expect(page.workers().length).toBeGreaterThan(0);
  });
});
