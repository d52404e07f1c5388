/**
 * Writes large, deterministic interaction CSVs at test/benchmark time (too big to commit).
 * Every row is valid and unique (timestamps strictly increase), so the expected counts are
 * known exactly: every row accepted, none rejected.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { SeededRandom } from '../../src/core/random';

export interface SyntheticCsvOptions {
  rows: number;
  users?: number;
  items?: number;
  seed?: number;
}

export interface SyntheticCsvStats {
  path: string;
  rows: number;
  bytes: number;
  distinctUsers: number;
  distinctItems: number;
}

const ACTIONS = ['view', 'click', 'cart', 'buy'] as const;
/** 2020-09-13: an epoch-seconds start far from any boundary. */
const START_EPOCH_S = 1_600_000_000;

/**
 * Writes `user,item,timestamp,action` rows (header included) with skewed user activity and
 * item popularity, like real behaviour logs. Returns the file's exact size and distinct counts.
 */
export async function writeSyntheticCsv(
  path: string,
  { rows, users = 60_000, items = 25_000, seed = 42 }: SyntheticCsvOptions,
): Promise<SyntheticCsvStats> {
  // The project's seeded generator from the raw seed, so the same seed gives byte-identical files.
  const rng = SeededRandom.fromState(seed);
  const random = () => rng.next();
  const seenUsers = new Uint8Array(users);
  const seenItems = new Uint8Array(items);
  const out = createWriteStream(path);
  let bytes = 0;
  let chunk = 'user,item,timestamp,action\n';
  for (let i = 0; i < rows; i++) {
    // Squaring a uniform draw skews towards low ids: a few heavy users and popular items.
    const u = Math.floor(random() ** 2 * users);
    const it = Math.floor(random() ** 3 * items);
    seenUsers[u] = 1;
    seenItems[it] = 1;
    const ts = START_EPOCH_S + i * 7 + Math.floor(random() * 7);
    const action = ACTIONS[Math.floor(random() ** 2 * ACTIONS.length)];
    chunk += `u${u},i${it},${ts},${action}\n`;
    if (chunk.length > 1 << 20) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  bytes += Buffer.byteLength(chunk);
  out.end(chunk);
  await once(out, 'finish');
  return {
    path,
    rows,
    bytes,
    distinctUsers: seenUsers.reduce((n, seen) => n + seen, 0),
    distinctItems: seenItems.reduce((n, seen) => n + seen, 0),
  };
}
