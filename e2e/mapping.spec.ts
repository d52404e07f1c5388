import { expect, test } from '@playwright/test';
import {
  openApp,
  readSummary,
  uploadInteractions,
  waitForLoadToSettle,
  watchStatus,
} from './support/app';
import { expectationFor, fixturePath } from './support/fixtures';

test.describe('editing the column mapping', () => {
  test('swapping user and item on a headerless file re-reads it without re-uploading', async ({
    page,
  }) => {
    const expected = expectationFor('tab-headerless.tsv');
    await openApp(page);
    expect(await uploadInteractions(page, fixturePath('tab-headerless.tsv'))).toBe('ready');
    const editor = page.getByTestId('mapping-editor');
    await expect(editor).toBeVisible();
    await expect(page.getByTestId('header-toggle')).not.toBeChecked();
    await expect(page.getByTestId('delimiter-select')).toHaveValue('\t');
    // Headerless: columns are numbered, roles come from the values.
    await expect(page.getByTestId('role-0')).toHaveValue('user');
    await expect(page.getByTestId('role-1')).toHaveValue('item');
    expect(await readSummary(page)).toMatchObject({ users: expected.users, items: expected.items });

    // Swap: column 1 becomes the user, column 2 the item.
    await page.getByTestId('role-0').selectOption('item');
    await page.getByTestId('role-1').selectOption('user');
    await expect(page.getByTestId('role-0')).toHaveValue('item');
    await expect(page.getByTestId('role-1')).toHaveValue('user');

    // Re-apply must not touch the file input: the worker re-reads the file it kept.
    let fileChooserOpened = false;
    page.on('filechooser', () => {
      fileChooserOpened = true;
    });
    await watchStatus(page);
    await page.getByTestId('reapply').click();
    expect(await waitForLoadToSettle(page)).toBe('ready');
    expect(fileChooserOpened).toBe(false);

    expect(await readSummary(page)).toEqual({
      users: expected.items,
      items: expected.users,
      interactions: expected.interactions,
      rejected: 0,
    });
    await expect(page.getByTestId('role-0')).toHaveValue('item');
    await expect(page.getByTestId('role-1')).toHaveValue('user');
  });
});
