/**
 * A file-backed {@link ByteSource} for Node (CLI, benchmarks). Kept out of `index.ts` so the
 * browser bundle never imports `node:fs`.
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteSource } from './types';

/**
 * Opens a file lazily: each read opens, reads and closes, so no handle outlives a load even
 * when the caller abandons it half way.
 */
export async function fileSource(path: string, name: string = basename(path)): Promise<ByteSource> {
  const info = await stat(path);
  return {
    name,
    size: info.size,
    async read(start: number, end: number): Promise<Uint8Array> {
      const length = Math.max(0, Math.min(end, info.size) - start);
      const buffer = new Uint8Array(length);
      const handle = await open(path, 'r');
      try {
        let filled = 0;
        while (filled < length) {
          const { bytesRead } = await handle.read(buffer, filled, length - filled, start + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return filled === length ? buffer : buffer.subarray(0, filled);
      } finally {
        await handle.close();
      }
    },
  };
}
