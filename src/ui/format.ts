/** Number and date formats for the dashboard: fixed locale so tests and screenshots agree. */
import type { Delimiter, TimestampFormat } from '../core/data/types';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 34812 -> "34,812". */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** Axis-friendly short counts: 950 -> "950", 1200 -> "1.2k", 3400000 -> "3.4M". */
export function formatCompact(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${trim(n / 1e9)}B`;
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e3) return `${trim(n / 1e3)}k`;
  return trim(n);
}

function trim(n: number): string {
  return Number.parseFloat(n.toFixed(Math.abs(n) >= 100 ? 0 : 1)).toString();
}

/** Density as a percentage with enough digits to be non-zero: 0.0123 -> "1.23%". */
export function formatDensity(density: number): string {
  if (!Number.isFinite(density) || density <= 0) return '0%';
  const percent = density * 100;
  const digits = Math.min(6, Math.max(2, 1 - Math.floor(Math.log10(percent))));
  return `${percent.toFixed(percent >= 10 ? 1 : digits)}%`;
}

/** Epoch ms -> "2024-01-31" (UTC, the time zone ingest reads zone-less dates in). */
export function formatIsoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** Whole days between two epoch-ms instants, rounded. */
export function daysBetween(minMs: number, maxMs: number): number {
  return Math.round((maxMs - minMs) / 86_400_000);
}

/** 1536 -> "1.5 KB"; binary units, as file managers show. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

export const DELIMITER_LABELS: Record<Delimiter, string> = {
  ',': 'comma (,)',
  '\t': 'tab',
  ';': 'semicolon (;)',
  '|': 'pipe (|)',
  '::': 'double colon (::)',
};

export const TIMESTAMP_FORMAT_LABELS: Record<TimestampFormat, string> = {
  'epoch-s': 'Unix epoch, seconds',
  'epoch-ms': 'Unix epoch, milliseconds',
  'iso-8601': 'ISO 8601 (2024-01-31T13:45:07Z)',
  'ymd-datetime': 'year-month-day (2024-01-31 13:45), UTC',
  'dmy-datetime': 'day/month/year (31/01/2024), UTC',
  'mdy-datetime': 'month/day/year (01/31/2024), UTC',
  none: 'no timestamps: file order defines sequences',
};

export const ENCODING_LABELS = {
  'utf-8': 'UTF-8',
  'windows-1252': 'Windows-1252 (Latin-1)',
} as const;
