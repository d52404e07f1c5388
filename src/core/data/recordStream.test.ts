import { describe, expect, it } from 'vitest';
import { type RecordBatch, streamRecords } from './recordStream';
import { bytesSource } from './sources';
import type { Newline } from './text';
import type { Delimiter } from './types';

interface Collected {
  rows: string[][];
  lines: number[];
  unterminated: number[];
  endsWithoutNewline: boolean;
}

async function collect(
  bytes: Uint8Array,
  delimiter: Delimiter,
  newline: Newline,
  sliceBytes: number,
  encoding: 'utf-8' | 'windows-1252' = 'utf-8',
): Promise<Collected> {
  const out: Collected = { rows: [], lines: [], unterminated: [], endsWithoutNewline: false };
  await streamRecords(
    bytesSource(bytes, 't'),
    { delimiter, newline, encoding, bom: false, sliceBytes },
    (b: RecordBatch) => {
      b.rows.forEach((row, r) => {
        if (b.unterminated[r]) out.unterminated.push(b.lines[r]);
        out.rows.push(row);
        out.lines.push(b.lines[r]);
      });
      out.endsWithoutNewline = b.endsWithoutNewline;
    },
  );
  return out;
}

const encode = (text: string) => new TextEncoder().encode(text);

/** Every slice size from 1 byte to the whole file must give the same records. */
async function expectSliceInvariant(
  bytes: Uint8Array,
  delimiter: Delimiter,
  newline: Newline,
): Promise<Collected> {
  const whole = await collect(bytes, delimiter, newline, bytes.length + 1);
  for (let size = 1; size <= Math.min(bytes.length, 24); size++) {
    expect(await collect(bytes, delimiter, newline, size), `slice ${size}`).toEqual(whole);
  }
  return whole;
}

describe('streamRecords across slice boundaries', () => {
  it('decodes multibyte UTF-8 split across slices exactly', async () => {
    const text = 'u1,Café,日本語\nu2,😀 emoji,naïve\n';
    const result = await expectSliceInvariant(encode(text), ',', '\n');
    expect(result.rows).toEqual([
      ['u1', 'Café', '日本語'],
      ['u2', '😀 emoji', 'naïve'],
    ]);
    expect(result.lines).toEqual([1, 2]);
  });

  it('keeps quoted line breaks, delimiters and escaped quotes in one record', async () => {
    const text = 'a,"x\ny, ""q""\n\nz",b\nc,"",d\n"e""",f,g\n';
    const result = await expectSliceInvariant(encode(text), ',', '\n');
    expect(result.rows).toEqual([
      ['a', 'x\ny, "q"\n\nz', 'b'],
      ['c', '', 'd'],
      ['e"', 'f', 'g'],
    ]);
    expect(result.lines).toEqual([1, 5, 6]);
  });

  it('handles CRLF split between \\r and \\n, and a multi-character delimiter', async () => {
    const result = await expectSliceInvariant(encode('1::2::"a::b"\r\n3::4::c\r\n'), '::', '\r\n');
    expect(result.rows).toEqual([
      ['1', '2', 'a::b'],
      ['3', '4', 'c'],
    ]);
  });

  it('reads old Mac files with lone \\r line endings', async () => {
    const result = await expectSliceInvariant(encode('a,b\rc,d\r'), ',', '\r');
    expect(result.rows).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('keeps blank lines as empty records and drops only the final line ending', async () => {
    const result = await expectSliceInvariant(encode('a,b\n\n\nc,d\n'), ',', '\n');
    expect(result.rows).toEqual([['a', 'b'], [''], [''], ['c', 'd']]);
    expect(result.lines).toEqual([1, 2, 3, 4]);
  });

  it('flags a final record without a line ending', async () => {
    const result = await expectSliceInvariant(encode('a,b\nc'), ',', '\n');
    expect(result.rows).toEqual([['a', 'b'], ['c']]);
    expect(result.endsWithoutNewline).toBe(true);
  });

  it('treats a quote that never closes as one bad line and reads on', async () => {
    const result = await expectSliceInvariant(encode('a,b\nc,"d,e\nf,g\nh,i\n'), ',', '\n');
    expect(result.rows).toEqual([
      ['a', 'b'],
      ['c', 'd,e'],
      ['f', 'g'],
      ['h', 'i'],
    ]);
    expect(result.unterminated).toEqual([2]);
    expect(result.lines).toEqual([1, 2, 3, 4]);
  });

  it('follows Papa on quotes that close early (malformed but consistent)', async () => {
    const result = await expectSliceInvariant(encode('"a"b,c\nd,e\n"f" ,g\n'), ',', '\n');
    // `"a"b` is not a closing quote, so the field runs on to `"f" ,` (Papa's reading).
    expect(result.rows).toEqual([['a"b,c\nd,e\n"f', 'g']]);
  });

  it('decodes Windows-1252 bytes', async () => {
    const bytes = Uint8Array.from([0x43, 0x61, 0x66, 0xe9, 0x2c, 0x80, 0x0a]);
    const result = await collect(bytes, ',', '\n', 1, 'windows-1252');
    expect(result.rows).toEqual([['Café', '€']]);
  });
});
