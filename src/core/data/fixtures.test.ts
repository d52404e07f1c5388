/**
 * Every fixture in e2e/fixtures through the real ingest, checked against expected.json and
 * expected-items.json (the truth the end-to-end tests share), and re-read with tiny slices to
 * prove chunk boundaries change nothing.
 */
import { describe, expect, it } from 'vitest';
import { ingestInteractions } from './ingest';
import { ingestItemMetadata } from './itemMetadata';
import { summarizeDataset } from './summary';
import { fixtureJson, fixtureSource, plainDataset } from './testSupport';
import { IngestError } from './types';

type Expected =
  | { error: string }
  | {
      users: number;
      items: number;
      interactions: number;
      rejected: number;
      rejectedByReason: Record<string, number>;
    };

interface ExpectedItems {
  interactionsFile: string;
  rows: number;
  matchedItems: number;
  unknownItems: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  categories: number;
  itemsWithTitle: number;
}

const expected = fixtureJson<Record<string, Expected>>('expected.json');
const expectedItems = fixtureJson<Record<string, ExpectedItems>>('expected-items.json');

describe('fixtures match expected.json', () => {
  for (const [name, want] of Object.entries(expected)) {
    it(name, async () => {
      if ('error' in want) {
        const failure = await ingestInteractions(fixtureSource(name), null).catch((e) => e);
        expect(failure).toBeInstanceOf(IngestError);
        expect(failure.message).toContain(want.error);
        // One sentence: a single full stop, at the end.
        expect(failure.message.trim().match(/\.(\s|$)/g)).toHaveLength(1);
        return;
      }
      const { dataset, report } = await ingestInteractions(fixtureSource(name), null);
      const byReason = Object.fromEntries(
        Object.entries(report.rejectedByReason).map(([reason, c]) => [reason, c?.count]),
      );
      expect({
        users: dataset.userIds.length,
        items: dataset.itemIds.length,
        interactions: dataset.user.length,
        rejected: report.rejected,
        rejectedByReason: byReason,
      }).toEqual(want);
      expect(report.dataRows).toBe(report.accepted + report.rejected);
      expect(report.accepted).toBe(dataset.user.length);
    });
  }
});

describe('item fixtures match expected-items.json', () => {
  for (const [name, want] of Object.entries(expectedItems)) {
    it(name, async () => {
      const base = await ingestInteractions(fixtureSource(want.interactionsFile), null);
      const joined = await ingestItemMetadata(fixtureSource(name), null, base.dataset);
      const { summary } = joined;
      const summaryAfter = summarizeDataset(
        joined.dataset,
        base.report,
        base.detection,
        'x',
        summary,
      );
      expect({
        interactionsFile: want.interactionsFile,
        rows: summary.rows,
        matchedItems: summary.matchedItems,
        unknownItems: summary.unknownItems,
        rejected: summary.rejected,
        rejectedByReason: Object.fromEntries(
          Object.entries(summary.rejectedByReason).map(([reason, c]) => [reason, c?.count]),
        ),
        categories: summary.categories,
        itemsWithTitle: summaryAfter.itemsWithTitle,
      }).toEqual(want);
      expect(summary.rows).toBe(summary.accepted + summary.rejected);
    });
  }
});

describe('slice size does not change the result', () => {
  const loadable = Object.entries(expected)
    .filter(([, want]) => !('error' in want))
    .map(([name]) => name);
  for (const name of loadable) {
    it(name, async () => {
      const whole = await ingestInteractions(fixtureSource(name), null);
      for (const sliceBytes of [1, 2, 3, 5, 17]) {
        const sliced = await ingestInteractions(fixtureSource(name), null, { sliceBytes });
        expect(plainDataset(sliced.dataset)).toEqual(plainDataset(whole.dataset));
        expect(sliced.report).toEqual(whole.report);
        expect(sliced.rejectedRows).toEqual(whole.rejectedRows);
      }
    });
  }
});
