import { expect, test } from '@playwright/test';
import {
  openApp,
  readRejectsByReason,
  readSummary,
  summaryLocator,
  uploadInteractions,
} from './support/app';
import { fixturePath, loadExpectations } from './support/fixtures';

// One test per file in e2e/fixtures/expected.json: the page must show exactly the counts the
// ingest unit tests promise for the same bytes.
test.describe('uploading each fixture', () => {
  for (const expected of loadExpectations()) {
    if (expected.kind === 'loads') {
      test(`${expected.file} loads with its exact counts`, async ({ page }) => {
        await openApp(page);
        expect(await uploadInteractions(page, fixturePath(expected.file))).toBe('ready');
        expect(await readSummary(page)).toEqual({
          users: expected.users,
          items: expected.items,
          interactions: expected.interactions,
          rejected: expected.rejected,
        });
        expect(await readRejectsByReason(page)).toEqual(expected.rejectedByReason);
        await expect(page.getByTestId('ingest-error')).toHaveCount(0);
      });
    } else {
      test(`${expected.file} is refused with a clear message`, async ({ page }) => {
        await openApp(page);
        const before = await readSummary(page);
        expect(await uploadInteractions(page, fixturePath(expected.file))).toBe('error');
        await expect(page.getByTestId('ingest-error')).toContainText(expected.error);
        // A failed load leaves the previous dataset in place.
        expect(await readSummary(page)).toEqual(before);
        await expect(summaryLocator(page)).toHaveAttribute('data-status', 'error');
      });
    }
  }
});
