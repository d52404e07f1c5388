/**
 * The user-hash sample: keep every interaction of a user iff a seeded hash of their id falls
 * under the kept fraction. Decided row by row while the file streams (no pass over users
 * first, nothing held per dropped row), so a file far larger than memory can be sampled; the
 * same file, fraction and seed always keep the same users, and a user is kept whole.
 *
 * The hash, so the sample can be reproduced elsewhere (e.g. in Python):
 *   h = 0x811C9DC5 XOR seed                       (32-bit; seed is an integer 0..2^32-1)
 *   for each byte b of the user id in UTF-8:      (the id as stored: trimmed)
 *     h = (h XOR b) * 0x01000193  mod 2^32        (FNV-1a, 32-bit)
 *   h ^= h >>> 16; h *= 0x85EBCA6B; h ^= h >>> 13; h *= 0xC2B2AE35; h ^= h >>> 16
 *                                                 (murmur3's fmix32, all mod 2^32)
 *   keep the user iff h < floor(fraction * 2^32)
 * The finaliser spreads ids that differ only in their last characters (u1, u2, ...) over the
 * whole range, which FNV-1a alone does not do for its high bits.
 */
import type { UserSample, UserSampleReport } from './types';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** A second, independent seed for counting distinct dropped users (not for choosing them). */
const COUNT_SEED_MIX = 0x9e3779b9;

/** The method as the report states it (one sentence, for people and for the JSON output). */
export const USER_SAMPLE_METHOD =
  'FNV-1a (32-bit) of the user id in UTF-8, starting from 0x811C9DC5 XOR seed, then murmur3 fmix32; a user is kept iff the hash is below fraction × 2^32';

/** The smallest fraction accepted: below it a sample of any real log is empty. */
export const MIN_SAMPLE_FRACTION = 1e-6;

/** The seeded 32-bit hash of an id's UTF-8 bytes described in the module comment. */
export function userHash(id: string, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  const n = id.length;
  for (let i = 0; i < n; i++) {
    let c = id.charCodeAt(i);
    if (c < 0x80) {
      h = Math.imul(h ^ c, FNV_PRIME);
      continue;
    }
    if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const low = id.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        i++;
        const cp = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        h = Math.imul(h ^ (0xf0 | (cp >> 18)), FNV_PRIME);
        h = Math.imul(h ^ (0x80 | ((cp >> 12) & 0x3f)), FNV_PRIME);
        h = Math.imul(h ^ (0x80 | ((cp >> 6) & 0x3f)), FNV_PRIME);
        h = Math.imul(h ^ (0x80 | (cp & 0x3f)), FNV_PRIME);
        continue;
      }
    }
    // A lone surrogate is written as U+FFFD, as TextEncoder does.
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    h = Math.imul(h ^ (0xe0 | (c >> 12)), FNV_PRIME);
    h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), FNV_PRIME);
    h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Why a fraction or seed cannot be used, in one sentence; null when it can. */
export function userSampleProblem(sample: UserSample): string | null {
  const { fraction, seed } = sample;
  if (!(typeof fraction === 'number' && fraction >= MIN_SAMPLE_FRACTION && fraction <= 1)) {
    return `The share of users to keep must be a number from ${MIN_SAMPLE_FRACTION} to 1 (1 keeps everyone); got ${String(fraction)}.`;
  }
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
    return `The sample seed must be an integer from 0 to 4294967295; got ${String(seed)}.`;
  }
  return null;
}

/**
 * A fraction that fits `limit` when `total` is what the whole file would take (bytes or
 * rows): 90 % of the ratio, for users heavier than average, rounded down to two significant
 * digits so it reads well (0.28, 0.012).
 */
export function fittingFraction(total: number, limit: number): number {
  const raw = (0.9 * limit) / total;
  if (raw >= 1) return 1;
  const scale = 10 ** (1 - Math.floor(Math.log10(raw)));
  return Math.max(MIN_SAMPLE_FRACTION, Math.floor(raw * scale) / scale);
}

/** "28%", "1.2%", "0.05%": a fraction as the page and the notices write it. */
export function formatShare(fraction: number): string {
  const pct = fraction * 100;
  const digits = pct >= 10 ? 0 : pct >= 1 ? 1 : pct >= 0.1 ? 2 : 4;
  return `${Number(pct.toFixed(digits))}%`;
}

/**
 * Distinct users among the dropped rows, in bounded memory: exact (an open-addressing set of
 * two independent 32-bit hashes, so only a collision of both, about n²/2^65, miscounts) up to
 * {@link EXACT_DISTINCT_LIMIT} users; beyond that a HyperLogLog estimate (4,096 registers,
 * about 1.6 % standard error), and the report says it is an estimate.
 */
export const EXACT_DISTINCT_LIMIT = 1 << 21;
const HLL_BITS = 12;
const HLL_REGISTERS = 1 << HLL_BITS;

class DistinctCounter {
  private table: Uint32Array | null = new Uint32Array(2 * 1024);
  private used = 0;
  private readonly registers = new Uint8Array(HLL_REGISTERS);

  add(h1: number, h2: number): void {
    const r = h2 >>> (32 - HLL_BITS);
    const rest = (h2 << HLL_BITS) >>> 0;
    const rank = rest === 0 ? 32 - HLL_BITS + 1 : Math.clz32(rest) + 1;
    if (rank > this.registers[r]) this.registers[r] = rank;
    if (this.table === null) return;
    // (0, 0) marks an empty slot; the one pair that is (0, 0) itself is stored as (0, 1).
    const b = h1 === 0 && h2 === 0 ? 1 : h2;
    const slots = this.table.length >>> 1;
    let s = (h1 ^ Math.imul(b, 0x27d4eb2d)) & (slots - 1);
    for (;;) {
      const a0 = this.table[2 * s];
      const b0 = this.table[2 * s + 1];
      if (a0 === 0 && b0 === 0) break;
      if (a0 === h1 >>> 0 && b0 === b >>> 0) return;
      s = (s + 1) & (slots - 1);
    }
    this.table[2 * s] = h1;
    this.table[2 * s + 1] = b;
    this.used++;
    if (this.used > EXACT_DISTINCT_LIMIT) {
      this.table = null; // from here on, only the estimate
    } else if (this.used * 2 > slots) {
      this.grow();
    }
  }

  private grow(): void {
    const old = this.table as Uint32Array;
    const slots = old.length; // twice as many slots as before
    const table = new Uint32Array(2 * slots);
    for (let i = 0; i < old.length; i += 2) {
      const a = old[i];
      const b = old[i + 1];
      if (a === 0 && b === 0) continue;
      let s = (a ^ Math.imul(b, 0x27d4eb2d)) & (slots - 1);
      while (table[2 * s] !== 0 || table[2 * s + 1] !== 0) s = (s + 1) & (slots - 1);
      table[2 * s] = a;
      table[2 * s + 1] = b;
    }
    this.table = table;
  }

  get exact(): boolean {
    return this.table !== null;
  }

  count(): number {
    if (this.table !== null) return this.used;
    let sum = 0;
    let zeros = 0;
    for (let r = 0; r < HLL_REGISTERS; r++) {
      sum += 2 ** -this.registers[r];
      if (this.registers[r] === 0) zeros++;
    }
    const m = HLL_REGISTERS;
    const estimate = ((0.7213 / (1 + 1.079 / m)) * m * m) / sum;
    if (estimate <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
    return Math.round(estimate);
  }
}

/**
 * Decides row by row whether a user is in the sample, and counts what it leaves out (rows
 * exactly; users exactly up to {@link EXACT_DISTINCT_LIMIT}, then estimated).
 */
export class UserSampler {
  /** Rows of users left out. */
  droppedRows = 0;
  private readonly threshold: number;
  private readonly dropped = new DistinctCounter();
  /** Logs are often grouped by user: the previous row's decision is reused. */
  private lastId = '';
  private lastKept = false;
  private lastSeen = false;

  constructor(readonly sample: UserSample) {
    this.threshold = Math.floor(sample.fraction * 2 ** 32);
  }

  /** Whether the rows of `userId` are kept; a row that is not is counted here. */
  keeps(userId: string): boolean {
    if (this.lastSeen && userId === this.lastId) {
      if (!this.lastKept) this.droppedRows++;
      return this.lastKept;
    }
    const h = userHash(userId, this.sample.seed);
    const kept = h < this.threshold;
    this.lastId = userId;
    this.lastKept = kept;
    this.lastSeen = true;
    if (!kept) {
      this.droppedRows++;
      this.dropped.add(h, userHash(userId, (this.sample.seed ^ COUNT_SEED_MIX) >>> 0));
    }
    return kept;
  }

  /** The report's account of the sample, once the whole file has streamed. */
  report(keptUsers: number, reason: UserSampleReport['reason']): UserSampleReport {
    const droppedUsers = this.dropped.count();
    const all = keptUsers + droppedUsers;
    return {
      fraction: this.sample.fraction,
      seed: this.sample.seed,
      reason,
      method: USER_SAMPLE_METHOD,
      keptUsers,
      droppedUsers,
      droppedUsersExact: this.dropped.exact,
      droppedRows: this.droppedRows,
      keptUserShare: all === 0 ? 1 : keptUsers / all,
    };
  }
}
