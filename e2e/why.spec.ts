import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import Papa from 'papaparse';
import { openApp, showView, uploadInteractions, waitForDataset } from './support/app';
import { modelCard, pickUser, trainFromCard } from './support/models';
import { recordRequests } from './support/requests';
import { readResponsiveness, startResponsivenessProbe } from './support/responsiveness';
import {
  downloadText,
  explanationLocator,
  FORMULA_TITLES,
  formulaTitlesCsv,
  readAttributions,
  readExplanation,
  readWhatIf,
  waitForExplanation,
} from './support/why';

/** First run: the page opens on Why and explains a recommendation within this, no click. */
const FIRST_RUN_BUDGET_MS = 5_000;
/** K of the top-K list and the counterfactual. */
const K = 10;
/** A user of the bundled sample (its first row), not the default most active user. */
const USER = 'u0113';

/** Serious or critical axe violations on the page as it is (ids and the first target). */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes[0]?.target.join(' ')} ${v.help}`);
}

test.describe('why this item?', () => {
  test('first run explains the top recommendation of the first user with no click; every view passes axe', async ({
    page,
  }) => {
    const started = Date.now();
    await page.goto('/');
    const first = await waitForExplanation(page, { timeout: 30_000 });
    const elapsed = Date.now() - started;
    test.info().annotations.push({ type: 'timing', description: `first run ${elapsed} ms` });
    expect(elapsed, 'explained within the first-run budget').toBeLessThan(FIRST_RUN_BUDGET_MS);

    // The most active user (the default), the top-1 of the shipped model, said which it is.
    const picker = page.getByTestId('user-picker');
    await expect(picker).toHaveValue(first.user);
    const recs = page.getByTestId('why-rec-item');
    await expect(recs).toHaveCount(K);
    expect(await recs.first().getAttribute('data-item-id')).toBe(first.item);
    expect(first.rank).toBe(1);
    await expect(page.getByTestId('why-model-note')).toContainText(
      `${first.model} pre-trained on the sample, shipped with the app`,
    );
    await expect(page).toHaveURL(
      new RegExp(`#view=why&model=${first.model}&user=${first.user}&item=${first.item}$`),
    );

    // The timeline: every interaction, the part the model reads marked; the heat-strip has one
    // cell per read item and method.
    const timeline = page.getByTestId('user-timeline');
    const read = await timeline.locator('[data-testid="timeline-item"][data-read="true"]').count();
    expect(read).toBeGreaterThan(0);
    const cells = await readAttributions(page);
    for (const method of first.methods) {
      expect(cells.filter((c) => c.method === method)).toHaveLength(read);
    }
    expect(await seriousViolations(page), 'axe on the Why view').toEqual([]);

    // Keyboard: Alt+4 opens Models (the shipped model is there like a loaded one), then the
    // arrow key moves along the tabs to Data.
    await page.keyboard.press('Alt+4');
    await expect(page.getByTestId('nav-models')).toHaveAttribute('aria-selected', 'true');
    await expect(page).toHaveURL(/#view=models&/);
    await expect(modelCard(page, first.model)).toHaveAttribute('data-status', 'trained');
    await expect(modelCard(page, first.model)).toContainText('Shipped with the app');
    expect(await seriousViolations(page), 'axe on the Models view').toEqual([]);
    await expect(page.getByTestId('nav-models')).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('nav-data')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('dataset-summary')).toHaveAttribute('data-status', 'ready');
    expect(await seriousViolations(page), 'axe on the Data view').toEqual([]);
    await page.keyboard.press('Alt+1');
    await waitForExplanation(page, { user: first.user, item: first.item });

    // Arrow keys move through the recommendations; Enter explains one.
    await recs.first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(recs.nth(2)).toBeFocused();
    await page.keyboard.press('Enter');
    const third = (await recs.nth(2).getAttribute('data-item-id')) ?? '';
    expect((await waitForExplanation(page, { item: third })).rank).toBe(3);
  });

  test('a clicked recommendation is explained by every method without blocking the page; its counterfactual as a what-if moves it past K; a reload shows the same; nothing leaves the origin', async ({
    page,
    context,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const requests = await recordRequests(context, page);
    await page.goto('/');
    await waitForExplanation(page);
    await pickUser(page, USER);
    const top = await waitForExplanation(page, { user: USER });
    expect(top.rank).toBe(1);

    // Click the second recommendation while watching the main thread.
    const second = page.getByTestId('why-rec-item').nth(1);
    const item = (await second.getAttribute('data-item-id')) ?? '';
    await startResponsivenessProbe(page);
    await second.click();
    const explained = await waitForExplanation(page, { user: USER, item });
    const { longTasks } = await readResponsiveness(page);
    test.info().annotations.push({
      type: 'timing',
      description: `long tasks while explaining: ${longTasks.join(',') || 'none'}`,
    });
    expect(Math.max(0, ...longTasks), 'longest main-thread task while explaining, ms').toBeLessThan(
      100,
    );
    expect(explained.rank).toBe(2);

    // Every method the model offers: one finite attribution per read history item.
    const readIds = await page
      .locator('[data-testid="timeline-item"][data-read="true"]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-item-id')));
    expect(explained.methods.length).toBeGreaterThanOrEqual(6);
    const cells = await readAttributions(page);
    for (const method of explained.methods) {
      const mine = cells.filter((c) => c.method === method);
      expect(
        mine.map((c) => c.itemId),
        method,
      ).toEqual(readIds);
      expect(
        mine.every((c) => Number.isFinite(c.value)),
        method,
      ).toBe(true);
      await expect(page.getByTestId('faithfulness')).toHaveAttribute(
        `data-deletion-auc-${method}`,
        /^-?\d/,
      );
    }
    await expect(page.getByTestId('method-agreement')).toHaveAttribute(
      'data-methods',
      explained.methods.join(','),
    );
    // A method the model cannot offer is said in words (sasrec has no exact contributions).
    if (!explained.methods.includes('exact')) {
      await expect(
        page.locator('[data-testid="diagnostics"] [data-method="exact"][data-unavailable="true"]'),
      ).toContainText(/./);
    }
    await expect(page.getByTestId('explanation-summary')).toContainText(`rank 2`);

    // The counterfactual, applied as a what-if, pushes the item out of the top K.
    const cf = page.getByTestId('counterfactual');
    await expect(cf).toHaveAttribute('data-status', 'found');
    const removed = ((await cf.getAttribute('data-removed')) ?? '').split(',');
    expect(Number(await cf.getAttribute('data-new-rank'))).toBeGreaterThan(K);
    await page.getByTestId('counterfactual-apply').click();
    await expect(page.getByTestId('whatif-summary')).toHaveAttribute(
      'data-edits',
      String(removed.length),
    );
    await waitForExplanation(page, { user: USER, item });
    await expect
      .poll(async () => (await readWhatIf(page)).after, { timeout: 20_000 })
      .toBeGreaterThan(K);
    const whatIf = await readWhatIf(page);
    expect(whatIf.before).toBe(2);
    for (const id of removed) {
      await expect(
        page
          .locator(`[data-testid="timeline-item"][data-item-id="${id}"][data-removed="true"]`)
          .first(),
      ).toBeVisible();
    }
    await expect(page).toHaveURL(/&edits=r\d+/);

    // The link opens the same explanation of the same edited history.
    const edited = await readExplanation(page);
    await page.reload();
    await waitForDataset(page);
    const again = await waitForExplanation(page, { user: USER, item, timeout: 30_000 });
    expect(again.rank).toBe(edited.rank);
    await expect(page.getByTestId('whatif-summary')).toHaveAttribute(
      'data-rank-after',
      String(whatIf.after),
    );
    await expect(page.getByTestId('whatif-summary')).toHaveAttribute('data-rank-before', '2');

    // Undo drops the last edit; Reset brings the item back to where it was.
    await page.getByTestId('whatif-undo').click();
    await expect(page.getByTestId('whatif-summary')).toHaveAttribute(
      'data-edits',
      String(removed.length - 1),
    );
    await page.getByTestId('whatif-reset').click();
    await expect(page.getByTestId('whatif-summary')).toHaveAttribute('data-edits', '0');
    await expect(page.getByTestId('explanation')).toHaveAttribute('data-rank', '2', {
      timeout: 20_000,
    });

    // Adding an item (searched by id) is an edit too, explained on the edited history.
    await page.getByTestId('whatif-add').fill(removed[0]);
    await page.getByTestId('whatif-add').press('Enter');
    await expect(page.getByTestId('whatif-summary')).toHaveAttribute('data-edits', '1');
    await expect(explanationLocator(page)).toHaveAttribute('data-edits', /^a:/);
    await waitForExplanation(page, { user: USER, item });
    expect(Number.isFinite((await readWhatIf(page)).after)).toBe(true);

    const origin = new URL(baseURL as string).origin;
    expect(requests.foreign(origin), 'requests to other origins').toEqual([]);
    expect(requests.violations, 'attempts blocked by the Content-Security-Policy').toEqual([]);
    expect(requests.seen.some((r) => r.url.includes('/sample-model/'))).toBe(true);
  });

  test("exports the explanation as JSON (the CLI's format) and CSV with formula titles neutralised; weighted's attributions equal the CLI's for the same model file", async ({
    page,
  }, testInfo) => {
    test.setTimeout(120_000);
    const data = testInfo.outputPath('formula-titles.csv');
    await writeFile(data, formulaTitlesCsv());
    await openApp(page);
    expect(await uploadInteractions(page, data)).toBe('ready');
    // Another file: nothing is loaded for it automatically.
    await showView(page, 'models');
    await expect(modelCard(page, 'sasrec')).toHaveAttribute('data-status', 'untrained');
    await trainFromCard(page, 'weighted', { epochs: 1, seed: 7 });
    await showView(page, 'why');
    await pickUser(page, 'u00');
    const explained = await waitForExplanation(page, { user: 'u00', model: 'weighted' });
    expect(explained.methods).toContain('exact');

    const json = await downloadText(page, 'export-explanation-json');
    expect(json.name).toMatch(/\.json$/);
    const report = JSON.parse(json.text);
    expect(report).toMatchObject({
      format: 'interest-lens-explanation',
      version: 1,
      model: 'weighted',
      user: 'u00',
      item: explained.item,
      rank: explained.rank,
    });
    expect(report.history.map((h: { title: string }) => h.title)).toEqual(
      expect.arrayContaining(Object.values(FORMULA_TITLES)),
    );

    const csv = await downloadText(page, 'export-explanation-csv');
    expect(csv.name).toMatch(/\.csv$/);
    const rows = Papa.parse<Record<string, string>>(csv.text.trim(), { header: true }).data;
    expect(rows.length).toBe(explained.methods.length * report.history.length);
    const titles = new Set(rows.map((r) => r.title));
    for (const title of Object.values(FORMULA_TITLES)) {
      expect(titles.has(`'${title}`), `${title} neutralised`).toBe(true);
      expect(titles.has(title)).toBe(false);
    }
    for (const row of rows) {
      for (const column of ['method', 'item', 'title', 'categories', 'time', 'unit']) {
        expect(row[column], `${column} cell`).not.toMatch(/^[=+\-@]/);
      }
    }
    expect(csv.text.split('\r\n')[0]).toBe('method,item,title,categories,position,time,value,unit');

    // The same model file in the CLI explains the same item with the same numbers.
    await showView(page, 'models');
    const files: { name: string; body: Buffer }[] = [];
    page.on('download', async (download) => {
      const path = await download.path();
      files.push({ name: download.suggestedFilename(), body: await readFile(path) });
    });
    await page.getByTestId('export-model-weighted').click();
    await expect.poll(() => files.length).toBe(2);
    const dir = testInfo.outputPath('weighted-model');
    await mkdir(dir, { recursive: true });
    for (const file of files) {
      await writeFile(
        join(dir, file.name.endsWith('.json') ? 'model.json' : 'weights.bin'),
        file.body,
      );
    }
    const { stdout } = await promisify(execFile)(
      'npx',
      [
        'tsx',
        'src/cli/main.ts',
        'explain',
        data,
        '--model-dir',
        dir,
        '--user',
        'u00',
        '--item',
        explained.item,
        '--json',
      ],
      { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
    );
    const cli = JSON.parse(stdout);
    expect(Object.keys(report).sort()).toEqual(Object.keys(cli).sort());
    expect(cli.history).toEqual(report.history);
    expect(cli.item).toBe(report.item);
    expect(cli.rank).toBe(report.rank);
    expect(cli.score).toBeCloseTo(report.score, 5);
    expect(Object.keys(cli.methods).sort()).toEqual(Object.keys(report.methods).sort());
    await showView(page, 'why');
    await waitForExplanation(page, { user: 'u00', item: explained.item });
    const cells = await readAttributions(page);
    for (const [method, result] of Object.entries(cli.methods) as [
      string,
      { status: string; attributions?: { item: string; position: number; value: number }[] },
    ][]) {
      if (result.status !== 'ok' || !result.attributions) continue;
      const inPage = cells.filter((c) => c.method === method);
      expect(
        inPage.map((c) => c.position),
        method,
      ).toEqual(result.attributions.map((a) => a.position));
      result.attributions.forEach((a, k) => {
        expect(inPage[k].value, `${method} at ${a.position}`).toBeCloseTo(a.value, 5);
      });
    }
  });
});
