/**
 * Page helpers for the model specs: train a variant from its card, read a card's metrics, pick
 * a user and read the recommendation list, all through the documented `data-testid` hooks.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export type ModelStatus = 'untrained' | 'training' | 'trained' | 'error';

export const modelCard = (page: Page, id: string): Locator => page.getByTestId(`model-card-${id}`);

/** Test HR@10 and NDCG@10 as the card publishes them (NaN when absent, so asserts fail loudly). */
export async function readCardMetrics(
  page: Page,
  id: string,
): Promise<{ hr10: number; ndcg10: number }> {
  const card = modelCard(page, id);
  return {
    hr10: Number((await card.getAttribute('data-hr10')) ?? Number.NaN),
    ndcg10: Number((await card.getAttribute('data-ndcg10')) ?? Number.NaN),
  };
}

/** Waits until the Models panel lists its variants (the worker answered `listVariants`). */
export async function waitForModelCards(page: Page, ids: string[]): Promise<void> {
  for (const id of ids) await expect(modelCard(page, id)).toHaveAttribute('data-status', /.+/);
}

/**
 * Trains `id` from its card (with `epochs` when given) and waits for it to finish; fails with
 * the card's error message when training fails.
 */
export async function trainFromCard(
  page: Page,
  id: string,
  options: { epochs?: number; seed?: number; learningRate?: number; timeout?: number } = {},
): Promise<void> {
  if (options.epochs !== undefined)
    await page.getByTestId(`epochs-${id}`).fill(String(options.epochs));
  if (options.learningRate !== undefined)
    await page.getByTestId(`lr-${id}`).fill(String(options.learningRate));
  if (options.seed !== undefined) await page.getByTestId(`seed-${id}`).fill(String(options.seed));
  await page.getByTestId(`train-${id}`).click();
  await expect(modelCard(page, id)).toHaveAttribute('data-status', /trained|error/, {
    timeout: options.timeout ?? 90_000,
  });
  const status = await modelCard(page, id).getAttribute('data-status');
  if (status === 'error') {
    const message = await page.getByTestId(`train-error-${id}`).textContent();
    throw new Error(`training ${id} failed: ${message}`);
  }
}

/** Types `userId` into the user picker; the exact id selects that user. */
export async function pickUser(page: Page, userId: string): Promise<void> {
  const picker = page.getByTestId('user-picker');
  await picker.fill(userId);
  await picker.press('Enter');
}

/**
 * Waits for a settled recommendation list for `userId` from model `model` and returns its
 * item ids and scores, best first.
 */
export async function readRecommendations(
  page: Page,
  model: string,
  userId: string,
): Promise<{ itemIds: string[]; scores: number[] }> {
  const list = page.getByTestId('rec-list');
  await expect(list).toHaveAttribute('data-model', model);
  await expect(list).toHaveAttribute('data-user', userId);
  await expect(list).toHaveAttribute('data-status', 'ready');
  const items = list.getByTestId('rec-item');
  const itemIds = await items.evaluateAll((els) =>
    els.map((el) => el.getAttribute('data-item-id') ?? ''),
  );
  const scores = await items.evaluateAll((els) =>
    els.map((el) => Number(el.getAttribute('data-score'))),
  );
  return { itemIds, scores };
}
