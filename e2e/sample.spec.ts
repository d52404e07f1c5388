import { expect, test } from '@playwright/test';
import { openApp, readRejectsByReason, readSummary } from './support/app';

test.describe('opening the page', () => {
  test('loads the bundled sample with counts, histograms and the chosen backend', async ({
    page,
  }) => {
    await openApp(page);

    const counts = await readSummary(page);
    expect(counts.users).toBeGreaterThan(0);
    expect(counts.items).toBeGreaterThan(0);
    expect(counts.interactions).toBeGreaterThan(0);
    expect(counts.rejected).toBe(0);
    expect(await readRejectsByReason(page)).toEqual({});
    await expect(page.getByTestId('ingest-error')).toHaveCount(0);

    for (const id of ['hist-per-user', 'hist-per-item']) {
      const histogram = page.getByTestId(id);
      await expect(histogram).toBeVisible();
      await expect(histogram).toHaveAttribute('role', 'img');
      // One bar per non-empty bin: at least one rect of positive height.
      const heights = await histogram
        .locator('rect')
        .evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('height'))));
      expect(
        heights.some((h) => h > 0),
        `${id} draws bars`,
      ).toBe(true);
    }

    // No hardware GPU here: the app must pick wasm and say why.
    const badge = page.getByTestId('backend-badge');
    await expect(badge).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
    const explanation = `${await badge.textContent()} ${(await badge.getAttribute('title')) ?? ''}`;
    expect(explanation.replace(/wasm/gi, '').trim().length, 'badge gives a reason').toBeGreaterThan(
      10,
    );
  });
});
