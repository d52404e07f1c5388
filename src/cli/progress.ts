/**
 * Progress lines on stderr, so stdout stays clean for JSON. Throttled: a long ingest or
 * training run prints a line every few seconds, not thousands.
 */
import type { IngestProgress } from '../core/data/types';

export type Write = (text: string) => void;

/** Ingest progress: one line per phase change, and at most one per `everyMs` within a phase. */
export function ingestProgress(
  write: Write,
  label: string,
  everyMs = 2000,
  now: () => number = Date.now,
): (p: IngestProgress) => void {
  let phase: IngestProgress['phase'] | null = null;
  let last = Number.NEGATIVE_INFINITY;
  return (p) => {
    const t = now();
    if (p.phase === phase && t - last < everyMs) return;
    phase = p.phase;
    last = t;
    const share = p.totalBytes > 0 ? Math.round((100 * p.bytesRead) / p.totalBytes) : 100;
    const detail = p.phase === 'reading' ? `${share}%, ${p.rows.toLocaleString('en-US')} rows` : '';
    write(`${label}: ${p.phase}${detail ? ` (${detail})` : ''}\n`);
  };
}
