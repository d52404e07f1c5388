import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { openApp, showView } from './support/app';
import { modelCard, trainFromCard, waitForModelCards } from './support/models';

/** The model shipped with the sample (loaded on first run) and one trained in the page. */
const SHIPPED = 'sasrec';
const TRAINED = 'itemknn';

interface Row {
  model: string;
  ndcg10: number;
  lo: number;
  hi: number;
  coverage10: number;
  gini: number;
}

async function readRows(page: Page): Promise<Row[]> {
  return page.getByTestId('compare-row').evaluateAll((rows) =>
    rows.map((r) => ({
      model: r.getAttribute('data-model') ?? '',
      ndcg10: Number(r.getAttribute('data-ndcg10')),
      lo: Number(r.getAttribute('data-ndcg10-lo')),
      hi: Number(r.getAttribute('data-ndcg10-hi')),
      coverage10: Number(r.getAttribute('data-coverage10')),
      gini: Number(r.getAttribute('data-gini')),
    })),
  );
}

async function readPair(page: Page) {
  const pair = page.getByTestId('compare-pair').first();
  const attr = async (name: string) => pair.getAttribute(name);
  return {
    a: await attr('data-a'),
    b: await attr('data-b'),
    delta: Number(await attr('data-delta-ndcg10')),
    pValue: Number(await attr('data-p-value')),
    jaccard10: Number(await attr('data-jaccard10')),
    rbo: Number(await attr('data-rbo')),
    rho: await attr('data-attribution-rho'),
  };
}

async function ready(page: Page, models: string, cohort = 'all') {
  const view = page.getByTestId('compare-view');
  await expect(view).toHaveAttribute('data-models', models);
  await expect(view).toHaveAttribute('data-cohort', cohort);
  await expect(view).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
}

test.describe('compare model variants', () => {
  test('two variants side by side: intervals hold their estimates, the CLI agrees on the same files, cohorts filter, a scatter user opens in Why, explanations are compared', async ({
    page,
  }, testInfo) => {
    test.setTimeout(180_000);
    await openApp(page, '/', { view: 'models' });
    await expect(modelCard(page, SHIPPED)).toHaveAttribute('data-status', 'trained', {
      timeout: 60_000,
    });
    await waitForModelCards(page, [TRAINED]);
    await trainFromCard(page, TRAINED);

    // The trained model's files, for the command line.
    const files: { name: string; body: Buffer }[] = [];
    page.on('download', async (download) => {
      files.push({
        name: download.suggestedFilename(),
        body: await readFile(await download.path()),
      });
    });
    await page.getByTestId(`export-model-${TRAINED}`).click();
    await expect.poll(() => files.length).toBe(2);
    const dir = testInfo.outputPath('itemknn-model');
    await mkdir(dir, { recursive: true });
    for (const file of files) {
      await writeFile(
        join(dir, file.name.endsWith('.json') ? 'model.json' : 'weights.bin'),
        file.body,
      );
    }

    // The compare view defaults to the last trained model and another one.
    await showView(page, 'compare');
    await ready(page, `${TRAINED},${SHIPPED}`);
    await expect(page).toHaveURL(new RegExp(`#view=compare.*models=${TRAINED}%2C${SHIPPED}`));
    const rows = await readRows(page);
    expect(rows.map((r) => r.model)).toEqual([TRAINED, SHIPPED]);
    for (const r of rows) {
      expect(r.lo, `${r.model} interval`).toBeLessThanOrEqual(r.ndcg10);
      expect(r.hi, `${r.model} interval`).toBeGreaterThanOrEqual(r.ndcg10);
      expect(r.coverage10).toBeGreaterThan(0);
      expect(r.gini).toBeGreaterThan(0);
      expect(r.gini).toBeLessThan(1);
    }
    const pair = await readPair(page);
    expect([pair.a, pair.b]).toEqual([TRAINED, SHIPPED]);
    expect(pair.delta).toBeCloseTo(rows[0].ndcg10 - rows[1].ndcg10, 10);
    expect(pair.rho).toBe('');

    // The same figures from `lens compare` on the same model files and data.
    const { stdout } = await promisify(execFile)(
      'npx',
      [
        'tsx',
        'src/cli/main.ts',
        'compare',
        'sample-data/interactions.csv',
        '--items',
        'sample-data/items.csv',
        '--model-dir',
        dir,
        '--model-dir',
        'public/sample-model',
        '--explain-users',
        '0',
        '--json',
      ],
      { maxBuffer: 16 * 1024 * 1024, timeout: 90_000 },
    );
    const cli = JSON.parse(stdout);
    for (const [i, r] of rows.entries()) {
      expect(cli.models[i].key).toBe(r.model);
      expect(cli.models[i].metrics.ndcg10).toBeCloseTo(r.ndcg10, 6);
      expect(cli.models[i].ci.ndcg10.lo).toBeCloseTo(r.lo, 6);
      expect(cli.models[i].ci.ndcg10.hi).toBeCloseTo(r.hi, 6);
      expect(cli.models[i].beyond.coverage10).toBeCloseTo(r.coverage10, 6);
    }
    expect(cli.pairwise[0].pValue).toBeCloseTo(pair.pValue, 6);
    expect(cli.pairwise[0].jaccard10).toBeCloseTo(pair.jaccard10, 6);
    expect(cli.pairwise[0].rbo).toBeCloseTo(pair.rbo, 6);

    // The per-user scatter and the lists of the selected user.
    const scatter = page.getByTestId('per-user-scatter');
    await expect(scatter).toHaveAttribute('data-points', String(cli.users));
    await expect(page.getByTestId('bump-chart')).toBeVisible();
    expect(await seriousViolations(page), 'axe on the Compare view').toEqual([]);

    // A cohort narrows every figure and goes into the URL.
    await page.getByTestId('compare-cohort').selectOption('cold-items');
    await ready(page, `${TRAINED},${SHIPPED}`, 'cold-items');
    await expect(page).toHaveURL(/cohort=cold-items/);
    const cold = Number(await scatter.getAttribute('data-points'));
    expect(cold).toBeGreaterThan(0);
    expect(cold).toBeLessThan(cli.users);
    await page.getByTestId('compare-cohort').selectOption('all');
    await ready(page, `${TRAINED},${SHIPPED}`);

    // Users where the shipped model does better; the first opens in the Why view.
    await page.getByRole('button', { name: `${SHIPPED} better` }).click();
    const brushed = page.getByTestId('brushed-user');
    await expect(brushed.first()).toBeVisible();
    const user = (await brushed.first().getAttribute('data-user')) ?? '';
    await brushed.first().getByTestId('open-in-why').click();
    await expect(page.getByTestId('nav-why')).toHaveAttribute('aria-selected', 'true');
    await expect(page).toHaveURL(new RegExp(`#view=why&model=${TRAINED}&user=${user}`));
    await expect(page.getByTestId('user-picker')).toHaveValue(user);

    // Back in Compare: explain a sample of users with both models; the pair gets its ρ.
    await showView(page, 'compare');
    await ready(page, `${TRAINED},${SHIPPED}`);
    await page.getByTestId('run-agreement').click();
    await expect(page.getByTestId('agreement-result')).toHaveAttribute('data-users', '50', {
      timeout: 90_000,
    });
    const rho = Number((await readPair(page)).rho);
    expect(rho).toBeGreaterThanOrEqual(-1);
    expect(rho).toBeLessThanOrEqual(1);
    await expect(page.getByTestId('agreement-pair').first()).toHaveAttribute(
      'data-method',
      'occlusion',
    );
  });
});

/** Serious or critical axe violations on the page as it is. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes[0]?.target.join(' ')} ${v.help}`);
}
