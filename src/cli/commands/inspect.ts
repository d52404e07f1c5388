/**
 * `lens inspect`: what the page shows after a drop (detected columns, counts, rejected rows by
 * reason, time range), as plain data for scripts and as a table for people.
 */
import { summarizeDataset } from '../../core/data';
import {
  type FileFormat,
  type ItemMetadataSummary,
  type Notice,
  type ParseOptions,
  type ReasonCount,
  type RejectReason,
  ROLES,
  type Role,
  type SuspiciousCount,
  type SuspiciousValue,
  type UserSampleReport,
} from '../../core/data/types';
import type { CliCommand } from '../args';
import type { Write } from '../progress';
import { loadData } from './load';

export interface InspectResult {
  file: string;
  users: number;
  items: number;
  interactions: number;
  /** Data rows rejected (each with a reason); interactions + rejected = data rows (+ sampled out). */
  rejected: number;
  rejectedByReason: Partial<Record<RejectReason, ReasonCount>>;
  /**
   * Accepted rows whose values look wrong (timestamps of 0, before 1990 or after next year), by
   * kind, with the users and first lines; the notices say the same in words.
   */
  suspicious: Partial<Record<SuspiciousValue, SuspiciousCount>>;
  /** The detected mapping: role -> column name (header name, or `column N`); null = absent. */
  columns: Record<Role, string | null>;
  /** First and last interaction time (ISO 8601, UTC); null when the file has no timestamps. */
  timeRange: { min: string; max: string } | null;
  /** Delimited text or Parquet (told by the file's content). */
  fileFormat: FileFormat;
  /**
   * How the file was read: the parse options less the column mapping (see `columns`) and the
   * sample (see `sample`). Delimiter, header and encoding are nominal for Parquet.
   */
  format: Omit<ParseOptions, 'mapping' | 'sample'>;
  /**
   * The user-hash sample loaded with `--sample-users`: share and seed, users and rows left out
   * (not counted as rejected: interactions + rejected + droppedRows = data rows). Null = all.
   */
  sample: UserSampleReport | null;
  blankLines: number;
  notices: Notice[];
  /**
   * The item metadata file's summary as the page shows it, less the options it was read with;
   * `file` is its name. Null without an item metadata file.
   */
  itemMetadata:
    | (Omit<ItemMetadataSummary, 'fileName' | 'options'> & { file: string; itemsWithTitle: number })
    | null;
}

type InspectCommand = Extract<CliCommand, { command: 'inspect' }>;

/** Runs `inspect`; returns the result (the caller prints it as JSON or a table). */
export async function runInspect(
  command: InspectCommand,
  io: { stderr: Write; signal?: AbortSignal },
): Promise<InspectResult> {
  const loaded = await loadData(command.interactions, {
    items: command.items,
    sample: command.sample ?? null,
    signal: io.signal,
    progress: io.stderr,
  });
  const { report, detection } = loaded.interactions;
  const summary = summarizeDataset(
    loaded.dataset,
    report,
    detection,
    loaded.fileName,
    loaded.metadata,
  );
  const { mapping } = report.options;
  const columns = Object.fromEntries(
    ROLES.map((role) => {
      const index = mapping[role];
      const column = index === null ? undefined : detection.columns[index];
      return [role, column ? column.name : index === null ? null : `column ${index + 1}`];
    }),
  ) as Record<Role, string | null>;
  const meta = loaded.metadata;
  return {
    file: loaded.fileName,
    users: summary.users,
    items: summary.items,
    interactions: summary.interactions,
    rejected: report.rejected,
    rejectedByReason: report.rejectedByReason,
    suspicious: report.suspicious ?? {},
    columns,
    timeRange: summary.timeRange && {
      min: new Date(summary.timeRange.min).toISOString(),
      max: new Date(summary.timeRange.max).toISOString(),
    },
    fileFormat: report.format ?? 'delimited',
    format: {
      delimiter: report.options.delimiter,
      hasHeader: report.options.hasHeader,
      encoding: report.options.encoding,
      timestampFormat: report.options.timestampFormat,
    },
    sample: report.sample ?? null,
    blankLines: report.blankLines,
    notices: report.notices,
    itemMetadata: meta && {
      file: meta.fileName,
      rows: meta.rows,
      accepted: meta.accepted,
      rejected: meta.rejected,
      rejectedByReason: meta.rejectedByReason,
      matchedItems: meta.matchedItems,
      unknownItems: meta.unknownItems,
      categories: meta.categories,
      itemsWithTitle: summary.itemsWithTitle,
      notices: meta.notices,
    },
  };
}
