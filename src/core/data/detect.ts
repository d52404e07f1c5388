/**
 * Detection of an interaction file's layout from its first megabyte: delimiter, header,
 * encoding, column roles and timestamp format. The result is a proposal the user confirms or
 * edits; ingest then follows it exactly.
 */
import {
  isActionLike,
  isCategoryListLike,
  isIdLike,
  isTitleLike,
  isValueLike,
  profileColumn,
} from './columnProfile';
import { isParquet } from './parquetMagic';
import { guessDelimiter, modalFieldCount, sampleRecords } from './sampleTable';
import { roleOfHeader } from './synonyms';
import { type Expectation, readSample, type TextSample } from './text';
import { guessTimestampFormat, parsePlainNumber } from './timestamps';
import {
  type ByteSource,
  type ColumnMapping,
  type Delimiter,
  type DetectedColumn,
  type Detection,
  type EncodingName,
  IngestError,
  type Notice,
  type Role,
} from './types';

const EXPECTED = 'expected delimited text with at least a user column and an item column';
const EXPECTED_ITEMS = 'expected delimited text with an item id column';

/** The first records of a file read with a known (or guessed) delimiter and header. */
export interface TableLayout {
  sample: TextSample;
  delimiter: Delimiter;
  hasHeader: boolean;
  /** Fields every record should have: the header's count, or the most common count. */
  fieldCount: number;
  header: string[] | null;
  /** Sample records after the header that have `fieldCount` fields. */
  dataRows: string[][];
  columns: DetectedColumn[];
  notices: Notice[];
}

export interface LayoutChoice {
  delimiter?: Delimiter;
  hasHeader?: boolean;
  encoding?: EncodingName;
  /** What the file should be, for error messages (default interactions). */
  expectation?: Expectation;
}

/** Reads the sample and settles delimiter, header and field count (guessing what is not given). */
export async function readTableLayout(
  source: ByteSource,
  choice: LayoutChoice = {},
): Promise<TableLayout> {
  const expectation = choice.expectation ?? 'interactions';
  const expected = expectation === 'items' ? EXPECTED_ITEMS : EXPECTED;
  const what = expectation === 'items' ? 'item metadata' : 'a table of user behaviour';
  const sample = await readSample(source, choice.encoding, expectation);
  let delimiter = choice.delimiter;
  if (delimiter === undefined) {
    const guess = guessDelimiter(sample);
    if (guess === null) {
      throw new IngestError(
        `This file does not look like ${what}: ${expected}, but found only one column (no comma, tab, semicolon, pipe or :: separates its values).`,
        'not-a-table',
      );
    }
    delimiter = guess.delimiter;
  }
  const records = sampleRecords(sample, delimiter);
  if (records.length === 0) {
    throw new IngestError(`This file has no data rows: ${expected}.`, 'empty');
  }
  const hasHeader = choice.hasHeader ?? looksLikeHeader(records);
  const header = hasHeader ? records[0].map((name) => name.trim()) : null;
  const allRows = hasHeader ? records.slice(1) : records;
  const fieldCount = header ? header.length : modalFieldCount(allRows).count;
  // Rows with another field count would misalign columns; they are not evidence of roles.
  const dataRows = allRows.filter((row) => row.length === fieldCount);
  if (fieldCount < 2) {
    throw new IngestError(
      `This file does not look like ${what}: ${expected}, but found only one column.`,
      'not-a-table',
    );
  }
  const columns: DetectedColumn[] = [];
  for (let c = 0; c < fieldCount; c++) {
    const name = header?.[c] ? header[c] : `column ${c + 1}`;
    const samples = dataRows.slice(0, 5).map((row) => (row[c] ?? '').trim());
    columns.push({ index: c, name, samples });
  }
  return {
    sample,
    delimiter,
    hasHeader,
    fieldCount,
    header,
    dataRows,
    columns,
    notices: encodingNotices(sample),
  };
}

function encodingNotices(sample: TextSample): Notice[] {
  const notices: Notice[] = [];
  if (sample.bom) {
    notices.push({
      level: 'info',
      code: 'bom',
      message: 'The file starts with a UTF-8 byte order mark; it was skipped.',
    });
  }
  if (sample.invalidUtf8At !== null) {
    notices.push({
      level: 'warning',
      code: 'encoding-fallback',
      message: `The file is not valid UTF-8 (first invalid byte at offset ${sample.invalidUtf8At}, line ${sample.invalidUtf8Line}), so it is read as Windows-1252 (Latin-1).`,
    });
  }
  return notices;
}

/**
 * A header when a first-row cell is a known column name, or when a column whose values below
 * are numbers or dates starts with a cell that is neither.
 */
export function looksLikeHeader(records: string[][]): boolean {
  const [first, ...rest] = records;
  if (first.some((cell) => roleOfHeader(cell.trim()) !== null)) return true;
  const below = rest.slice(0, 50);
  for (let c = 0; c < first.length; c++) {
    const head = first[c].trim();
    if (head === '') continue;
    const values = below.map((row) => (row[c] ?? '').trim()).filter((v) => v !== '');
    if (values.length < 2) continue;
    const numeric = values.filter((v) => !Number.isNaN(parsePlainNumber(v))).length / values.length;
    if (numeric >= 0.9 && Number.isNaN(parsePlainNumber(head))) return true;
    if (
      numeric < 0.9 &&
      guessTimestampFormat(values, false) &&
      !guessTimestampFormat([head], false)
    ) {
      return true;
    }
  }
  return false;
}

/** What role inference looks at: the header, the columns and the sample rows. */
export type LayoutSample = Pick<TableLayout, 'header' | 'columns' | 'dataRows'>;

/**
 * Column roles: header synonyms first, then the content of the columns no name explained.
 * `nativeTime` lists columns typed as time by the file itself (Parquet timestamps and dates):
 * they are never taken for ids, values or actions, and are the first timestamp candidates.
 */
export function inferMapping(
  layout: LayoutSample,
  nativeTime: ReadonlySet<number> = new Set(),
): { mapping: ColumnMapping; byName: Set<Role> } {
  const mapping: ColumnMapping = {
    user: null,
    item: null,
    timestamp: null,
    action: null,
    value: null,
    category: null,
    title: null,
  };
  const byName = new Set<Role>();
  const named = new Set<number>();
  if (layout.header) {
    layout.header.forEach((name, c) => {
      const role = roleOfHeader(name);
      if (role === null) return;
      named.add(c);
      if (mapping[role] === null) {
        mapping[role] = c;
        byName.add(role);
      }
    });
  }
  const profiles = layout.columns.map((col) => profileColumn(layout.dataRows, col.index));
  const free = profiles.filter((p) => !named.has(p.index));
  const take = (role: Role, fits: (p: (typeof profiles)[number]) => boolean) => {
    if (mapping[role] !== null) return;
    const found = free.find((p) => fits(p) && !Object.values(mapping).includes(p.index));
    if (found) mapping[role] = found.index;
  };
  const notTime =
    (fits: (p: (typeof profiles)[number]) => boolean) => (p: (typeof profiles)[number]) =>
      !nativeTime.has(p.index) && fits(p);
  take('user', notTime(isIdLike));
  take('item', notTime(isIdLike));
  take('timestamp', (p) => nativeTime.has(p.index));
  take('timestamp', (p) => p.time !== null);
  take(
    'action',
    notTime((p) => isActionLike(p, layout.dataRows.length)),
  );
  take('value', notTime(isValueLike));
  take('category', isCategoryListLike);
  take('title', isTitleLike);
  return { mapping, byName };
}

/**
 * Sniffs an interaction file: delimiter, header, encoding, column roles and timestamp format.
 * Throws {@link IngestError} with one sentence when the file is not a behaviour table at all.
 * Parquet files (told by their magic bytes) are read by their own sniffer, parquetTable.ts.
 */
export async function detectFormat(source: ByteSource): Promise<Detection> {
  if (await isParquet(source)) {
    const { detectParquet } = await import('./parquetDetect');
    return (await detectParquet(source)).detection;
  }
  const layout = await readTableLayout(source);
  const proposal = proposeRoles(layout, { headerless: !layout.hasHeader });
  return {
    delimiter: layout.delimiter,
    hasHeader: layout.hasHeader,
    encoding: layout.sample.encoding,
    bom: layout.sample.bom,
    columns: layout.columns,
    mapping: proposal.mapping,
    timestampFormat: proposal.timestampFormat,
    notices: [...layout.notices, ...proposal.notices],
    format: 'delimited',
  };
}

/**
 * Column roles and timestamp format from a sample of rows, with the notices they call for:
 * what delimited text and Parquet detection share. `nativeTime`: columns the file itself types
 * as time, whose cells are epoch milliseconds.
 */
export function proposeRoles(
  layout: LayoutSample,
  facts: { headerless: boolean; nativeTime?: ReadonlySet<number> },
): { mapping: ColumnMapping; timestampFormat: Detection['timestampFormat']; notices: Notice[] } {
  const nativeTime = facts.nativeTime ?? new Set<number>();
  const { mapping, byName } = inferMapping(layout, nativeTime);
  if (mapping.user === null || mapping.item === null) {
    const names = layout.header ? ` among ${layout.header.map((h) => `"${h}"`).join(', ')}` : '';
    throw new IngestError(
      `This file does not look like a table of user behaviour: ${EXPECTED}, but found no ${mapping.user === null ? 'user' : 'item'} column${names}.`,
      'no-user-item',
    );
  }
  const notices: Notice[] = [];
  if (facts.headerless) {
    notices.push({
      level: 'info',
      code: 'headerless',
      message:
        'The file has no header row, so columns were assigned by their content; check the mapping.',
    });
  }
  let timestampFormat: Detection['timestampFormat'] = 'none';
  if (mapping.timestamp !== null && nativeTime.has(mapping.timestamp)) {
    timestampFormat = 'epoch-ms';
  } else if (mapping.timestamp !== null) {
    const column = mapping.timestamp;
    const values = layout.dataRows.map((row) => row[column] ?? '');
    const named = byName.has('timestamp');
    const guess = guessTimestampFormat(values, !named, named ? 0.5 : 0.9);
    if (guess === null) {
      notices.push({
        level: 'warning',
        code: 'unreadable-timestamps',
        message: `The column "${layout.columns[column].name}" does not hold timestamps in a format we read (e.g. "${values.find((v) => v.trim()) ?? ''}"), so it is not used as time.`,
      });
      mapping.timestamp = null;
    } else {
      timestampFormat = guess.format;
      notices.push(...timestampNotices(guess.format, guess.ambiguous, guess.zoneless));
    }
  }
  if (mapping.timestamp === null) notices.push(noTimestampNotice());
  return { mapping, timestampFormat, notices };
}

export function noTimestampNotice(): Notice {
  return {
    level: 'info',
    code: 'no-timestamp',
    message: "No timestamp column: file order defines each user's sequence.",
  };
}

export function timestampNotices(format: string, ambiguous: boolean, zoneless: boolean): Notice[] {
  const notices: Notice[] = [];
  if (ambiguous) {
    notices.push({
      level: 'warning',
      code: 'ambiguous-date',
      message:
        'Dates such as 03/04/2024 could be day/month or month/day; month/day was assumed, so change the timestamp format if that is wrong.',
    });
  }
  if (zoneless && format !== 'epoch-s' && format !== 'epoch-ms') {
    notices.push({
      level: 'info',
      code: 'utc-assumed',
      message: 'Some timestamps carry no time zone; they are read as UTC.',
    });
  }
  return notices;
}
