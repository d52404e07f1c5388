/**
 * Values that were accepted but look wrong, found once the rows are indexed (so duplicates,
 * already rejected, are not counted): timestamps of exactly 0 (1 January 1970, what a missing
 * time often becomes; a MovieLens file has a user whose every timestamp is 0), other
 * timestamps before 1990 (often seconds read as milliseconds), and timestamps after next year.
 * The rows stay in the dataset; the report counts them, with example lines, and says so.
 */
import type { Dataset, Notice, SuspiciousCount, SuspiciousValue } from './types';

/** Example line numbers kept per kind. */
const EXAMPLE_LINES = 3;
const YEAR_1990 = Date.UTC(1990, 0, 1);

/** From this instant on, a timestamp is after next year (relative to `now`). */
export function futureTimestampLimit(now: number): number {
  return Date.UTC(new Date(now).getUTCFullYear() + 2, 0, 1);
}

/** Which kind of suspicious timestamp `t` (epoch ms) is, or null when it looks fine. */
export function suspiciousTimestamp(t: number, futureLimit: number): SuspiciousValue | null {
  if (t === 0) return 'timestamp_zero';
  if (t < YEAR_1990) return 'timestamp_before_1990';
  if (t >= futureLimit) return 'timestamp_future';
  return null;
}

export type SuspiciousCounts = Partial<Record<SuspiciousValue, SuspiciousCount>>;

/** Counts the dataset's suspicious timestamps by kind, with the users and first lines. */
export function findSuspiciousTimestamps(dataset: Dataset, now: number): SuspiciousCounts {
  const found: SuspiciousCounts = {};
  if (!dataset.hasTimestamps) return found;
  const limit = futureTimestampLimit(now);
  const { timestamp, line, userOffsets } = dataset;
  for (let u = 0; u + 1 < userOffsets.length; u++) {
    let seen: SuspiciousValue[] | null = null;
    for (let k = userOffsets[u]; k < userOffsets[u + 1]; k++) {
      const kind = suspiciousTimestamp(timestamp[k], limit);
      if (kind === null) continue;
      let entry = found[kind];
      if (entry === undefined) {
        entry = { count: 0, users: 0, firstLines: [] };
        found[kind] = entry;
      }
      entry.count++;
      if (seen === null) seen = [];
      if (!seen.includes(kind)) {
        seen.push(kind);
        entry.users++;
      }
      keepFirstLines(entry.firstLines, line[k]);
    }
  }
  return found;
}

/** Keeps the smallest EXAMPLE_LINES line numbers, ascending. */
function keepFirstLines(lines: number[], line: number): void {
  if (lines.length === EXAMPLE_LINES && line >= lines[EXAMPLE_LINES - 1]) return;
  let i = lines.length;
  while (i > 0 && lines[i - 1] > line) i--;
  lines.splice(i, 0, line);
  if (lines.length > EXAMPLE_LINES) lines.pop();
}

/** One warning naming every kind found, with counts, users and example lines; null if none. */
export function suspiciousTimestampNotice(found: SuspiciousCounts, now: number): Notice | null {
  const nextYear = new Date(futureTimestampLimit(now)).getUTCFullYear() - 1;
  const what: Record<SuspiciousValue, [string, string]> = {
    timestamp_zero: ['is 0, i.e. 1 January 1970', 'are 0, i.e. 1 January 1970'],
    timestamp_before_1990: ['is before 1990', 'are before 1990'],
    timestamp_future: [`is after ${nextYear}`, `are after ${nextYear}`],
  };
  const parts: string[] = [];
  for (const kind of Object.keys(what) as SuspiciousValue[]) {
    const entry = found[kind];
    if (!entry) continue;
    const users = `${entry.users} user${entry.users === 1 ? '' : 's'}`;
    const lines = `line${entry.firstLines.length === 1 ? '' : 's'} ${entry.firstLines.join(', ')}`;
    const example = entry.count > entry.firstLines.length ? `e.g. ${lines}` : lines;
    parts.push(`${entry.count} ${what[kind][entry.count === 1 ? 0 : 1]} (${users}; ${example})`);
  }
  if (parts.length === 0) return null;
  const total = Object.values(found).reduce((sum, entry) => sum + (entry?.count ?? 0), 0);
  return {
    level: 'warning',
    code: 'suspicious-timestamps',
    message:
      `${total} accepted row${total === 1 ? ' has a timestamp that looks' : 's have timestamps that look'} wrong: ` +
      `${parts.join('; ')}. The rows were kept; check the time column and its unit.`,
  };
}
