import { parquetMetadata } from 'hyparquet';
import { ByteWriter } from 'hyparquet-writer';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';
import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect';
import { ingestInteractions } from './ingest';
import { behaviourTable, failure, recordingSource } from './parquetTestSupport';
import { bytesSource } from './sources';

/** Exactly one sentence: one full stop, at the end, and no line break. */
function expectOneSentence(message: string): void {
  expect(message).toMatch(/^[A-Z][^\n]*\.$/);
  expect(message.replace(/\d\.\d|e\.g\.|\.\.\./g, '').match(/\.(\s|$)/g)).toHaveLength(1);
}

describe('a corrupt or truncated Parquet file gets one clear sentence', () => {
  const { parquet } = behaviourTable(100);

  it('says a file cut short is a truncated Parquet file', async () => {
    for (const keep of [4, 9, 100, Math.floor(parquet.length / 2), parquet.length - 1]) {
      const cut = bytesSource(parquet.slice(0, keep), 'cut.parquet');
      for (const run of [() => ingestInteractions(cut, null), () => detectFormat(cut)]) {
        const error = await failure(run());
        expect(error.message, `kept ${keep} bytes`).toMatch(
          /^This file is a Parquet file, but it is corrupt or truncated: /,
        );
        expectOneSentence(error.message);
      }
    }
  });

  it("says so when the footer or a page is garbage, without hyparquet's own errors leaking", async () => {
    const meta = parquetMetadata(parquet);
    const footerStart = parquet.length - 8 - meta.metadata_length;
    const badFooter = parquet.slice();
    for (let i = footerStart; i < footerStart + 40; i++) badFooter[i] = 0xff;
    const dataStart = Number(meta.row_groups[0].columns[0].meta_data?.data_page_offset);
    const badPage = parquet.slice();
    for (let i = dataStart; i < dataStart + 24; i++) badPage[i] = 0xff;
    for (const bytes of [badFooter, badPage]) {
      const error = await failure(ingestInteractions(bytesSource(bytes, 'bad.parquet'), null));
      expect(error.message).toMatch(
        /^This file is a Parquet file, but it is corrupt or truncated: /,
      );
      expectOneSentence(error.message);
    }
  });
});

/** The file with its footer rewritten by `edit` (statistics dropped: they are not needed). */
function withFooter(bytes: Uint8Array, edit: (meta: ReturnType<typeof parquetMetadata>) => void) {
  const meta = parquetMetadata(bytes);
  for (const group of meta.row_groups) {
    for (const column of group.columns)
      if (column.meta_data) column.meta_data.statistics = undefined;
  }
  edit(meta);
  const writer = new ByteWriter();
  writeMetadata(writer, meta as never);
  writer.appendUint32(0x31524150);
  const footer = writer.getBytes();
  const body = bytes.subarray(0, bytes.length - 8 - meta.metadata_length);
  const out = new Uint8Array(body.length + footer.length);
  out.set(body);
  out.set(footer, body.length);
  return out;
}

describe('sizes a footer declares are checked before anything is allocated', () => {
  const { parquet } = behaviourTable(200);

  it('refuses a footer declaring an impossible row count, reading only the footer', async () => {
    const lying = withFooter(parquet, (meta) => {
      meta.num_rows = 2n ** 40n;
      meta.row_groups[0].num_rows = 2n ** 40n;
    });
    const { source, reads } = recordingSource(lying);
    const footerStart = lying.length - 8 - parquetMetadata(lying).metadata_length;
    const error = await failure(ingestInteractions(source, null));
    expect(error.message).toBe(
      `This file is a Parquet file, but it is corrupt or truncated: its footer declares 1,099,511,627,776 rows, impossible in a file of ${lying.length.toLocaleString('en-US')} bytes.`,
    );
    // The magic at the start, then only the footer: no column chunk was read or decoded.
    for (const [start, end] of reads)
      expect(start === 0 ? end <= 64 : start >= footerStart - 8).toBe(true);
  });

  it('refuses row counts that do not add up, and columns shorter than their row group', async () => {
    const mismatch = withFooter(parquet, (meta) => {
      meta.num_rows = 900n;
    });
    const a = await failure(ingestInteractions(bytesSource(mismatch, 'a'), null));
    expect(a.message).toMatch(/its footer declares 900 rows but its row groups hold 600\.$/);
    const longer = withFooter(parquet, (meta) => {
      meta.num_rows = 700n;
      meta.row_groups[0].num_rows = 300n;
    });
    const b = await failure(ingestInteractions(bytesSource(longer, 'b'), null));
    expect(b.message).toMatch(/column "user_id" of row group 1 holds 200 values for 300 rows\.$/);
    const outside = withFooter(parquet, (meta) => {
      const column = meta.row_groups[1].columns[1].meta_data;
      if (column) column.total_compressed_size = BigInt(parquet.length);
    });
    const c = await failure(ingestInteractions(bytesSource(outside, 'c'), null));
    expect(c.message).toMatch(/column "item_id" of row group 2 lies outside the file's data\.$/);
  });

  it('refuses more rows than a tab holds, or loads a sample that fits when asked to', async () => {
    const source = bytesSource(parquet, 'p');
    const refused = await failure(ingestInteractions(source, null, { maxRows: 100 }));
    expect(refused.message).toMatch(
      /^This file has 600 rows, above the 100 a browser tab can index: load a sample of its users instead, at most 15%/,
    );
    const sampled = await ingestInteractions(source, null, {
      maxRows: 100,
      sampleIfTooLarge: true,
    });
    expect(sampled.report.sample).toMatchObject({ fraction: 0.15, reason: 'too-large' });
    expect(sampled.report.accepted).toBeLessThanOrEqual(100);
  });
});
