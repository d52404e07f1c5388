/**
 * Page helpers for the "Why this item?" spec: wait for an explanation, read its attribution
 * hooks, read the what-if summary, download an export, and a small interactions file whose
 * titles look like spreadsheet formulas. All through the documented `data-testid` hooks.
 */
import { readFile } from 'node:fs/promises';
import { expect, type Locator, type Page } from '@playwright/test';

export const explanationLocator = (page: Page): Locator => page.getByTestId('explanation');

/** What the explanation panel publishes as data attributes. */
export interface ExplanationHook {
  status: string;
  user: string;
  item: string;
  rank: number;
  model: string;
  methods: string[];
}

export async function readExplanation(page: Page): Promise<ExplanationHook> {
  const el = explanationLocator(page);
  const get = async (name: string) => (await el.getAttribute(name)) ?? '';
  return {
    status: await get('data-status'),
    user: await get('data-user'),
    item: await get('data-item'),
    rank: Number((await get('data-rank')) || Number.NaN),
    model: await get('data-model'),
    methods: (await get('data-methods')).split(',').filter(Boolean),
  };
}

/** Waits until the explanation is `ready` (for `user`/`item` when given) and returns it. */
export async function waitForExplanation(
  page: Page,
  expected: { user?: string; item?: string; model?: string; timeout?: number } = {},
): Promise<ExplanationHook> {
  const el = explanationLocator(page);
  const timeout = expected.timeout ?? 30_000;
  if (expected.user) await expect(el).toHaveAttribute('data-user', expected.user, { timeout });
  if (expected.item) await expect(el).toHaveAttribute('data-item', expected.item, { timeout });
  if (expected.model) await expect(el).toHaveAttribute('data-model', expected.model, { timeout });
  await expect(el).toHaveAttribute('data-status', 'ready', { timeout });
  return readExplanation(page);
}

export interface AttributionHook {
  method: string;
  itemId: string;
  position: number;
  value: number;
}

/** Every `attribution` hook of the heat-strip (one per history item and method). */
export async function readAttributions(page: Page): Promise<AttributionHook[]> {
  return explanationLocator(page)
    .getByTestId('attribution')
    .evaluateAll((els) =>
      els.map((el) => ({
        method: el.getAttribute('data-method') ?? '',
        itemId: el.getAttribute('data-item-id') ?? '',
        position: Number(el.getAttribute('data-position')),
        value: Number(el.getAttribute('data-value')),
      })),
    );
}

/** The what-if summary's rank before and after the edits (NaN where empty). */
export async function readWhatIf(page: Page): Promise<{ before: number; after: number }> {
  const el = page.getByTestId('whatif-summary');
  const num = async (name: string) => Number((await el.getAttribute(name)) || Number.NaN);
  return { before: await num('data-rank-before'), after: await num('data-rank-after') };
}

/** Clicks `testId` and returns the downloaded file's name and text. */
export async function downloadText(
  page: Page,
  testId: string,
): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(testId).click(),
  ]);
  return {
    name: download.suggestedFilename(),
    text: await readFile(await download.path(), 'utf8'),
  };
}

/** Titles a spreadsheet would run as formulas, on items every user below has in their history. */
export const FORMULA_TITLES: Record<string, string> = {
  i03: '=HYPERLINK("http://example.com/x","click")',
  i05: '+SUM(1,2)',
  i07: '@cmd',
  i09: '-2+3',
};

/**
 * A small interactions file with title and category columns: 16 users, 24 items, each user's
 * history holding the four formula-titled items among others (so any user's explanation lists
 * them), times one minute apart.
 */
export function formulaTitlesCsv(): string {
  const categories = ['Sci-Fi', 'Drama', 'Jazz', 'Baking'];
  const title = (item: string) =>
    `"${(FORMULA_TITLES[item] ?? `Item ${Number(item.slice(1))}`).replaceAll('"', '""')}"`;
  const rows = ['user_id,item_id,timestamp,title,categories'];
  let time = 1_700_000_000;
  for (let u = 0; u < 16; u++) {
    const own = [3, 5, 7, 9].map((k) => (k + u) % 24);
    const others = Array.from({ length: 4 + (u % 4) }, (_, j) => (u * 5 + j * 7 + 11) % 24);
    const items = [...new Set([...others, 3, 5, 7, 9, ...own])];
    for (const k of items) {
      const item = `i${String(k).padStart(2, '0')}`;
      time += 60;
      const cats = `${categories[k % 4]}|${categories[Math.floor(k / 4) % 4]}`;
      rows.push(`u${String(u).padStart(2, '0')},${item},${time},${title(item)},${cats}`);
    }
  }
  return `${rows.join('\n')}\n`;
}
