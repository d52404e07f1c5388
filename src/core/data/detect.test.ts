import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect';
import { fixtureSource, textSource } from './testSupport';
import { type ColumnMapping, IngestError } from './types';

const mapping = (m: Partial<ColumnMapping>): ColumnMapping => ({
  user: null,
  item: null,
  timestamp: null,
  action: null,
  value: null,
  category: null,
  title: null,
  ...m,
});

describe('detectFormat on the fixtures', () => {
  const cases: [string, Record<string, unknown>][] = [
    [
      'tab-headerless.tsv',
      {
        delimiter: '\t',
        hasHeader: false,
        encoding: 'utf-8',
        timestampFormat: 'epoch-s',
        mapping: mapping({ user: 0, item: 1, value: 2, timestamp: 3 }),
      },
    ],
    [
      'ml1m-style.dat',
      {
        delimiter: '::',
        hasHeader: false,
        timestampFormat: 'epoch-s',
        mapping: mapping({ user: 0, item: 1, value: 2, timestamp: 3 }),
      },
    ],
    [
      'iso-times.csv',
      {
        delimiter: ',',
        hasHeader: true,
        timestampFormat: 'iso-8601',
        mapping: mapping({ user: 0, item: 1, timestamp: 2, action: 3 }),
      },
    ],
    [
      'ms-epoch.csv',
      {
        delimiter: ',',
        hasHeader: true,
        timestampFormat: 'epoch-ms',
        mapping: mapping({ user: 0, item: 1, timestamp: 2 }),
      },
    ],
    [
      'quoted-newlines.csv',
      {
        hasHeader: true,
        timestampFormat: 'epoch-s',
        mapping: mapping({ user: 0, item: 1, timestamp: 2, title: 3 }),
      },
    ],
    [
      'malformed.csv',
      {
        hasHeader: true,
        timestampFormat: 'epoch-s',
        mapping: mapping({ user: 0, item: 1, timestamp: 2, action: 3, value: 4 }),
      },
    ],
    [
      'no-timestamp.csv',
      {
        hasHeader: true,
        timestampFormat: 'none',
        mapping: mapping({ user: 0, item: 1, value: 2 }),
      },
    ],
    [
      'bom.csv',
      {
        bom: true,
        encoding: 'utf-8',
        hasHeader: true,
        timestampFormat: 'epoch-s',
        mapping: mapping({ user: 0, item: 1, value: 2, timestamp: 3 }),
      },
    ],
  ];
  for (const [name, want] of cases) {
    it(name, async () => {
      expect(await detectFormat(fixtureSource(name))).toMatchObject(want);
    });
  }

  it('names columns from the header (BOM removed) and keeps samples', async () => {
    const d = await detectFormat(fixtureSource('bom.csv'));
    expect(d.columns.map((c) => c.name)).toEqual(['userId', 'movieId', 'rating', 'timestamp']);
    expect(d.columns[0].samples).toEqual(['1', '1', '2', '2']);
    expect(d.notices.map((n) => n.code)).toContain('bom');
  });

  it('names headerless columns "column N" and says they were guessed', async () => {
    const d = await detectFormat(fixtureSource('tab-headerless.tsv'));
    expect(d.columns.map((c) => c.name)).toEqual(['column 1', 'column 2', 'column 3', 'column 4']);
    expect(d.notices.map((n) => n.code)).toContain('headerless');
  });

  it('falls back to Windows-1252 for Latin-1 bytes and says where', async () => {
    const d = await detectFormat(fixtureSource('latin1-items.psv'));
    expect(d.encoding).toBe('windows-1252');
    expect(d.delimiter).toBe('|');
    const notice = d.notices.find((n) => n.code === 'encoding-fallback');
    expect(notice?.level).toBe('warning');
    expect(notice?.message).toContain('line 3');
  });

  it('says when there is no timestamp column', async () => {
    const d = await detectFormat(fixtureSource('no-timestamp.csv'));
    expect(d.notices).toContainEqual({
      level: 'info',
      code: 'no-timestamp',
      message: "No timestamp column: file order defines each user's sequence.",
    });
  });

  it('rejects files that are not behaviour tables with one clear sentence', async () => {
    const cases: [string, IngestError['code'], string][] = [
      ['not-a-table.bin', 'binary', 'found binary data'],
      ['one-column.txt', 'not-a-table', 'found only one column'],
      ['empty.csv', 'empty', 'empty'],
    ];
    for (const [name, code, text] of cases) {
      const error = await detectFormat(fixtureSource(name)).catch((e) => e);
      expect(error).toBeInstanceOf(IngestError);
      expect(error.code).toBe(code);
      expect(error.message).toContain(text);
    }
  });
});

describe('detectFormat on edge cases', () => {
  it('prefers :: when every line has it, even with commas in values', async () => {
    const d = await detectFormat(textSource('1::10::5::978300760\n2::11, the::3::978300761\n'));
    expect(d.delimiter).toBe('::');
  });

  it('picks the delimiter that splits most consistently', async () => {
    const text = 'user;item;title\nu1;i1;Hello, World\nu2;i2;Plain\nu3;i3;A, B, C\n';
    const d = await detectFormat(textSource(text));
    expect(d.delimiter).toBe(';');
    expect(d.mapping).toMatchObject({ user: 0, item: 1, title: 2 });
  });

  it('matches synonyms case-, space- and underscore-insensitively', async () => {
    const text =
      'Visitor ID,Product_ID,Event Type,Created At,Qty,Genres,Product Name\nv1,p1,view,2024-01-02 10:00:00,1,A|B,Thing one\n';
    const d = await detectFormat(textSource(text));
    expect(d.mapping).toEqual({
      user: 0,
      item: 1,
      action: 2,
      timestamp: 3,
      value: 4,
      category: 5,
      title: 6,
    });
    expect(d.timestampFormat).toBe('ymd-datetime');
    expect(d.notices.map((n) => n.code)).toContain('utc-assumed');
  });

  it('finds a header by a non-numeric cell above numbers, without synonyms', async () => {
    const d = await detectFormat(textSource('a,b,c\n1,2,3\n4,5,6\n7,8,9\n'));
    expect(d.hasHeader).toBe(true);
  });

  it('infers headerless roles by content: ISO times, action words, ratings', async () => {
    const rows = [
      'u1,i9,2024-01-02T10:00:00Z,view,4',
      'u2,i8,2024-01-02T11:00:00Z,click,5',
      'u1,i7,2024-01-03T10:00:00Z,buy,3',
      'u3,i9,2024-01-04T10:00:00Z,view,4',
    ];
    const d = await detectFormat(textSource(`${rows.join('\n')}\n`));
    expect(d.hasHeader).toBe(false);
    expect(d.mapping).toMatchObject({ user: 0, item: 1, timestamp: 2, action: 3, value: 4 });
    expect(d.timestampFormat).toBe('iso-8601');
  });

  it('warns when day/month order is ambiguous', async () => {
    const d = await detectFormat(
      textSource('user,item,date\nu1,i1,03/04/2024\nu2,i2,05/06/2024\n'),
    );
    expect(d.timestampFormat).toBe('mdy-datetime');
    expect(d.notices.map((n) => n.code)).toContain('ambiguous-date');
  });

  it('detects CRLF files without leaving \\r in the last column', async () => {
    const d = await detectFormat(fixtureSource('iso-times.csv'));
    expect(d.columns[3].samples[0]).toBe('view');
  });

  it('explains a table without id columns', async () => {
    const error = await detectFormat(
      textSource('date,price\n2024-01-01,3.5\n2024-01-02,4.25\n'),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect(error.code).toBe('no-user-item');
    expect(error.message).toMatch(/^This file does not look like a table of user behaviour/);
  });
});
