import { describe, expect, it } from 'vitest';
import { ingestInteractions } from './ingest';
import { ingestItemMetadata } from './itemMetadata';
import { detectItemMetadata } from './itemMetadataDetect';
import { fixtureSource, plainDataset, textSource } from './testSupport';
import { IngestError } from './types';

const titleOf = (d: { itemIds: string[]; itemTitle: (string | null)[] }, id: string) =>
  d.itemTitle[d.itemIds.indexOf(id)];
const categoriesOf = (
  d: { itemIds: string[]; itemCategories: number[][]; categoryNames: string[] },
  id: string,
) => d.itemCategories[d.itemIds.indexOf(id)].map((c) => d.categoryNames[c]);

describe('item metadata detection', () => {
  it('reads ml-100k u.item style: pipes, Latin-1, headerless, 19 one-hot genres', async () => {
    const d = await detectItemMetadata(fixtureSource('latin1-items.psv'));
    expect(d).toMatchObject({
      delimiter: '|',
      hasHeader: false,
      encoding: 'windows-1252',
      item: 0,
      title: 1,
      category: null,
    });
    expect(d.oneHot).toEqual(Array.from({ length: 19 }, (_, k) => 5 + k));
  });

  it('reads ml-1m movies style: ::, title with commas, | genres', async () => {
    const d = await detectItemMetadata(fixtureSource('movies-ml1m.dat'));
    expect(d).toMatchObject({
      delimiter: '::',
      hasHeader: false,
      item: 0,
      title: 1,
      category: 2,
      oneHot: [],
    });
  });

  it('uses header names for roles and for one-hot categories', async () => {
    const text = 'movieId,title,Action,Comedy,Drama\n1,Alpha Movie,1,0,1\n2,Beta Movie,0,1,0\n';
    const d = await detectItemMetadata(textSource(text));
    expect(d).toMatchObject({ hasHeader: true, item: 0, title: 1, oneHot: [2, 3, 4] });
  });

  it('says so when a file has no item id column', async () => {
    const error = await detectItemMetadata(textSource('just one column\nvalue\n')).catch((e) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect(error.message).toContain('item metadata');
  });
});

describe('joining item metadata', () => {
  it('joins Latin-1 titles and one-hot genres by item id, first row wins', async () => {
    const base = await ingestInteractions(fixtureSource('tab-headerless.tsv'), null);
    const before = plainDataset(base.dataset);
    const { dataset, summary, rejectedRows } = await ingestItemMetadata(
      fixtureSource('latin1-items.psv'),
      null,
      base.dataset,
    );
    expect(titleOf(dataset, '3')).toBe('Café Society (1995)');
    expect(titleOf(dataset, '6')).toBe('Crème de la crème (1999)');
    expect(categoriesOf(dataset, '1')).toEqual(['genre 4', 'genre 5', 'genre 6']);
    expect(summary).toMatchObject({
      rows: 9,
      accepted: 7,
      rejected: 2,
      matchedItems: 6,
      unknownItems: 1,
    });
    expect(rejectedRows.map((r) => [r.line, r.reason, r.detail])).toEqual([
      [8, 'duplicate', 'duplicate of line 3'],
      [9, 'missing_item', 'item id is empty'],
    ]);
    expect(summary.notices.map((n) => n.code)).toEqual(
      expect.arrayContaining(['encoding-fallback', 'unknown-items']),
    );
    // The input dataset is untouched; the interactions are shared, not copied.
    expect(plainDataset(base.dataset)).toEqual(before);
    expect(dataset.user).toBe(base.dataset.user);
  });

  it('joins ml-1m movies with | genres and counts unknown items', async () => {
    const base = await ingestInteractions(fixtureSource('ml1m-style.dat'), null);
    const { dataset, summary } = await ingestItemMetadata(
      fixtureSource('movies-ml1m.dat'),
      null,
      base.dataset,
    );
    expect(titleOf(dataset, '2355')).toBe("Bug's Life, A (1998)");
    expect(categoriesOf(dataset, '661')).toEqual(['Animation', "Children's", 'Musical']);
    expect(dataset.itemIds).not.toContain('9999');
    expect(summary).toMatchObject({ matchedItems: 5, unknownItems: 1, categories: 6, rejected: 0 });
  });

  it('is unaffected by slice size', async () => {
    const base = await ingestInteractions(fixtureSource('tab-headerless.tsv'), null);
    const whole = await ingestItemMetadata(fixtureSource('latin1-items.psv'), null, base.dataset);
    const sliced = await ingestItemMetadata(fixtureSource('latin1-items.psv'), null, base.dataset, {
      sliceBytes: 3,
    });
    expect(plainDataset(sliced.dataset)).toEqual(plainDataset(whole.dataset));
    expect(sliced.summary).toEqual(whole.summary);
  });

  it('adds to categories from the interaction file rather than replacing them', async () => {
    const base = await ingestInteractions(textSource('user,item,genre\na,x,Drama\n'), null);
    const { dataset } = await ingestItemMetadata(
      textSource('item_id,tags\nx,Drama;Noir\n'),
      null,
      base.dataset,
    );
    expect(categoriesOf(dataset, 'x')).toEqual(['Drama', 'Noir']);
  });
});
