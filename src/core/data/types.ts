/**
 * The data contract shared by ingest (worker, Node, CLI) and the UI.
 * Everything here is plain data that can cross the worker boundary (structured clone),
 * except {@link Dataset}, which holds typed arrays and stays in the worker.
 */

/** Roles a column of an interaction file can play. */
export type Role = 'user' | 'item' | 'timestamp' | 'action' | 'value' | 'category' | 'title';
export const ROLES: readonly Role[] = [
  'user',
  'item',
  'timestamp',
  'action',
  'value',
  'category',
  'title',
];

/** Field delimiters we detect; `::` is MovieLens 1M style. */
export type Delimiter = ',' | '\t' | ';' | '|' | '::';
export const DELIMITERS: readonly Delimiter[] = [',', '\t', ';', '|', '::'];

export type EncodingName = 'utf-8' | 'windows-1252';

/**
 * How timestamps in the file are written. `none` means the file has no time column:
 * file order defines the sequence.
 */
export type TimestampFormat =
  | 'epoch-s'
  | 'epoch-ms'
  | 'iso-8601'
  | 'ymd-datetime' // 2024-01-31 13:45[:07] or 2024/01/31 ... without a zone (read as UTC)
  | 'dmy-datetime' // 31/01/2024 [13:45[:07]] (read as UTC)
  | 'mdy-datetime' // 01/31/2024 [13:45[:07]] (read as UTC)
  | 'none';

/** Column index per role; null when the file has no such column. user and item are required. */
export interface ColumnMapping {
  user: number | null;
  item: number | null;
  timestamp: number | null;
  action: number | null;
  value: number | null;
  category: number | null;
  title: number | null;
}

/**
 * How a file is stored: delimited text (CSV, TSV, ...) or Apache Parquet. Told by the file's
 * content (Parquet starts with the magic bytes `PAR1`), never by its name.
 */
export type FileFormat = 'delimited' | 'parquet';

/**
 * Keep only some users, each with every one of their interactions: a user is kept iff a seeded
 * hash of their id falls under `fraction` (see userSample.ts for the exact hash).
 */
export interface UserSample {
  /** Share of users to keep, from 1e-6 to 1. */
  fraction: number;
  /** Seed of the hash, an integer 0..2^32-1: another seed keeps other users. */
  seed: number;
}

/** Everything needed to parse an interaction file; the detected value is the default. */
export interface ParseOptions {
  /** For Parquet files these three are nominal (`,`, true, `utf-8`): columns are named and typed. */
  delimiter: Delimiter;
  hasHeader: boolean;
  encoding: EncodingName;
  mapping: ColumnMapping;
  timestampFormat: TimestampFormat;
  /**
   * Load only a user-hash sample; absent or null = every user. Ingest records here the sample
   * it took (also one it chose because the file is above what a tab holds), so passing the
   * report's options back reads the same users again.
   */
  sample?: UserSample | null;
}

export interface DetectedColumn {
  index: number;
  /** Header name, or `column N` (1-based) for headerless files. */
  name: string;
  /** Up to 5 sample values from the first data rows. */
  samples: string[];
}

export type NoticeLevel = 'info' | 'warning';
export interface Notice {
  level: NoticeLevel;
  /** Stable code for tests, e.g. `encoding-fallback`, `no-timestamp`, `bom`, `blank-lines`. */
  code: string;
  message: string;
}

/** What detection concluded from the first bytes of a file. */
export interface Detection {
  delimiter: Delimiter;
  hasHeader: boolean;
  encoding: EncodingName;
  bom: boolean;
  columns: DetectedColumn[];
  mapping: ColumnMapping;
  timestampFormat: TimestampFormat;
  notices: Notice[];
  /** Absent in detections made before Parquet was read: delimited text. */
  format?: FileFormat;
}

export type RejectReason =
  | 'wrong_field_count'
  | 'truncated_last_line'
  | 'unterminated_quote'
  | 'missing_user'
  | 'missing_item'
  | 'bad_timestamp'
  | 'bad_value'
  | 'value_out_of_range'
  | 'duplicate';

export const REJECT_REASON_LABELS: Record<RejectReason, string> = {
  wrong_field_count: 'wrong number of fields',
  truncated_last_line: 'truncated last line (file cut mid-row)',
  unterminated_quote: 'unterminated quoted field',
  missing_user: 'missing user id',
  missing_item: 'missing item id',
  bad_timestamp: 'unparseable timestamp',
  bad_value: 'value is not a number',
  value_out_of_range: 'value too large to store (beyond ±3.4e38)',
  duplicate: 'exact duplicate of an earlier row',
};

export interface RejectedRow {
  /** 1-based physical line number where the row starts in the file. */
  line: number;
  reason: RejectReason;
  /** Human-readable specifics, e.g. `expected 4 fields, found 3` or `duplicate of line 12`. */
  detail: string;
  /** The row's fields as parsed. */
  fields: string[];
}

export interface ReasonCount {
  count: number;
  /** The first (up to 10) line numbers with this reason, ascending. */
  firstLines: number[];
}

/**
 * Accepted values that look wrong: timestamps of exactly 0 (1 January 1970, a common
 * placeholder), other timestamps before 1990, and timestamps after next year.
 */
export type SuspiciousValue = 'timestamp_zero' | 'timestamp_before_1990' | 'timestamp_future';

export const SUSPICIOUS_VALUE_LABELS: Record<SuspiciousValue, string> = {
  timestamp_zero: 'timestamp is 0 (1 January 1970)',
  timestamp_before_1990: 'timestamp before 1990',
  timestamp_future: 'timestamp after next year',
};

export interface SuspiciousCount {
  /** Accepted rows with such a value. */
  count: number;
  /** Users those rows belong to. */
  users: number;
  /** The first (up to 3) line numbers, ascending. */
  firstLines: number[];
}

/** What a user-hash sample kept and left out (see {@link UserSample}). */
export interface UserSampleReport extends UserSample {
  /**
   * `asked`: the caller chose the sample. `too-large`: the file is above what a browser tab
   * can index, so a sample that fits was loaded instead of refusing the file.
   */
  reason: 'asked' | 'too-large';
  /** How users were chosen, in one sentence (the hash, its seed and the threshold). */
  method: string;
  /** Users with at least one accepted row. */
  keptUsers: number;
  /** Distinct users left out by the sample. */
  droppedUsers: number;
  /** False when there were too many to count exactly and `droppedUsers` is an estimate. */
  droppedUsersExact: boolean;
  /** Data rows of the users left out (not validated, not counted as rejected). */
  droppedRows: number;
  /** keptUsers / (keptUsers + droppedUsers): the share actually kept, close to `fraction`. */
  keptUserShare: number;
}

/**
 * Ingest accounting: dataRows === accepted + rejected + (sample?.droppedRows ?? 0), always
 * (without a sample: accepted + rejected).
 */
export interface IngestReport {
  /** Non-blank records after the header (for Parquet: the file's rows). */
  dataRows: number;
  accepted: number;
  rejected: number;
  rejectedByReason: Partial<Record<RejectReason, ReasonCount>>;
  /** Blank lines are not data rows; they are counted and reported here. */
  blankLines: number;
  bytes: number;
  /**
   * Accepted rows whose values look wrong, by kind (each also told in a notice). Absent in
   * reports made before it existed.
   */
  suspicious?: Partial<Record<SuspiciousValue, SuspiciousCount>>;
  notices: Notice[];
  options: ParseOptions;
  /** Absent when every user was loaded. */
  sample?: UserSampleReport;
  /** Absent in reports made before Parquet was read: delimited text. */
  format?: FileFormat;
}

/** A histogram bin over counts (e.g. interactions per user): [x0, x1) holds `count` entities. */
export interface CountBin {
  x0: number;
  x1: number;
  count: number;
}

export interface NamedCount {
  name: string;
  count: number;
}

/** What the UI shows about a loaded dataset: summaries only, no per-row data. */
export interface DatasetSummary {
  fileName: string;
  users: number;
  items: number;
  interactions: number;
  /** interactions / (users * items) */
  density: number;
  /** Epoch milliseconds; null when the file has no timestamps. */
  timeRange: { min: number; max: number } | null;
  perUser: { bins: CountBin[]; min: number; median: number; max: number };
  perItem: { bins: CountBin[]; min: number; median: number; max: number };
  topCategories: NamedCount[];
  actionTypes: NamedCount[];
  /** Items with a title (from the interaction file or the metadata file). */
  itemsWithTitle: number;
  report: IngestReport;
  detection: Detection;
  /** Present once an item metadata file has been joined. */
  metadata: ItemMetadataSummary | null;
}

/** The loaded, validated, re-indexed interactions. Lives in the worker (or Node); never in the UI. */
export interface Dataset {
  /** index -> original id string (bijection with the internal index). */
  userIds: string[];
  itemIds: string[];
  actionNames: string[];
  categoryNames: string[];
  /** Per interaction, sorted by user, then timestamp, then file line. */
  user: Int32Array;
  item: Int32Array;
  /** Epoch ms; NaN when the file has no timestamp column. */
  timestamp: Float64Array;
  /** Index into actionNames, -1 when absent. */
  action: Int32Array;
  /** NaN when absent. */
  value: Float32Array;
  /** 1-based physical line of the row in the source file (file order). */
  line: Int32Array;
  /** CSR offsets: user u's interactions are [userOffsets[u], userOffsets[u+1]). length users+1. */
  userOffsets: Int32Array;
  /** Per item: title or null. */
  itemTitle: (string | null)[];
  /** Per item: category indices (into categoryNames). */
  itemCategories: number[][];
  hasTimestamps: boolean;
}

/** Item metadata file (item, title, categories/tags or one-hot genre columns). */
export interface ItemMetadataOptions {
  delimiter: Delimiter;
  hasHeader: boolean;
  encoding: EncodingName;
  item: number;
  title: number | null;
  /** A multi-valued category/tag column (`|` or `;` joined), if any. */
  category: number | null;
  /** One-hot (0/1) genre columns, as in ml-100k's u.item; their names become categories. */
  oneHot: number[];
}

export interface ItemMetadataSummary {
  fileName: string;
  rows: number;
  accepted: number;
  rejected: number;
  rejectedByReason: Partial<Record<RejectReason, ReasonCount>>;
  /** Metadata rows whose item is in the interactions. */
  matchedItems: number;
  /** Metadata rows whose item never occurs in the interactions (kept out, counted). */
  unknownItems: number;
  categories: number;
  options: ItemMetadataOptions;
  notices: Notice[];
}

export interface IngestProgress {
  phase: 'reading' | 'indexing' | 'summarising';
  bytesRead: number;
  totalBytes: number;
  rows: number;
}

/** Random access to the bytes of a file: a Blob in the browser, a Buffer or file in Node. */
export interface ByteSource {
  readonly name: string;
  readonly size: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

/** Thrown for files that cannot be read as a behaviour table at all; message is one sentence. */
export class IngestError extends Error {
  constructor(
    message: string,
    readonly code:
      | 'not-a-table'
      | 'empty'
      | 'binary'
      | 'no-user-item'
      | 'cancelled'
      | 'too-large'
      | 'invalid-options',
  ) {
    super(message);
    this.name = 'IngestError';
  }
}
