import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect';
import { optionsFromDetection } from './detectedOptions';
import { ingestInteractions } from './ingest';
import { MAX_INGEST_BYTES } from './ingestLimits';
import { fixtureSource, plainCsvOptions, plainDataset, textSource } from './testSupport';
import { IngestError, type IngestProgress } from './types';

describe('order and CSR offsets', () => {
  it('sorts by user, then time, then file line (ties keep file order)', async () => {
    const { dataset } = await ingestInteractions(fixtureSource('tab-headerless.tsv'), null);
    const u1 = dataset.userIds.indexOf('1');
    const from = dataset.userOffsets[u1];
    const to = dataset.userOffsets[u1 + 1];
    const items = [...dataset.item.subarray(from, to)].map((i) => dataset.itemIds[i]);
    // line 4 (874965700) first, then lines 1 and 2 share 874965758 and keep file order.
    expect(items).toEqual(['4', '3', '1']);
    expect([...dataset.line.subarray(from, to)]).toEqual([4, 1, 2]);
  });

  it('builds offsets that cover every interaction exactly once, per user', async () => {
    const { dataset } = await ingestInteractions(fixtureSource('tab-headerless.tsv'), null);
    const { userOffsets, user, timestamp, line } = dataset;
    expect(userOffsets.length).toBe(dataset.userIds.length + 1);
    expect(userOffsets[0]).toBe(0);
    expect(userOffsets[dataset.userIds.length]).toBe(user.length);
    for (let u = 0; u < dataset.userIds.length; u++) {
      for (let k = userOffsets[u]; k < userOffsets[u + 1]; k++) {
        expect(user[k]).toBe(u);
        if (k > userOffsets[u]) {
          const ordered =
            timestamp[k - 1] < timestamp[k] ||
            (timestamp[k - 1] === timestamp[k] && line[k - 1] < line[k]);
          expect(ordered).toBe(true);
        }
      }
    }
  });

  it('re-indexes ids in first-seen order as a bijection', async () => {
    const { dataset } = await ingestInteractions(fixtureSource('tab-headerless.tsv'), null);
    expect(dataset.userIds).toEqual(['1', '2', '3', '4']);
    expect(dataset.itemIds).toEqual(['3', '1', '2', '4', '5', '6']);
    expect(new Set(dataset.itemIds).size).toBe(dataset.itemIds.length);
  });

  it('keeps file order per user when there is no timestamp', async () => {
    const { dataset } = await ingestInteractions(
      textSource('user,item\nb,x\na,y\nb,z\nb,w\n'),
      null,
    );
    expect(dataset.hasTimestamps).toBe(false);
    expect([...dataset.item].map((i) => dataset.itemIds[i])).toEqual(['x', 'z', 'w', 'y']);
    expect([...dataset.timestamp].every(Number.isNaN)).toBe(true);
  });
});

describe('rows', () => {
  it('numbers physical lines across quoted line breaks and keeps titles intact', async () => {
    const { dataset } = await ingestInteractions(fixtureSource('quoted-newlines.csv'), null);
    expect([...dataset.line]).toEqual([2, 3, 4, 6, 7, 10]);
    const title = (id: string) => dataset.itemTitle[dataset.itemIds.indexOf(id)];
    expect(title('i1')).toBe('Hello, World');
    expect(title('i2')).toBe('He said "hi"');
    expect(title('i3')).toBe('Line one\nLine two');
    expect(title('i4')).toBe('Multi\nline,\nwith commas');
  });

  it('keeps markup in titles as plain text', async () => {
    const { dataset } = await ingestInteractions(fixtureSource('xss-title.csv'), null);
    expect(dataset.itemTitle).toEqual([
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
    ]);
  });

  it('reports every rejection with its line, reason and fields', async () => {
    const result = await ingestInteractions(fixtureSource('malformed.csv'), null);
    expect(result.rejectedRows.map((r) => [r.line, r.reason])).toEqual([
      [4, 'missing_user'],
      [5, 'missing_item'],
      [6, 'bad_timestamp'],
      [7, 'wrong_field_count'],
      [8, 'wrong_field_count'],
      [10, 'bad_value'],
      [11, 'duplicate'],
      [13, 'duplicate'],
      [14, 'unterminated_quote'],
    ]);
    const byLine = new Map(result.rejectedRows.map((r) => [r.line, r]));
    expect(byLine.get(7)?.detail).toBe('expected 5 fields, found 4');
    expect(byLine.get(6)?.detail).toBe('"yesterday" is not a timestamp in epoch seconds');
    expect(byLine.get(11)?.detail).toBe('duplicate of line 2');
    expect(byLine.get(13)?.detail).toBe('duplicate of line 12');
    // A duplicate's fields are rebuilt from its parsed values.
    expect(byLine.get(11)?.fields).toEqual(['u1', 'i1', '1700000000', 'view', '5']);
    expect(result.report.blankLines).toBe(1);
    expect(result.report.notices.map((n) => n.code)).toContain('blank-lines');
    expect(result.report.rejectedByReason.wrong_field_count).toEqual({
      count: 2,
      firstLines: [7, 8],
    });
    // the row after the unclosed quote is still read
    expect(result.dataset.line).toContain(15);
  });

  it('calls a short final record without a line ending truncated', async () => {
    const result = await ingestInteractions(fixtureSource('truncated.csv'), null);
    expect(result.rejectedRows).toEqual([
      {
        line: 7,
        reason: 'truncated_last_line',
        detail: 'the file ends mid-row: expected 4 fields, found 3',
        fields: ['u3', 'i3', '4'],
      },
    ]);
  });

  it('accepts a complete final record without a line ending', async () => {
    const { report } = await ingestInteractions(textSource('user,item\na,x\nb,y'), null);
    expect(report).toMatchObject({ dataRows: 2, accepted: 2, rejected: 0, blankLines: 0 });
  });

  it('trims ids and nothing else', async () => {
    const { dataset } = await ingestInteractions(
      textSource('user,item,action\n  a ,\tx ,view \n'),
      plainCsvOptions({ timestamp: null, action: 2 }),
    );
    expect(dataset.userIds).toEqual(['a']);
    expect(dataset.itemIds).toEqual(['x']);
  });

  it('attaches multi-valued categories to items as a union', async () => {
    const text = 'user,item,genres\na,x,Comedy|Drama\nb,x,Drama;Horror\nb,y,\n';
    const { dataset } = await ingestInteractions(textSource(text), null);
    expect(dataset.categoryNames).toEqual(['Comedy', 'Drama', 'Horror']);
    expect(dataset.itemCategories).toEqual([[0, 1, 2], []]);
  });
});

describe('options, progress and cancel', () => {
  it('follows edited options and reports them', async () => {
    const detection = await detectFormat(fixtureSource('malformed.csv'));
    const options = optionsFromDetection(detection);
    options.mapping.value = null; // "five" is no longer a value
    const { report } = await ingestInteractions(fixtureSource('malformed.csv'), options);
    expect(report.rejectedByReason.bad_value).toBeUndefined();
    expect(report.options).toEqual(options);
    expect(report.dataRows).toBe(report.accepted + report.rejected);
  });

  it('refuses options that do not fit the file', async () => {
    const source = fixtureSource('ms-epoch.csv');
    const sameColumn = await ingestInteractions(source, plainCsvOptions({ item: 0 })).catch(
      (e) => e,
    );
    expect(sameColumn).toBeInstanceOf(IngestError);
    expect(sameColumn.code).toBe('no-user-item');
    const outside = await ingestInteractions(source, plainCsvOptions({ timestamp: 7 })).catch(
      (e) => e,
    );
    expect(outside.message).toBe(
      'The timestamp column is set to column 8, but the file has 3 columns with this delimiter.',
    );
  });

  it('reports progress through reading, indexing and summarising', async () => {
    const seen: IngestProgress[] = [];
    await ingestInteractions(fixtureSource('tab-headerless.tsv'), null, {
      sliceBytes: 64,
      onProgress: (p) => seen.push(p),
    });
    const phases = seen.map((p) => p.phase);
    expect(phases.filter((p) => p === 'reading').length).toBeGreaterThan(2);
    expect(phases.slice(-2)).toEqual(['indexing', 'summarising']);
    const reads = seen.filter((p) => p.phase === 'reading').map((p) => p.bytesRead);
    expect(reads).toEqual([...reads].sort((a, b) => a - b));
    expect(seen.at(-1)).toMatchObject({ bytesRead: 192, totalBytes: 192, rows: 12 });
  });

  it('rejects with "cancelled" when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await ingestInteractions(fixtureSource('tab-headerless.tsv'), null, {
      signal: controller.signal,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect(error.code).toBe('cancelled');
    expect(error.message).toBe('Loading was cancelled.');
  });

  it('stops within one slice when cancelled mid-load', async () => {
    const controller = new AbortController();
    let slices = 0;
    const error = await ingestInteractions(fixtureSource('tab-headerless.tsv'), null, {
      signal: controller.signal,
      sliceBytes: 16,
      onProgress: (p) => {
        if (p.phase !== 'reading') return;
        slices++;
        if (slices === 2) controller.abort();
      },
    }).catch((e) => e);
    expect(error.code).toBe('cancelled');
    expect(slices).toBe(2);
  });

  it('gives the same dataset on every run', async () => {
    const a = await ingestInteractions(fixtureSource('malformed.csv'), null);
    const b = await ingestInteractions(fixtureSource('malformed.csv'), null);
    expect(plainDataset(a.dataset)).toEqual(plainDataset(b.dataset));
  });
});

describe('files without data', () => {
  it('says so when there is a header and nothing below it', async () => {
    const error = await ingestInteractions(textSource('user_id,item_id,timestamp\n\n'), null).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(IngestError);
    expect(error.code).toBe('empty');
    expect(error.message).toContain('no data rows');
  });

  it('keeps a file where every row is rejected, with the reasons', async () => {
    const { report, dataset } = await ingestInteractions(
      textSource('user_id,item_id\n,x\ny,\n'),
      null,
    );
    expect(dataset.user.length).toBe(0);
    expect(report).toMatchObject({ dataRows: 2, accepted: 0, rejected: 2 });
  });
});

describe('files too large for a browser tab', () => {
  it('refuses a file above the limit up front, reading only its first bytes, and says where to go', async () => {
    const reads: [number, number][] = [];
    const huge = {
      name: 'huge.csv',
      size: MAX_INGEST_BYTES + 1,
      read: async (start: number, end: number) => {
        reads.push([start, end]);
        return new TextEncoder().encode('user,item\n');
      },
    };
    const error = await ingestInteractions(huge, null).catch((e) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(
      /1\.00 GiB.*at most 89%.*--sample-users 0\.89.*Scale beyond one browser/,
    );
    // Only the magic bytes that tell Parquet from text are read.
    expect(reads).toEqual([[0, 64]]);
  });

  it('honours a caller-set limit (the CLI or a test can choose another)', async () => {
    const source = textSource('user_id,item_id\nu,i\n');
    const error = await ingestInteractions(source, null, { maxBytes: 4 }).catch((e) => e);
    expect(error.code).toBe('too-large');
    const ok = await ingestInteractions(source, null, { maxBytes: source.size });
    expect(ok.report.accepted).toBe(1);
  });
});

describe('values', () => {
  it('reads a decimal comma when the comma is not the delimiter', async () => {
    const { dataset, report } = await ingestInteractions(
      textSource('user;item;rating\na;x;4,5\nb;y;1.5\nc;z;1,2,3\n'),
      null,
    );
    expect([...dataset.value]).toEqual([4.5, 1.5]);
    expect(report.rejectedByReason.bad_value?.firstLines).toEqual([4]);
  });
});
