/**
 * Models trained by other engines, imported in the page: a Keras history-in model (three
 * shards and an item-id mapping file), a Keras ids-in model (user and item mapping files), a
 * TF.js graph model and Spark ALS factor tables (Parquet + CSV). Each must recommend the same
 * top 10 to the same user as Node does with the same files (scripts/importFixtures.ts writes
 * both before this spec runs).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { openApp, waitForDataset } from './support/app';
import { modelCard, pickUser, readRecommendations } from './support/models';

const DIR = 'e2e/.generated/import';
interface Expected {
  user: string;
  models: Record<string, { files: string[]; top10: { itemId: string; score: number }[] }>;
}
const expected: Expected = JSON.parse(readFileSync(path.join(DIR, 'expected.json'), 'utf8'));

const KEYS: Record<string, string> = {
  'keras-history': 'keras',
  'keras-ids': 'keras',
  graph: 'graph',
  als: 'als',
};

/**
 * The page's list equals Node's, except that two neighbours whose Node scores are closer than
 * float32 backends can resolve (1e-4 relative) may trade places.
 */
function sameTop10(page: string[], node: { itemId: string; score: number }[]): void {
  expect(page).toHaveLength(node.length);
  for (let i = 0; i < node.length; i++) {
    if (page[i] === node[i].itemId) continue;
    const near = (j: number) =>
      j >= 0 &&
      j < node.length &&
      Math.abs(node[j].score - node[i].score) <= 1e-4 * Math.max(1, Math.abs(node[i].score));
    const swapped = [i - 1, i + 1].some((j) => near(j) && page[i] === node[j].itemId);
    expect(swapped, `rank ${i + 1}: page ${page[i]}, node ${node[i].itemId}`).toBe(true);
  }
}

async function importFixture(page: Page, name: string): Promise<void> {
  const files = expected.models[name].files.filter((f) => !f.endsWith('_ids.txt'));
  await page.getByTestId('foreign-files').setInputFiles(files.map((f) => path.join(DIR, name, f)));
  const draft = page.getByTestId('foreign-draft');
  await expect(draft).toBeVisible();
  if (name !== 'als') {
    await expect(page.getByTestId('foreign-notes')).toContainText('mapping file');
    await page.getByTestId('foreign-item-ids').locator('select').selectOption('list');
    await page
      .getByTestId('foreign-item-ids-file')
      .setInputFiles(path.join(DIR, name, 'item_ids.txt'));
  }
  if (name === 'keras-ids') {
    await page.getByTestId('foreign-user-ids').locator('select').selectOption('list');
    await page
      .getByTestId('foreign-user-ids-file')
      .setInputFiles(path.join(DIR, name, 'user_ids.txt'));
  }
  await page.getByTestId('foreign-import-button').click();
  await expect(page.getByTestId('foreign-message')).toContainText('Imported as', {
    timeout: 60_000,
  });
}

test.describe('models from other engines', () => {
  for (const name of Object.keys(KEYS)) {
    test(`${name}: imported in the page, the same top 10 as in Node`, async ({ page }) => {
      test.setTimeout(120_000);
      await openApp(page, '/', { view: 'models' });
      await importFixture(page, name);
      const key = KEYS[name];
      await expect(modelCard(page, key)).toHaveAttribute('data-status', 'trained');
      await expect(page.getByTestId(`engine-notes-${key}`)).not.toBeEmpty();
      await page.getByTestId('rec-model-select').selectOption(key);
      await pickUser(page, expected.user);
      const recs = await readRecommendations(page, key, expected.user);
      sameTop10(recs.itemIds, expected.models[name].top10);
      if (name !== 'keras-history' && name !== 'als') return;

      // Saved in the browser and loaded after a reload: the same model, the same top 10.
      await page.getByTestId(`save-model-${key}`).click();
      const saved = page.locator(`[data-testid="saved-model"][data-model-id="${key}"]`);
      await expect(saved).toHaveCount(1);
      await page.reload();
      await waitForDataset(page);
      await saved.getByTestId('load-saved-model').click();
      await expect(modelCard(page, key)).toHaveAttribute('data-status', 'trained');
      await page.getByTestId('rec-model-select').selectOption(key);
      await pickUser(page, expected.user);
      const again = await readRecommendations(page, key, expected.user);
      expect(again.itemIds).toEqual(recs.itemIds);
    });
  }

  test('a shard that is missing is refused with one sentence and nothing is imported', async ({
    page,
  }) => {
    await openApp(page, '/', { view: 'models' });
    const files = expected.models['keras-history'].files.filter(
      (f) => !f.endsWith('_ids.txt') && !f.includes('shard2'),
    );
    await page
      .getByTestId('foreign-files')
      .setInputFiles(files.map((f) => path.join(DIR, 'keras-history', f)));
    await expect(page.getByTestId('foreign-message')).toContainText('group1-shard2of3.bin');
    await expect(page.getByTestId('foreign-draft')).toHaveCount(0);
    await expect(modelCard(page, 'keras')).toHaveCount(0);
  });
});
