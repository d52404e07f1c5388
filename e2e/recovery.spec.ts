import { expect, test } from '@playwright/test';
import { openApp, readSummary, showView, summaryLocator } from './support/app';
import { modelCard, trainFromCard, waitForModelCards } from './support/models';
import { killWorker, waitForTestHooks } from './support/test-hooks';

/**
 * The worker dies mid-training (terminated as a crash is seen: the test hook, not a polite
 * restart). The page must say so, start a fresh worker on the same backend, reload the same
 * dataset, keep the saved models and let the user train again.
 */
test('the page recovers when its worker dies mid-training', async ({ page }) => {
  test.setTimeout(90_000);
  await openApp(page, '/?test-hooks=1');
  await waitForTestHooks(page);
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toHaveAttribute('data-status', 'ready');
  const backend = await badge.getAttribute('data-backend');
  const counts = await readSummary(page);
  expect(counts.interactions).toBeGreaterThan(0);

  // A model saved before the crash (IndexedDB outlives the worker).
  await showView(page, 'models');
  await waitForModelCards(page, ['pop', 'gru']);
  await trainFromCard(page, 'pop');
  await page.getByTestId('save-model-pop').click();
  const saved = page.locator('[data-testid="saved-model"][data-model-id="pop"]');
  await expect(saved).toHaveCount(1);

  // A long neural run, killed once its batches are coming.
  await page.getByTestId('epochs-gru').fill('50');
  await page.getByTestId('train-gru').click();
  await expect(modelCard(page, 'gru')).toHaveAttribute('data-status', 'training');
  await expect(page.getByTestId('train-progress-gru')).toContainText(/batch [1-9]/, {
    timeout: 30_000,
  });
  await killWorker(page);

  const notice = page.getByTestId('worker-restarted-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toHaveAttribute('data-status', 'recovered', { timeout: 30_000 });
  await expect(notice).toHaveText(
    /^The background worker stopped \(it was terminated\), so the page started a new one on \w+ and reloaded .+; trained models must be trained again or loaded from Saved models\./,
  );
  // No card claims a model the new worker does not have; the saved one is still listed.
  await expect(modelCard(page, 'gru')).toHaveAttribute('data-status', 'untrained');
  await expect(modelCard(page, 'pop')).toHaveAttribute('data-status', 'untrained');
  await expect(saved).toHaveCount(1);
  await expect(badge).toHaveAttribute('data-status', 'ready');
  await expect(badge).toHaveAttribute('data-backend', backend ?? '');
  await expect(page.getByTestId('header-dataset')).toHaveAttribute('data-status', 'ready');

  // The new worker trains, and holds the same dataset.
  await trainFromCard(page, 'pop', { timeout: 30_000 });
  await showView(page, 'data');
  await expect(summaryLocator(page)).toHaveAttribute('data-status', 'ready');
  expect(await readSummary(page)).toEqual(counts);
});
