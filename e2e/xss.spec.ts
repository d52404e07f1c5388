import { copyFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { openApp, uploadInteractions } from './support/app';
import { fixturePath } from './support/fixtures';

const IMG_TITLE = '<img src=x onerror=alert(1)>';
const SCRIPT_TITLE = '<script>alert(1)</script>';
/** File names are user strings too: this one is shown as the dataset's name. */
const MARKUP_FILE_NAME = '<img src=z onerror=alert(3)>.csv';

test.describe('user strings are text, never markup', () => {
  test('titles and file names with HTML render literally and run nothing', async ({
    page,
  }, testInfo) => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const file = testInfo.outputPath(MARKUP_FILE_NAME);
    await copyFile(fixturePath('xss-title.csv'), file);

    await openApp(page);
    expect(await uploadInteractions(page, file)).toBe('ready');

    // The title column's sample values, shown in the mapping editor, are the literal text.
    const editor = page.getByTestId('mapping-editor');
    await expect(editor.getByText(IMG_TITLE, { exact: true })).toBeVisible();
    await expect(editor.getByText(SCRIPT_TITLE, { exact: true })).toBeVisible();
    // The file name is the dataset's heading, as text.
    await expect(page.getByTestId('dataset-summary').getByRole('heading').first()).toContainText(
      MARKUP_FILE_NAME,
    );

    // Give a broken image time to fail and fire its handler, had one been created.
    await page.waitForTimeout(500);
    const injected = await page.evaluate(
      () =>
        document.querySelectorAll(
          'img[src="x"], img[src="z"], img[onerror], b[onmouseover], body script:not([src])',
        ).length,
    );
    expect(injected, 'elements created from user strings').toBe(0);
    expect(dialogs).toEqual([]);
  });
});
