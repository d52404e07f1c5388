import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import Papa from 'papaparse';
import { openApp, readRejectsByReason, readSummary, uploadInteractions } from './support/app';
import { expectationFor, fixturePath } from './support/fixtures';

/** Where each rejected row of malformed.csv sits (see the comments in generate-fixtures.ts). */
const MALFORMED_LINES: Record<number, string> = {
  4: 'missing_user',
  5: 'missing_item',
  6: 'bad_timestamp',
  7: 'wrong_field_count',
  8: 'wrong_field_count',
  10: 'bad_value',
  11: 'duplicate',
  13: 'duplicate',
  14: 'unterminated_quote',
};

test.describe('a malformed file', () => {
  test('counts rejects per reason and downloads exactly those rows', async ({ page }) => {
    const expected = expectationFor('malformed.csv');
    await openApp(page);
    await expect(page.getByTestId('download-rejected')).toBeDisabled(); // the sample has none

    expect(await uploadInteractions(page, fixturePath('malformed.csv'))).toBe('ready');
    expect((await readSummary(page)).rejected).toBe(expected.rejected);
    expect(await readRejectsByReason(page)).toEqual(expected.rejectedByReason);
    // The panel names example lines, e.g. the two duplicates.
    await expect(
      page.locator('[data-testid="rejects-panel"] [data-reason="duplicate"]'),
    ).toContainText('11, 13');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-rejected').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const text = await readFile(await download.path(), 'utf8');
    const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const [header, ...rows] = parsed.data;
    expect(header.slice(0, 3)).toEqual(['line', 'reason', 'detail']);
    expect(rows.length).toBe(expected.rejected);

    const byLine = Object.fromEntries(rows.map((r) => [Number(r[0]), r[1]]));
    expect(byLine).toEqual(MALFORMED_LINES);
    // The row's own fields follow the three bookkeeping columns: line 6 kept its bad time.
    const line6 = rows.find((r) => r[0] === '6') as string[];
    expect(line6.slice(3, 8)).toEqual(['u2', 'i3', 'yesterday', 'view', '3']);
  });
});
