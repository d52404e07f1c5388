import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IngestError } from '../../core/data/types';
import { runInspect } from './inspect';

const FIXTURES = fileURLToPath(new URL('../../../e2e/fixtures/', import.meta.url));
const expected = JSON.parse(readFileSync(`${FIXTURES}expected.json`, 'utf8')) as Record<
  string,
  Record<string, unknown>
>;

function inspect(file: string, items: string | null = null) {
  const progress: string[] = [];
  const run = runInspect(
    {
      command: 'inspect',
      interactions: `${FIXTURES}${file}`,
      items: items && `${FIXTURES}${items}`,
      json: true,
    },
    { stderr: (t) => progress.push(t) },
  );
  return { run, progress };
}

describe('runInspect on the e2e fixtures (expected.json)', () => {
  for (const [file, want] of Object.entries(expected)) {
    if ('error' in want) {
      it(`${file}: refuses with the ingest's one-sentence reason`, async () => {
        const error = await inspect(file).run.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(IngestError);
        expect((error as Error).message).toContain(want.error);
      });
      continue;
    }
    it(`${file}: counts users, items, interactions and rejects by reason`, async () => {
      const result = await inspect(file).run;
      const byReason = Object.fromEntries(
        Object.entries(result.rejectedByReason).map(([reason, c]) => [reason, c?.count]),
      );
      expect({
        users: result.users,
        items: result.items,
        interactions: result.interactions,
        rejected: result.rejected,
        rejectedByReason: byReason,
      }).toEqual(want);
    });
  }

  it('reports the detected mapping by column name, first reject lines and the time range', async () => {
    const { run, progress } = inspect('malformed.csv');
    const result = await run;
    expect(result.columns).toEqual({
      user: 'user_id',
      item: 'item_id',
      timestamp: 'timestamp',
      action: 'action',
      value: 'rating',
      category: null,
      title: null,
    });
    expect(result.rejectedByReason.missing_user).toEqual({ count: 1, firstLines: [4] });
    expect(result.rejectedByReason.duplicate).toEqual({ count: 2, firstLines: [11, 13] });
    expect(result.timeRange).toEqual({
      min: '2023-11-14T22:13:20.000Z',
      max: '2023-11-14T22:22:20.000Z',
    });
    expect(result.blankLines).toBe(1);
    expect(progress.join('')).toContain('malformed.csv: reading');
  });

  it('names headerless columns `column N` and reports a file without time as such', async () => {
    const headerless = await inspect('tab-headerless.tsv').run;
    expect(headerless.format).toMatchObject({ delimiter: '\t', hasHeader: false });
    expect(headerless.columns.user).toBe('column 1');
    const untimed = await inspect('no-timestamp.csv').run;
    expect(untimed.timeRange).toBeNull();
    expect(untimed.columns.timestamp).toBeNull();
  });

  it('joins an item file and reports its counts (expected-items.json)', async () => {
    const result = await inspect('ml1m-style.dat', 'movies-ml1m.dat').run;
    expect(result.itemMetadata).toMatchObject({
      rows: 6,
      matchedItems: 5,
      unknownItems: 1,
      rejected: 0,
      categories: 6,
      itemsWithTitle: 5,
    });
  });
});
