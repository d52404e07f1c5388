import type { ByteSource } from './types';

/**
 * A {@link ByteSource} over a Blob or File, for the browser and the worker: each slice is read
 * on demand, so a large upload is never held in memory twice.
 */
export function blobSource(blob: Blob, name: string): ByteSource {
  return {
    name,
    size: blob.size,
    async read(start: number, end: number): Promise<Uint8Array> {
      const buffer = await blob.slice(start, end).arrayBuffer();
      return new Uint8Array(buffer);
    },
  };
}

/** A {@link ByteSource} over bytes already in memory (tests, generated data). */
export function bytesSource(bytes: Uint8Array, name: string): ByteSource {
  return {
    name,
    size: bytes.length,
    read(start: number, end: number): Promise<Uint8Array> {
      return Promise.resolve(bytes.subarray(start, Math.min(end, bytes.length)));
    },
  };
}
