import { describe, expect, it } from 'vitest';
import { ingestInteractions } from './ingest';
import { bytesSource } from './sources';
import { fixtureSource } from './testSupport';

describe('encoding', () => {
  it('restarts as Windows-1252 when invalid UTF-8 appears after the detection sample', async () => {
    const head = 'user,item,timestamp\n';
    const row = 'u1,i1,1700000000\n';
    const rows = Math.ceil((1.2 * (1 << 20)) / row.length);
    const ascii = new TextEncoder().encode(head + row.repeat(rows));
    const tail = Uint8Array.from([
      ...new TextEncoder().encode('u2,Caf'),
      0xe9,
      ...new TextEncoder().encode(',1700000001\n'),
    ]);
    const bytes = new Uint8Array(ascii.length + tail.length);
    bytes.set(ascii);
    bytes.set(tail, ascii.length);
    const result = await ingestInteractions(bytesSource(bytes, 'late.csv'), null);
    expect(result.report.options.encoding).toBe('windows-1252');
    expect(result.dataset.itemIds).toContain('Café');
    const notice = result.report.notices.find((n) => n.code === 'encoding-fallback');
    expect(notice?.message).toContain(`offset ${ascii.length + 6}`);
    expect(notice?.message).toContain(`line ${rows + 2}`);
    expect(result.report.dataRows).toBe(rows + 1);
  });

  it('strips a UTF-8 BOM and says so', async () => {
    const result = await ingestInteractions(fixtureSource('bom.csv'), null);
    expect(result.detection.columns[0].name).toBe('userId');
    expect(result.report.notices.map((n) => n.code)).toContain('bom');
  });
});

describe('encoding notices', () => {
  it('reports a fallback decided by detection in the ingest report', async () => {
    const text = Uint8Array.from([...new TextEncoder().encode('user,item\nu1,Caf'), 0xe9, 0x0a]);
    const result = await ingestInteractions(bytesSource(text, 'latin.csv'), null);
    expect(result.dataset.itemIds).toEqual(['Café']);
    const notice = result.report.notices.find((n) => n.code === 'encoding-fallback');
    expect(notice?.message).toContain('offset 16, line 2');
  });
});
