/**
 * Page helpers for the end-to-end specs. They speak only through the app's stable
 * `data-testid` hooks (documented in the README), so a spec reads as what a user does.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export type DataStatus = 'loading' | 'ready' | 'error';

/** The counts the dataset summary publishes as data attributes. */
export interface SummaryCounts {
  users: number;
  items: number;
  interactions: number;
  rejected: number;
}

export const summaryLocator = (page: Page): Locator => page.getByTestId('dataset-summary');

/** Reads the dataset summary's counts; NaN where an attribute is missing, so asserts fail loudly. */
export async function readSummary(page: Page): Promise<SummaryCounts> {
  const el = summaryLocator(page);
  const [users, items, interactions, rejected] = await Promise.all(
    ['data-users', 'data-items', 'data-interactions', 'data-rejected'].map(async (name) =>
      Number(await el.getAttribute(name)),
    ),
  );
  return { users, items, interactions, rejected };
}

/** The page's views (the nav tabs `nav-<view>`, the URL's `#view=`). */
export type ViewName = 'why' | 'interests' | 'compare' | 'models' | 'data';

/**
 * Opens the app on `view` (default: Data, where the ingest specs work; the page itself opens
 * on Why) and waits until the bundled sample (or whatever loads first) is ready. A `path` with
 * its own `#...` hash is opened as it is.
 */
export async function openApp(
  page: Page,
  path = '/',
  options: { view?: ViewName } = {},
): Promise<void> {
  await page.goto(path.includes('#') ? path : `${path}#view=${options.view ?? 'data'}`);
  await waitForDataset(page);
}

/** Waits until the loaded dataset (shown in the header of every view) is ready. */
export async function waitForDataset(page: Page, timeout = 60_000): Promise<void> {
  await expect(page.getByTestId('header-dataset')).toHaveAttribute('data-status', 'ready', {
    timeout,
  });
}

/** Switches to `view` with its nav tab and waits until it is the selected one. */
export async function showView(page: Page, view: ViewName): Promise<void> {
  const tab = page.getByTestId(`nav-${view}`);
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/**
 * Starts recording every value the summary's `data-status` takes, including ones that last
 * less than a frame, so a caller can tell a finished *new* load from the previous `ready`.
 */
export async function watchStatus(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __statusLog: string[]; __statusObserver?: MutationObserver };
    w.__statusObserver?.disconnect();
    w.__statusLog = [];
    const push = (value: string | null) => {
      if (value !== null && w.__statusLog[w.__statusLog.length - 1] !== value) {
        w.__statusLog.push(value);
      }
    };
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'attributes') {
          push(record.oldValue);
          push((record.target as Element).getAttribute('data-status'));
        } else {
          for (const node of record.addedNodes) {
            if (!(node instanceof Element)) continue;
            const summary = node.matches('[data-testid="dataset-summary"]')
              ? node
              : node.querySelector('[data-testid="dataset-summary"]');
            if (summary) push(`new:${summary.getAttribute('data-status')}`);
          }
        }
      }
    });
    observer.observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-status'],
      attributeOldValue: true,
    });
    w.__statusObserver = observer;
  });
}

/** The statuses seen since {@link watchStatus}. */
export async function statusLog(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __statusLog: string[] }).__statusLog ?? []);
}

/**
 * Waits until a load started after {@link watchStatus} has finished: `loading` was seen
 * and the status is now `ready` or `error`. Returns the final status.
 */
export async function waitForLoadToSettle(page: Page, timeout = 60_000): Promise<DataStatus> {
  await expect
    .poll(
      async () => {
        const log = await statusLog(page);
        const sawLoad = log.some((s) => s === 'loading' || s === 'new:loading');
        const now = await summaryLocator(page).getAttribute('data-status');
        return sawLoad && (now === 'ready' || now === 'error') ? now : 'pending';
      },
      { timeout, intervals: [50, 100, 200] },
    )
    .not.toBe('pending');
  return (await summaryLocator(page).getAttribute('data-status')) as DataStatus;
}

/** Uploads an interactions file through the file input and waits for the load to settle. */
export async function uploadInteractions(page: Page, filePath: string): Promise<DataStatus> {
  await watchStatus(page);
  await page.getByTestId('csv-input').setInputFiles(filePath);
  return waitForLoadToSettle(page);
}

/** Uploads an item metadata file and waits for the join to settle. */
export async function uploadItems(page: Page, filePath: string): Promise<DataStatus> {
  await watchStatus(page);
  await page.getByTestId('items-input').setInputFiles(filePath);
  return waitForLoadToSettle(page);
}

/** Per-reason rejected-row counts shown in the rejects panel (empty when there is no panel). */
export async function readRejectsByReason(page: Page): Promise<Record<string, number>> {
  const panel = page.getByTestId('rejects-panel');
  if ((await panel.count()) === 0) return {};
  return panel.locator('[data-reason][data-count]').evaluateAll((els) => {
    const out: Record<string, number> = {};
    for (const el of els) {
      const reason = el.getAttribute('data-reason') ?? '';
      out[reason] = (out[reason] ?? 0) + Number(el.getAttribute('data-count'));
    }
    return out;
  });
}
