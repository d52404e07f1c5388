/**
 * What one load may hold (bytes of text, rows of Parquet), the one-sentence refusals for a file
 * above it, and the user sample that makes such a file fit: planned before anything is read,
 * announced by a notice once loaded.
 */
import { IngestError, type Notice, type UserSample, type UserSampleReport } from './types';
import { fittingFraction, formatShare } from './userSample';

/**
 * The largest text file loaded whole by default: 1 GiB, about 40 million rows of a typical
 * log. Indexed rows cost ~28 bytes of typed arrays plus the id strings; far above this, a
 * browser tab runs out of memory part-way, so a larger file is refused up front with one
 * sentence naming the user sample that would fit, or (`sampleIfTooLarge`) sampled instead.
 */
export const MAX_INGEST_BYTES = 1024 * 1024 * 1024;

/**
 * Rows loaded at most from a Parquet file or kept by a sample: what 1 GiB of a typical log
 * holds, and about what a browser tab can index.
 */
export const MAX_INGEST_ROWS = 40_000_000;

const gib = (n: number) => `${(n / 1024 ** 3).toFixed(2)} GiB`;
const rowCount = (n: number) => n.toLocaleString('en-US');

/** The one-sentence refusal for a file above the limit, naming the sample that would fit. */
export function tooLargeMessage(bytes: number, limit: number): string {
  const fraction = fittingFraction(bytes, limit);
  return (
    `This file is ${gib(bytes)}, above the ${gib(limit)} a browser tab can index ` +
    `(about 40 million rows): load a sample of its users instead, at most ${formatShare(fraction)} ` +
    `(\`--sample-users ${fraction}\` on the command line; see "Scale beyond one browser" in the README).`
  );
}

/** The refusal for a Parquet file with more rows than a load holds. */
export function tooManyRowsMessage(rows: number, limit: number): string {
  const fraction = fittingFraction(rows, limit);
  return (
    `This file has ${rowCount(rows)} rows, above the ${rowCount(limit)} a browser tab can index: ` +
    `load a sample of its users instead, at most ${formatShare(fraction)} ` +
    `(\`--sample-users ${fraction}\` on the command line; see "Scale beyond one browser" in the README).`
  );
}

/** What a load will keep: every user, or a sample (asked for, or chosen to fit). */
export interface SamplePlan {
  sample: UserSample | null;
  reason: UserSampleReport['reason'];
  /** Why a chosen sample was needed, for its notice (e.g. "This file is 3.20 GiB, ..."). */
  why: string;
}

/**
 * Settles the sample before anything is read: an asked-for sample must fit the limit (`total`
 * bytes or rows of the whole file, times the fraction); without one, a file above the limit is
 * refused, or sampled to fit when `auto`.
 */
export function planSample(
  requested: UserSample | null,
  total: number,
  limit: number,
  auto: boolean,
  unit: 'bytes' | 'rows',
): SamplePlan {
  const size = unit === 'bytes' ? gib : (n: number) => `${rowCount(Math.round(n))} rows`;
  if (requested !== null && requested.fraction < 1) {
    if (total * requested.fraction > limit) {
      const most = fittingFraction(total, limit);
      throw new IngestError(
        `A sample of ${formatShare(requested.fraction)} of the users of this ${size(total)} file is about ${size(total * requested.fraction)}, above the ${size(limit)} a browser tab can index: choose at most ${formatShare(most)} (${most}).`,
        'too-large',
      );
    }
    return { sample: requested, reason: 'asked', why: '' };
  }
  if (total <= limit) return { sample: null, reason: 'asked', why: '' };
  if (!auto) {
    throw new IngestError(
      unit === 'bytes' ? tooLargeMessage(total, limit) : tooManyRowsMessage(total, limit),
      'too-large',
    );
  }
  return {
    sample: { fraction: fittingFraction(total, limit), seed: requested?.seed ?? 0 },
    reason: 'too-large',
    why: `This file is ${size(total)}, above the ${size(limit)} a browser tab can index, so `,
  };
}

/** The notice that says a sample was loaded, how it was chosen and what it left out. */
export function sampleNotice(report: UserSampleReport, why: string): Notice {
  const users = `${rowCount(report.droppedUsers)}${report.droppedUsersExact ? '' : ' (estimated)'}`;
  const lead =
    why === ''
      ? 'Only a sample of users was loaded: '
      : `${why}only a sample of users was loaded: `;
  return {
    level: 'warning',
    code: 'user-sample',
    message:
      `${lead}${formatShare(report.fraction)} of users (chosen by a hash of the user id, seed ${report.seed}) ` +
      `with every interaction of each, leaving out ${users} users and ${rowCount(report.droppedRows)} rows.`,
  };
}

/** The kept rows of a sample passed the row limit: the users kept are heavier than average. */
export function sampleTooManyRows(sample: UserSample, limit: number): IngestError {
  const smaller = Math.max(1e-6, Number((sample.fraction / 2).toPrecision(2)));
  return new IngestError(
    `The sample of ${formatShare(sample.fraction)} of users holds more than the ${rowCount(limit)} rows a browser tab can index: choose a smaller share, such as ${formatShare(smaller)}.`,
    'too-large',
  );
}
