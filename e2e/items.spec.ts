import { expect, test } from '@playwright/test';
import { openApp, readSummary, uploadInteractions, uploadItems } from './support/app';
import { expectationFor, fixturePath, loadItemsExpectations } from './support/fixtures';

// One test per item metadata fixture in e2e/fixtures/expected-items.json: load its interaction
// file, join the metadata through the second file input, check what the page reports.
test.describe('joining item metadata', () => {
  for (const expected of loadItemsExpectations()) {
    test(`${expected.file} joins onto ${expected.interactionsFile}`, async ({ page }) => {
      const interactions = expectationFor(expected.interactionsFile);
      await openApp(page);
      expect(await uploadInteractions(page, fixturePath(expected.interactionsFile))).toBe('ready');
      await expect(page.getByText(/\d+ of \d+ items have a title/)).toHaveText(
        `0 of ${interactions.items} items have a title`,
      );

      expect(await uploadItems(page, fixturePath(expected.file))).toBe('ready');
      await expect(page.getByTestId('ingest-error')).toHaveCount(0);
      // Joining metadata does not change the interactions.
      expect(await readSummary(page)).toMatchObject({
        users: interactions.users,
        items: interactions.items,
        interactions: interactions.interactions,
      });

      const metadata = page.getByTestId('metadata-summary');
      await expect(metadata).toContainText(expected.file);
      const facts = metadata.locator('[data-matched]');
      await expect(facts).toHaveAttribute('data-matched', String(expected.matchedItems));
      await expect(facts).toHaveAttribute('data-unknown', String(expected.unknownItems));
      await expect(facts).toHaveAttribute('data-rejected', String(expected.rejected));
      await expect(metadata).toContainText(`${expected.rows} rows`);
      await expect(metadata).toContainText(`${expected.categories} distinct`);
      const reasons = await metadata
        .locator('[data-reason][data-count]')
        .evaluateAll((els) =>
          Object.fromEntries(
            els.map((el) => [
              el.getAttribute('data-reason'),
              Number(el.getAttribute('data-count')),
            ]),
          ),
        );
      expect(reasons).toEqual(expected.rejectedByReason);

      await expect(page.getByText(/\d+ of \d+ items have a title/)).toHaveText(
        `${expected.itemsWithTitle} of ${interactions.items} items have a title`,
      );
      const topCategories = page
        .locator('.bar-list', { has: page.getByRole('heading', { name: 'Top categories' }) })
        .locator('li[data-name]');
      await expect(topCategories).toHaveCount(Math.min(expected.categories, 10));
    });
  }

  test('metadata categories of items in the interactions become the top categories', async ({
    page,
  }) => {
    await openApp(page);
    await uploadInteractions(page, fixturePath('ml1m-style.dat'));
    await uploadItems(page, fixturePath('movies-ml1m.dat'));
    const names = await page
      .locator('.bar-list', { has: page.getByRole('heading', { name: 'Top categories' }) })
      .locator('li[data-name]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-name')).sort());
    // Sci-Fi and Adventure belong only to item 9999, which no one interacted with.
    expect(names).toEqual(['Animation', "Children's", 'Comedy', 'Drama', 'Musical', 'Romance']);
  });
});
