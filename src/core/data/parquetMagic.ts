/**
 * Telling a Parquet file from text by its content, not its name: Parquet files start (and,
 * when whole, end) with the four bytes `PAR1`.
 */
import type { ByteSource } from './types';

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

function startsWithMagic(bytes: Uint8Array): boolean {
  return MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Whether `source` is a Parquet file (whole or cut short). It must start with `PAR1`; a text
 * file could too (a first column named PAR1), so it must also end with `PAR1` or hold binary
 * bytes right after the magic, as a Parquet page header does.
 */
export async function isParquet(source: ByteSource): Promise<boolean> {
  if (source.size < 4) return false;
  const head = await source.read(0, Math.min(source.size, 64));
  if (!startsWithMagic(head)) return false;
  if (source.size >= 8) {
    const tail = await source.read(source.size - 4, source.size);
    if (startsWithMagic(tail)) return true;
  }
  for (let i = 4; i < head.length; i++) {
    const b = head[i];
    if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) return true;
  }
  return head.length === 4; // nothing but the magic: a Parquet file cut right after it
}
