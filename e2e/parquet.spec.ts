import { expect, test } from '@playwright/test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import {
  openApp,
  readRejectsByReason,
  readSummary,
  summaryLocator,
  waitForLoadToSettle,
  watchStatus,
} from './support/app';

/**
 * A Parquet log written here (not committed): 1,000 interactions of 40 users on 60 items with
 * typed columns (string users, INT64 items, TIMESTAMP times), and one row without an item.
 */
function behaviourParquet(): Buffer {
  const rows = 1000;
  const user = Array.from({ length: rows }, (_, i) => `user-${i % 40}`);
  const item = Array.from({ length: rows }, (_, i) => (i === 500 ? null : BigInt(1000 + (i % 60))));
  const time = Array.from({ length: rows }, (_, i) => new Date(Date.UTC(2024, 2, 1) + i * 60_000));
  const bytes = parquetWriteBuffer({
    columnData: [
      { name: 'user_id', type: 'STRING', data: user },
      { name: 'item_id', type: 'INT64', data: item, nullable: true },
      { name: 'event_time', type: 'TIMESTAMP', data: time },
    ],
    rowGroupSize: 250,
  });
  return Buffer.from(bytes);
}

test.describe('a Parquet interaction file', () => {
  test('loads through the file input, then as a user sample from the mapping editor', async ({
    page,
  }) => {
    await openApp(page);
    const input = page.getByTestId('csv-input');
    expect(await input.getAttribute('accept')).toContain('.parquet');

    await watchStatus(page);
    await input.setInputFiles({
      name: 'behaviour.parquet',
      mimeType: 'application/vnd.apache.parquet',
      buffer: behaviourParquet(),
    });
    expect(await waitForLoadToSettle(page)).toBe('ready');
    expect(await readSummary(page)).toEqual({
      users: 40,
      items: 60,
      interactions: 999,
      rejected: 1,
    });
    expect(await readRejectsByReason(page)).toEqual({ missing_item: 1 });
    const summary = summaryLocator(page);
    await expect(summary).toHaveAttribute('data-format', 'parquet');
    await expect(summary).toContainText('behaviour.parquet');
    await expect(page.getByTestId('row-accounting')).toHaveText(
      '999 accepted + 1 rejected = 1,000 data rows',
    );
    await expect(page.getByTestId('file-format')).toContainText('Parquet');
    await expect(page.getByTestId('delimiter-select')).toHaveCount(0);

    // Ask for half of the users: the same file, read again, keeps whole users.
    await page.getByTestId('sample-percent').fill('50');
    await page.getByTestId('sample-seed').fill('2');
    await watchStatus(page);
    await page.getByTestId('reapply').click();
    expect(await waitForLoadToSettle(page)).toBe('ready');
    await expect(summary).toHaveAttribute('data-sample-fraction', '0.5');
    const sampled = await readSummary(page);
    expect(sampled.users).toBeGreaterThan(5);
    expect(sampled.users).toBeLessThan(35);
    await expect(page.getByTestId('user-sample')).toContainText(
      '50% of users kept, chosen by a hash of the user id (seed 2)',
    );
    await expect(page.getByTestId('row-accounting')).toContainText('left out by the user sample');
  });
});
