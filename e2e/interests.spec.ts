import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { openApp, showView } from './support/app';
import { modelCard, pickUser, trainFromCard, waitForModelCards } from './support/models';
import { waitForExplanation } from './support/why';

/** A user of the bundled sample with a planted drift and a contextual interest. */
const USER = 'u0001';

async function layerShares(page: Page, layer: string, within = 'interest-layers') {
  return page
    .getByTestId(within)
    .getByTestId(`layer-${layer}`)
    .getByTestId('layer-category')
    .evaluateAll((els) =>
      els.map((el) => ({
        category: el.getAttribute('data-category') ?? '',
        share: Number(el.getAttribute('data-share')),
      })),
    );
}

test.describe('layered interests', () => {
  test("a user's observed and predicted layers, their evolution with a forecast that beats the last window, the map, and the Why view's sentence", async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await openApp(page, '/', { view: 'models' });
    await expect(modelCard(page, 'sasrec')).toHaveAttribute('data-status', 'trained', {
      timeout: 60_000,
    });
    await waitForModelCards(page, ['layered']);
    await trainFromCard(page, 'layered', { epochs: 1, timeout: 120_000 });

    await showView(page, 'interests');
    await pickUser(page, USER);
    const layers = page.getByTestId('interest-layers');
    await expect(layers).toHaveAttribute('data-user', USER, { timeout: 30_000 });
    for (const layer of ['surface', 'deep']) {
      const shares = await layerShares(page, layer);
      expect(shares.length, layer).toBeGreaterThan(0);
      const top = await layers.getByTestId(`layer-${layer}`).getAttribute('data-top');
      expect(top).toBe(shares[0].category);
      // Shares are a distribution, largest first.
      for (let i = 1; i < shares.length; i++)
        expect(shares[i].share).toBeLessThanOrEqual(shares[i - 1].share);
      expect(shares.reduce((a, s) => a + s.share, 0)).toBeLessThanOrEqual(1 + 1e-9);
    }
    await expect(layers.getByTestId('layer-middle')).toHaveAttribute('data-top', /.*/);

    // The layered model's heads, side by side.
    const predicted = page.getByTestId('predicted-layers');
    await expect(predicted).toBeVisible();
    for (const layer of ['surface', 'middle', 'deep']) {
      await expect(predicted.getByTestId(`layer-${layer}`)).toHaveAttribute('data-top', /.+/);
    }

    // Evolution: windows, change points, then a trained forecast against the last window.
    const chart = page.getByTestId('evolution-chart');
    expect(Number(await chart.getAttribute('data-windows'))).toBeGreaterThan(3);
    await expect(chart).toHaveAttribute('data-change-points', /^[\d,]*$/);
    await page.getByTestId('train-evolution').click();
    await expect(page.getByTestId('evolution-summary')).toBeVisible({ timeout: 90_000 });
    await expect(chart).toHaveAttribute('data-forecast-error', /\d/);
    const forecast = Number(await chart.getAttribute('data-forecast-error'));
    const baseline = Number(await chart.getAttribute('data-baseline-error'));
    expect(forecast).toBeLessThan(baseline);

    // Everyone's evolution.
    await page.getByTestId('interest-scope').selectOption('all');
    await expect(page.getByTestId('interests-view')).toHaveAttribute('data-scope', 'all');
    await expect(chart).toHaveAttribute('data-windows', /[1-9]/);

    // The map of the layered model's items, with the user's history on it.
    await page.getByTestId('map-pca').click();
    const map = page.getByTestId('interest-map');
    await expect(map).toHaveAttribute('data-points', '1584', { timeout: 30_000 });
    // The user's history is on it (rings), not only the recommendations.
    expect(
      await map
        .locator(
          '[data-testid="map-highlight"][data-role="history"], [data-testid="map-highlight"][data-role="recent"]',
        )
        .count(),
    ).toBeGreaterThan(0);

    const axe = await new AxeBuilder({ page }).analyze();
    const serious = axe.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`);
    expect(serious, 'axe on the Interests view').toEqual([]);

    // The Why view says which layers the explained item belongs to and marks its category.
    await showView(page, 'why');
    await waitForExplanation(page, { user: USER, timeout: 60_000 });
    const sentence = page.getByTestId('why-interest-match');
    await expect(sentence).toContainText(/^[A-Z][\w &'-]+: (matches|is a|new to your)/);
    // A category in the deep layer comes from the history: its items are marked on the timeline.
    const text = (await sentence.textContent()) ?? '';
    const marked = await page
      .locator('[data-testid="timeline-item"][data-highlighted="true"]')
      .count();
    expect(text.includes('matches your deep interest') ? marked > 0 : marked >= 0, text).toBe(true);
  });
});
