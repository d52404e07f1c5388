/**
 * Seeded generators of hostile inputs, for the fuzz suite in `npm test`
 * (src/core/fuzz/fuzz.test.ts, a few hundred inputs) and the long campaign
 * (`npm run bench -- fuzz`, bench/fuzz.ts, tens of thousands):
 *
 * - {@link csvCase}: interaction files, as mutations of a valid `user,item,timestamp[,rating]`
 *   table. Structural mutations keep every record a record (odd numbers and dates, unicode and
 *   quoted ids, blank lines, duplicates, huge fields, wrong field counts, BOMs, many rows) and
 *   say how many data rows and blank lines the file has; destructive ones do not (random bytes,
 *   quotes in odd places, unterminated quotes, mixed delimiters and line endings, NULs, very
 *   long lines, invalid UTF-8, truncation, binary garbage, empty files).
 * - {@link modelCase}: model files, as mutations of valid `model.json` + `weights.bin` pairs
 *   (truncated or padded weights, flipped bytes, wrong shapes and dtypes, huge declared sizes,
 *   wrong JSON types, missing fields, `__proto__` keys, deeply nested JSON, broken JSON text).
 * - {@link cellCase}: rows of CSV cells (formula starters, quotes, line breaks, unicode with
 *   lone surrogates, plain and odd numbers).
 *
 * Case `i` of seed `s` draws from its own stream (`csv:i`, `model:i`, `cell:i`), so any one
 * input can be rebuilt from (seed, index) alone, whatever was generated before it.
 */
import type { Delimiter, ParseOptions, TimestampFormat } from '../data/types';
import { SeededRandom } from '../random';

/** The seed of the fuzz suite in `npm test` (the campaign takes `--seed`). */
export const FUZZ_SEED = 20_261_203;

const encoder = new TextEncoder();
/** Decodes UTF-8 as written, a leading U+FEFF included (the default decoder drops it). */
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

// ---------------------------------------------------------------------------------------------
// Pools of awkward text

/** Timestamps in every shape a log may hold, and several no parser should accept. */
export const ODD_TIMES: readonly string[] = [
  '1700000000',
  '1700000000.5',
  '1700000000123',
  '0',
  '-0',
  '-1',
  '+1700000000',
  ' 1700000000 ',
  '1e9',
  '1E9',
  '1e400',
  '-1e400',
  '1e-400',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '0b101',
  '1_700_000_000',
  '1,700,000,000',
  '9007199254740993',
  '99999999999999999999999999',
  '١٧٠٠٠٠٠٠٠٠',
  '１７００００００００',
  '2024-01-31T13:45:07Z',
  '2024-01-31T13:45:07.123+05:30',
  '2024-01-31T13:45:07',
  '2024-01-31',
  '2024-02-30',
  '2024-13-01',
  '2024-01-31T25:61:61Z',
  '0000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '+275760-09-13T00:00:00.001Z',
  '-000001-01-01T00:00:00Z',
  '2024-W05-3',
  '20240131T134507Z',
  '2024/01/31 13:45',
  '2024-01-31 13:45:07',
  '31/01/2024',
  '01/31/2024 13:45:07',
  '31/01/2024 13:45',
  '12/12/2024',
  '31.01.2024',
  'Jan 31, 2024',
  'Wed, 31 Jan 2024 13:45:07 GMT',
  '2024年1月31日',
  'yesterday',
  '',
  ' ',
  '"',
];

/** Ratings and other numbers: plain, huge, tiny, signed, localised, formula-like. */
export const ODD_NUMBERS: readonly string[] = [
  '4',
  '4.5',
  '-1',
  '-0',
  '+3',
  '.5',
  '5.',
  '1e400',
  '-1e400',
  '1e-400',
  '3.4e38',
  '3.5e38',
  '-3.5e38',
  '340282356779733661637539395458142568448',
  'NaN',
  'Infinity',
  '0x10',
  '1,5',
  '4,5',
  '1 000',
  '½',
  '٣',
  '1n',
  '--1',
  '=1+1',
  '@SUM(A1)',
  "-2+3+cmd|' /C calc'!A0",
  '',
];

/** Ids with characters from many scripts, invisible ones, and ones that look like nothing. */
const UNICODE_IDS: readonly string[] = [
  'ü',
  'naïve',
  '用户',
  'ユーザー',
  'مستخدم',
  '\u202eevil\u202c',
  'a\u200db',
  'e\u0301',
  '😀',
  '👩‍👩‍👧',
  '\ufeffbom',
  '\ufeff',
  'line\u2028sep',
  '\u00a0nbsp\u00a0',
  'tab\tin',
  'ctrl\u0001',
  '=cmd',
  '+1',
  '-1',
  '@x',
];

/** Ids that must be quoted: delimiters, quotes, line breaks, edge white space. */
const QUOTED_IDS: readonly string[] = [
  'a,b',
  'a;b',
  'a|b',
  'a::b',
  'a\tb',
  'say "hi"',
  '"',
  '""',
  'two\nlines',
  'two\r\nlines',
  'cr\ronly',
  ' padded ',
  ',',
  '\n',
];

/** Bytes that are not UTF-8: a lone continuation, overlong forms, surrogates, too-high code points. */
const INVALID_UTF8: readonly number[][] = [
  [0x80],
  [0xc3, 0x28],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xff],
  [0xe9],
  [0xf0, 0x9f, 0x98],
];

const BOM = [0xef, 0xbb, 0xbf];

// ---------------------------------------------------------------------------------------------
// CSV cases

export interface CsvCase {
  index: number;
  /** The mutations applied, joined by `+` (for reports and histograms). */
  kind: string;
  bytes: Uint8Array;
  /** Explicit options (as a user's edited mapping would be), or null to detect. */
  options: ParseOptions | null;
  sliceBytes?: number;
  maxBytes?: number;
  /** Start the load with an already-aborted signal. */
  aborted?: boolean;
  /**
   * Known when only structural mutations were applied and options are explicit: every record
   * is still a record, so the report's counts are known in advance.
   */
  expected: { dataRows: number; blankLines: number } | null;
}

const TIME_FORMATS: readonly Exclude<TimestampFormat, 'none'>[] = [
  'epoch-s',
  'epoch-ms',
  'iso-8601',
  'ymd-datetime',
  'dmy-datetime',
  'mdy-datetime',
];

const pad2 = (n: number) => String(n).padStart(2, '0');

function formatTime(ms: number, format: Exclude<TimestampFormat, 'none'>): string {
  const d = new Date(ms);
  const ymd = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const hms = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  const day = pad2(d.getUTCDate());
  const month = pad2(d.getUTCMonth() + 1);
  switch (format) {
    case 'epoch-s':
      return String(Math.floor(ms / 1000));
    case 'epoch-ms':
      return String(ms);
    case 'iso-8601':
      return d.toISOString();
    case 'ymd-datetime':
      return `${ymd} ${hms}`;
    case 'dmy-datetime':
      return `${day}/${month}/${d.getUTCFullYear()} ${hms}`;
    case 'mdy-datetime':
      return `${month}/${day}/${d.getUTCFullYear()}`;
  }
}

/** Quotes a field when the reader needs it to (or, sometimes, when it does not). */
function quoteField(field: string, delimiter: string, rng: SeededRandom): string {
  const needs =
    /["\r\n]/.test(field) ||
    [...delimiter].some((c) => field.includes(c)) ||
    field !== field.trim();
  return needs || rng.chance(0.03) ? `"${field.replaceAll('"', '""')}"` : field;
}

function randomWord(rng: SeededRandom, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCharCode(97 + rng.int(0, 25));
  return out;
}

/** Random text of `length` UTF-16 units: mostly ASCII, some other scripts and symbols. */
export function randomText(rng: SeededRandom, length: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < length) {
    const r = rng.next();
    let c: string;
    if (r < 0.7) c = String.fromCharCode(rng.int(0x20, 0x7e));
    else if (r < 0.8) c = rng.pick(['"', ',', ';', '|', '\t', '\n', '\r', ' ', ':']);
    else if (r < 0.9) c = String.fromCodePoint(rng.int(0xa0, 0x2fff));
    else if (r < 0.97) c = String.fromCodePoint(rng.int(0x1f300, 0x1f6ff));
    else c = String.fromCharCode(rng.int(0, 0x1f));
    parts.push(c);
    size += c.length;
  }
  return parts.join('');
}

export function randomBytes(rng: SeededRandom, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.int(0, 255);
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Inserts `insert` at `count` random positions of `bytes`. */
function insertAt(
  bytes: Uint8Array,
  rng: SeededRandom,
  count: number,
  insert: () => number[],
): Uint8Array {
  const positions = Array.from({ length: count }, () => rng.int(0, bytes.length)).sort(
    (a, b) => a - b,
  );
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const p of positions) {
    parts.push(bytes.subarray(from, p), Uint8Array.from(insert()));
    from = p;
  }
  parts.push(bytes.subarray(from));
  return concatBytes(parts);
}

const STRUCTURAL = [
  'odd-times',
  'odd-values',
  'unicode-ids',
  'quoted-ids',
  'blank-lines',
  'duplicates',
  'huge-field',
  'field-count',
  'bom',
  'many-rows',
  'only-header',
  'none',
] as const;
type Structural = (typeof STRUCTURAL)[number];

const DESTRUCTIVE = [
  'random-bytes',
  'insert-quotes',
  'unterminated-quote',
  'quote-run',
  'mixed-delimiters',
  'line-endings',
  'nul',
  'late-nul',
  'foreign-breaks',
  'long-line',
  'truncate',
  'bom-anywhere',
  'invalid-utf8',
  'latin1',
  'binary',
  'empty',
  'utf16',
] as const;
type Destructive = (typeof DESTRUCTIVE)[number];

/** The table before serialisation: a header, rows of fields, and how it is written. */
interface Table {
  delimiter: Delimiter;
  newline: '\n' | '\r\n' | '\r';
  header: string[] | null;
  rows: string[][];
  /** Blank lines (empty or spaces only) to write before data row `k` (never before the first record). */
  blanksBefore: Map<number, string>;
  finalNewline: boolean;
  bom: boolean;
  format: Exclude<TimestampFormat, 'none'>;
  rating: boolean;
}

/** `count` rows of `user, item, time[, rating]`, times increasing from a random start. */
function makeRows(
  rng: SeededRandom,
  count: number,
  format: Exclude<TimestampFormat, 'none'>,
  rating: boolean,
): string[][] {
  const users = rng.int(1, Math.max(1, Math.ceil(count / 3)));
  const items = rng.int(1, Math.max(1, Math.ceil(count / 2)));
  let ms = Date.UTC(2015, 0, 1) + rng.int(0, 3000) * 86_400_000;
  const out: string[][] = [];
  for (let k = 0; k < count; k++) {
    ms += rng.int(1, 90_000) * 1000;
    const row = [`u${rng.int(0, users - 1)}`, `i${rng.int(0, items - 1)}`, formatTime(ms, format)];
    if (rating) row.push(String(rng.int(1, 10) / 2));
    out.push(row);
  }
  return out;
}

function baseTable(rng: SeededRandom, rows: number): Table {
  const delimiter = rng.pick<Delimiter>([',', ',', ',', '\t', ';', '|', '::']);
  const rating = rng.chance(0.5);
  const format = rng.pick(TIME_FORMATS);
  return {
    delimiter,
    newline: rng.pick(['\n', '\n', '\r\n', '\r'] as const),
    header: rng.chance(0.75) ? ['user', 'item', 'timestamp', ...(rating ? ['rating'] : [])] : null,
    rows: makeRows(rng, rows, format, rating),
    blanksBefore: new Map(),
    finalNewline: rng.chance(0.8),
    bom: false,
    format,
    rating,
  };
}

function applyStructural(table: Table, kind: Structural, rng: SeededRandom): void {
  const { rows } = table;
  const someRows = (share: number) =>
    rows.map((_, k) => k).filter(() => rng.chance(share)) as number[];
  switch (kind) {
    case 'odd-times':
      for (const k of someRows(0.4)) rows[k][2] = rng.pick(ODD_TIMES);
      return;
    case 'odd-values':
      if (table.rating) for (const k of someRows(0.4)) rows[k][3] = rng.pick(ODD_NUMBERS);
      else for (const k of someRows(0.3)) rows[k][2] = rng.pick(ODD_NUMBERS);
      return;
    case 'unicode-ids':
      for (const k of someRows(0.4)) rows[k][rng.int(0, 1)] = rng.pick(UNICODE_IDS);
      return;
    case 'quoted-ids':
      // Line breaks inside quotes are the file's own here ('foreign-breaks' mixes them: newline
      // detection counts the line breaks inside quoted fields too, so a CR file whose fields hold
      // more LFs than it has lines is read as an LF file).
      for (const k of someRows(0.4)) {
        rows[k][rng.int(0, 1)] = rng.pick(QUOTED_IDS).replace(/\r\n|\r|\n/g, table.newline);
      }
      return;
    case 'blank-lines':
      for (const k of someRows(0.2)) {
        if (k > 0 || table.header) table.blanksBefore.set(k, rng.pick(['', ' ', '   ']));
      }
      return;
    case 'duplicates':
      if (rows.length === 0) return;
      for (let n = rng.int(1, 5); n > 0; n--) {
        rows.splice(rng.int(0, rows.length), 0, [...rows[rng.int(0, rows.length - 1)]]);
      }
      return;
    case 'huge-field': {
      if (rows.length === 0) return;
      const size = rng.chance(0.7) ? rng.int(1000, 20_000) : rng.int(20_000, 300_000);
      const text = rng.chance(0.5) ? randomWord(rng, 64).repeat(size / 64) : randomText(rng, size);
      // Only the file's own line break inside the (quoted) field, as in 'quoted-ids'.
      rows[rng.int(0, rows.length - 1)][rng.int(0, 2)] = text.replace(/\r\n|\r|\n/g, table.newline);
      return;
    }
    case 'field-count':
      for (const k of someRows(0.2)) {
        if (rng.chance(0.5)) rows[k].push(rng.pick(['', 'extra', '1']));
        else if (rows[k].length > 2) rows[k].pop();
      }
      return;
    case 'bom':
      table.bom = true;
      return;
    case 'many-rows':
      rows.push(...makeRows(rng, rng.int(500, 3000), table.format, table.rating));
      return;
    case 'only-header':
      rows.length = 0;
      table.blanksBefore.clear();
      return;
    case 'none':
      return;
  }
}

function serialise(table: Table, rng: SeededRandom): string {
  const { delimiter, newline } = table;
  const lines: string[] = [];
  if (table.header) lines.push(table.header.join(delimiter));
  table.rows.forEach((row, k) => {
    const blank = table.blanksBefore.get(k);
    if (blank !== undefined) lines.push(blank);
    lines.push(row.map((f) => quoteField(f, delimiter, rng)).join(delimiter));
  });
  return lines.join(newline) + (table.finalNewline && lines.length > 0 ? newline : '');
}

function tableOptions(table: Table): ParseOptions {
  return {
    delimiter: table.delimiter,
    hasHeader: table.header !== null,
    encoding: 'utf-8',
    timestampFormat: table.format,
    mapping: {
      user: 0,
      item: 1,
      timestamp: 2,
      action: null,
      value: table.rating ? 3 : null,
      category: null,
      title: null,
    },
  };
}

function applyDestructive(
  bytes: Uint8Array,
  kind: Destructive,
  table: Table,
  rng: SeededRandom,
): Uint8Array {
  const ascii = (s: string) => Array.from(encoder.encode(s));
  const few = () => rng.int(1, Math.max(1, Math.min(20, Math.ceil(bytes.length / 200))));
  switch (kind) {
    case 'random-bytes': {
      const out = bytes.slice();
      for (let n = few(); n > 0 && out.length > 0; n--)
        out[rng.int(0, out.length - 1)] = rng.int(0, 255);
      return out;
    }
    case 'insert-quotes':
      return insertAt(bytes, rng, few(), () => ascii(rng.pick(['"', '""', '"""', '" ', ' "'])));
    case 'unterminated-quote': {
      // A quote at the start of a random line (or field) that never closes.
      const nl = table.newline === '\r' ? 13 : 10;
      const starts = [0];
      for (let i = 0; i < bytes.length; i++) if (bytes[i] === nl) starts.push(i + 1);
      const at = rng.pick(starts);
      return concatBytes([bytes.subarray(0, at), Uint8Array.of(34), bytes.subarray(at)]);
    }
    case 'quote-run': {
      const run = `"${'a"'.repeat(rng.int(10, rng.chance(0.9) ? 2000 : 100_000))}`;
      return insertAt(bytes, rng, 1, () => ascii(run));
    }
    case 'mixed-delimiters': {
      const text = decoder.decode(bytes);
      const others = [',', ';', '\t', '|', '::', ', ', ' '];
      const out = text
        .split(table.delimiter)
        .reduce(
          (acc, part, i) =>
            i === 0 ? part : acc + (rng.chance(0.3) ? rng.pick(others) : table.delimiter) + part,
          '',
        );
      return encoder.encode(out);
    }
    case 'line-endings': {
      const text = decoder.decode(bytes);
      const out = text
        .split(/\r\n|\r|\n/)
        .reduce(
          (acc, part, i) => (i === 0 ? part : acc + rng.pick(['\n', '\r\n', '\r', '\n\r']) + part),
          '',
        );
      return encoder.encode(out);
    }
    case 'nul':
      return insertAt(bytes, rng, few(), () => new Array(rng.int(1, 4)).fill(0));
    case 'late-nul': {
      // Past the first megabyte, where detection does not look.
      const filler = encoder.encode(
        `u0${table.delimiter}i0${table.delimiter}${table.rows[0]?.[2] ?? '1700000000'}${table.rating ? `${table.delimiter}3` : ''}${table.newline}`,
      );
      const copies = Math.ceil((1.1 * 1024 * 1024) / Math.max(1, filler.length));
      const big = new Uint8Array(filler.length * copies);
      for (let c = 0; c < copies; c++) big.set(filler, c * filler.length);
      return concatBytes([big, insertAt(bytes, rng, few(), () => [0])]);
    }
    case 'foreign-breaks': {
      // Rows whose quoted ids hold other line breaks than the file's (CR files with LF inside).
      const nl = table.newline === '\r' ? 13 : 10;
      const starts = [0];
      for (let i = 0; i < bytes.length; i++) if (bytes[i] === nl) starts.push(i + 1);
      const d = table.delimiter;
      let out = bytes;
      for (let n = rng.int(1, 6); n > 0; n--) {
        const at = Math.min(out.length, rng.pick(starts));
        const br = rng.pick(['\n', '\r\n', '\r', '\n\n']);
        const row = `"a${br}b"${d}i0${d}1700000000${table.rating ? `${d}3` : ''}${table.newline}`;
        out = concatBytes([out.subarray(0, at), encoder.encode(row), out.subarray(at)]);
      }
      return out;
    }
    case 'long-line': {
      const size = rng.chance(0.8) ? rng.int(10_000, 60_000) : rng.int(60_000, 600_000);
      const line = rng.chance(0.5)
        ? `${randomWord(rng, 7)}${table.delimiter}`.repeat(size / 8)
        : randomText(rng, size);
      const nl = ascii(table.newline);
      return insertAt(bytes, rng, 1, () => [...nl, ...encoder.encode(line), ...nl]);
    }
    case 'truncate':
      return bytes.subarray(0, rng.int(0, bytes.length));
    case 'bom-anywhere':
      return rng.chance(0.5)
        ? concatBytes([Uint8Array.from([...BOM, ...BOM]), bytes])
        : insertAt(bytes, rng, few(), () => BOM);
    case 'invalid-utf8':
      return insertAt(bytes, rng, few(), () => rng.pick(INVALID_UTF8));
    case 'latin1': {
      // The same text written as single bytes (é = 0xE9), as old exports are.
      const text = decoder.decode(bytes);
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
      return insertAt(out, rng, few(), () => [rng.int(0xa0, 0xff)]);
    }
    case 'binary':
      return rng.chance(0.8)
        ? randomBytes(rng, rng.int(1, 20_000))
        : concatBytes([
            rng.pick([
              Uint8Array.of(0x50, 0x4b, 3, 4),
              Uint8Array.of(0x1f, 0x8b, 8),
              Uint8Array.of(0x50, 0x41, 0x52, 0x31),
            ]),
            randomBytes(rng, rng.int(0, 5000)),
          ]);
    case 'empty':
      return encoder.encode(rng.pick(['', ' ', '\n', '\r\n\r\n', '   \n \n', '\ufeff', ',', '"']));
    case 'utf16': {
      const text = decoder.decode(bytes);
      const out = new Uint8Array(2 + text.length * 2);
      out[0] = 0xff;
      out[1] = 0xfe;
      for (let i = 0; i < text.length; i++) {
        out[2 + 2 * i] = text.charCodeAt(i) & 0xff;
        out[3 + 2 * i] = text.charCodeAt(i) >> 8;
      }
      return out;
    }
  }
}

/** Case `index` of the CSV fuzz with `seed` (see the module comment). */
export function csvCase(seed: number, index: number): CsvCase {
  const rng = new SeededRandom(seed, `csv:${index}`);
  const table = baseTable(rng, rng.chance(0.1) ? 0 : rng.int(1, 60));
  const kinds: string[] = [];
  for (let n = rng.int(1, 3); n > 0; n--) {
    const kind = rng.pick(STRUCTURAL);
    applyStructural(table, kind, rng);
    kinds.push(kind);
  }
  const text = serialise(table, rng);
  let bytes: Uint8Array = encoder.encode(text);
  if (table.bom) bytes = concatBytes([Uint8Array.from(BOM), bytes]);
  const destructive = rng.chance(0.55);
  if (destructive) {
    for (let n = rng.int(1, 3); n > 0; n--) {
      let kind = rng.pick(DESTRUCTIVE);
      // A megabyte each: rarer than the rest, so the suite stays in seconds.
      while (kind === 'late-nul' && rng.chance(0.8)) kind = rng.pick(DESTRUCTIVE);
      bytes = applyDestructive(bytes, kind, table, rng);
      kinds.push(kind);
    }
  }
  const explicit = rng.chance(destructive ? 0.3 : 0.8);
  const dataRows = table.rows.length;
  const out: CsvCase = {
    index,
    kind: kinds.join('+'),
    bytes,
    options: explicit ? tableOptions(table) : null,
    expected: explicit && !destructive ? { dataRows, blankLines: table.blanksBefore.size } : null,
  };
  const slice = rng.next();
  if (slice < 0.3) out.sliceBytes = rng.int(1, 64);
  else if (slice < 0.4) out.sliceBytes = rng.int(65, 4096);
  if (rng.chance(0.03)) out.maxBytes = rng.int(0, bytes.length);
  if (rng.chance(0.02)) out.aborted = true;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Model file cases

export interface ModelFiles {
  modelJson: string;
  weightsBin: Uint8Array;
}

export interface ModelBase {
  name: string;
  files: ModelFiles;
}

export interface ModelCase extends ModelFiles {
  index: number;
  base: string;
  kind: string;
}

// biome-ignore lint/suspicious/noExplicitAny: the fuzzer edits arbitrary JSON
export type Json = any;

/** Placeholder replaced by deeply nested JSON text after `JSON.stringify` (which recurses). */
export const DEEP = '\u0000deep\u0000';

/** Every [container, key] of the parsed JSON, depth first. */
export function slots(root: Json): [Json, string | number][] {
  const out: [Json, string | number][] = [];
  const stack: Json[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      // Long arrays (item ids, curves) would swamp the choice: a few of their entries do.
      const n = node.length;
      for (const i of n > 8 ? [0, 1, n - 1] : node.keys()) {
        out.push([node, i]);
        stack.push(node[i]);
      }
    } else if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) {
        out.push([node, key]);
        stack.push(node[key]);
      }
    }
  }
  return out;
}

export function randomJsonValue(rng: SeededRandom): Json {
  switch (rng.int(0, 12)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 1.5, -0, 1e9, 2 ** 31, 2 ** 53 + 2, 1e308, 5e-324]);
    case 3:
      return rng.pick(['', 'x', '1', 'NaN', '__proto__', 'float32', 'int32', 'gru', 'twotower']);
    case 4:
      return [];
    case 5:
      return {};
    case 6:
      return [rng.int(0, 100), 'a', null];
    case 7:
      return { __proto__: null, polluted: true };
    case 8:
      return DEEP;
    case 9:
      return randomText(rng, rng.int(0, 40));
    case 10:
      return Array.from({ length: rng.int(0, 5) }, () => rng.int(-2, 40));
    case 11:
      return rng.int(-5, 100);
    default:
      return JSON.parse(
        '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}',
      );
  }
}

export function deepJson(rng: SeededRandom): string {
  const depth = rng.chance(0.8) ? rng.int(100, 5000) : rng.int(5000, 200_000);
  return rng.chance(0.5)
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const MODEL_JSON_MUTATIONS = [
  'delete-field',
  'wrong-type',
  'huge-number',
  'declared-size',
  'shape',
  'dtype',
  'manifest',
  'proto-keys',
  'deep-nesting',
  'item-ids',
  'version',
  'model-id',
  'hyper',
] as const;

const MODEL_BYTES_MUTATIONS = [
  'weights-truncate',
  'weights-extend',
  'weights-flip',
  'weights-nan',
  'weights-empty',
  'json-truncate',
  'json-flip',
  'json-garbage',
  'json-bom',
] as const;

const asObject = (value: Json): Json | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;

/** Applies one JSON-level mutation to the parsed model.json. */
function mutateModelJson(
  json: Json,
  kind: (typeof MODEL_JSON_MUTATIONS)[number],
  rng: SeededRandom,
) {
  // Earlier mutations may have turned any of these into a string, a number or null.
  const meta = asObject(json?.userDefinedMetadata?.interestLens);
  const record = asObject(meta?.record);
  const group = asObject(json?.weightsManifest?.[0]);
  const list: Json[] | null = Array.isArray(group?.weights) ? group.weights : null;
  const specs: Json[] = (list ?? []).filter((spec) => asObject(spec) !== null);
  const all = slots(json);
  const pickSlot = () => (all.length > 0 ? rng.pick(all) : null);
  switch (kind) {
    case 'delete-field': {
      const slot = pickSlot();
      if (!slot) return;
      const [parent, key] = slot;
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      return;
    }
    case 'wrong-type': {
      const slot = pickSlot();
      if (slot) slot[0][slot[1]] = randomJsonValue(rng);
      return;
    }
    case 'huge-number': {
      const numeric = all.filter(([p, k]) => typeof p[k] === 'number');
      if (numeric.length === 0) return;
      const [p, k] = rng.pick(numeric);
      p[k] = rng.pick([1e9, 2 ** 31, 2 ** 32 + 1, 2 ** 53 + 2, 1e308, -1, 0, 1.5, -0, 1e-300]);
      return;
    }
    case 'declared-size': {
      if (!meta) return;
      const big = rng.pick([1e5, 1e6, 5e6, 1e9, 2 ** 31, 2 ** 53]);
      const field = rng.pick([
        'numItems',
        'dim',
        'maxLen',
        'numCategories',
        'titleBuckets',
        'heads',
        'blocks',
      ]);
      const hyper = asObject(record?.hyper);
      const features = asObject(meta.features);
      if (field === 'numItems') meta.numItems = big;
      else if (field === 'numCategories' || field === 'titleBuckets') {
        if (features) features[field] = big;
      } else if (hyper) hyper[field] = rng.chance(0.5) ? big : rng.int(1, 4096);
      return;
    }
    case 'shape': {
      if (specs.length === 0) return;
      const spec = rng.pick(specs);
      const shape: number[] = Array.isArray(spec.shape) ? spec.shape : [];
      spec.shape = rng.pick([
        [...shape].reverse(),
        shape.map((d) => d + 1),
        shape.map((d) => Math.max(0, d - 1)),
        [],
        [0],
        [1e9, 8],
        [2 ** 31, 2 ** 31],
        [-1, 8],
        [1.5],
        ['8'],
        null,
        [...shape, 1],
        shape.slice(1),
      ]);
      return;
    }
    case 'dtype': {
      if (specs.length === 0) return;
      const spec = rng.pick(specs);
      if (rng.chance(0.2)) spec.quantization = { dtype: 'uint8', scale: 1, min: 0 };
      else
        spec.dtype = rng.pick([
          'int32',
          'float32',
          'float16',
          'bool',
          'string',
          'complex64',
          null,
          7,
        ]);
      return;
    }
    case 'manifest': {
      if (!group || !list) return;
      switch (rng.int(0, 5)) {
        case 0:
          if (specs.length > 0) list.push({ ...rng.pick(specs) });
          return;
        case 1:
          if (list.length > 0) list.splice(rng.int(0, list.length - 1), 1);
          return;
        case 2:
          list.reverse();
          return;
        case 3:
          json.weightsManifest.push({ paths: ['other.bin'], weights: [] });
          return;
        case 4:
          group.paths = rng.pick([[], ['a.bin', 'b.bin'], [7], 'weights.bin']);
          return;
        default:
          if (specs.length > 0)
            rng.pick(specs).name = rng.pick(['', 'features/categories', 'x', '__proto__']);
          return;
      }
    }
    case 'proto-keys': {
      const objects = [json, ...all.map(([p, k]) => p[k])].filter(
        (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
      );
      const target = rng.pick(objects.length > 0 ? objects : [json]);
      if (target === null || typeof target !== 'object') return;
      const key = rng.pick(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString']);
      Object.defineProperty(target, key, {
        value: JSON.parse('{"polluted": true, "__proto__": {"polluted": true}}'),
        enumerable: true,
        configurable: true,
        writable: true,
      });
      return;
    }
    case 'deep-nesting': {
      const slot = pickSlot();
      if (slot) slot[0][slot[1]] = DEEP;
      else return;
      return;
    }
    case 'item-ids': {
      if (!meta || !Array.isArray(meta.itemIds)) return;
      const ids: Json[] = meta.itemIds;
      switch (rng.int(0, 4)) {
        case 0:
          if (ids.length > 1) ids[1] = ids[0];
          return;
        case 1:
          meta.itemIds = ids.map((id: Json) => `other-${id}`);
          return;
        case 2:
          ids.reverse();
          return;
        case 3:
          ids.pop();
          return;
        default:
          ids[rng.int(0, Math.max(0, ids.length - 1))] = rng.pick([null, 7, '', '__proto__', {}]);
          return;
      }
    }
    case 'version':
      if (meta) meta.version = rng.pick([0, 2, '1', 1.5, null, -1, 1e9]);
      return;
    case 'model-id':
      if (record)
        record.modelId = rng.pick([
          'pop',
          'itemknn',
          'gru',
          'sasrec',
          'din',
          'weighted',
          'twotower',
          'ncf',
          'layered',
          'nope',
          '__proto__',
          'constructor',
          '',
          7,
        ]);
      return;
    case 'hyper': {
      const hyper = asObject(record?.hyper);
      if (!hyper) return;
      const key = rng.pick([
        'dim',
        'maxLen',
        'dropout',
        'heads',
        'blocks',
        'neighbours',
        'pooling',
        'loss',
        'zzz',
        '__proto__',
      ]);
      const value = rng.pick<Json>([0, -1, 1.5, 1e9, 'all', 'mean', 'x', true, 2 ** 53, 3]);
      Object.defineProperty(hyper, key, {
        value,
        enumerable: true,
        configurable: true,
        writable: true,
      });
      return;
    }
  }
}

function mutateModelBytes(
  files: ModelFiles,
  kind: (typeof MODEL_BYTES_MUTATIONS)[number],
  rng: SeededRandom,
): ModelFiles {
  const { modelJson, weightsBin } = files;
  switch (kind) {
    case 'weights-truncate':
      return {
        modelJson,
        weightsBin: weightsBin.slice(0, rng.int(0, Math.max(0, weightsBin.length - 1))),
      };
    case 'weights-extend':
      return { modelJson, weightsBin: concatBytes([weightsBin, randomBytes(rng, rng.int(1, 64))]) };
    case 'weights-flip': {
      const out = weightsBin.slice();
      for (let n = rng.int(1, 8); n > 0 && out.length > 0; n--)
        out[rng.int(0, out.length - 1)] = rng.int(0, 255);
      return { modelJson, weightsBin: out };
    }
    case 'weights-nan': {
      const out = weightsBin.slice();
      const at = rng.int(0, Math.max(0, Math.floor(out.length / 4) - 1)) * 4;
      out.set([0x00, 0x00, 0xc0, 0x7f].slice(0, Math.max(0, out.length - at)), at);
      return { modelJson, weightsBin: out };
    }
    case 'weights-empty':
      return { modelJson, weightsBin: new Uint8Array(0) };
    case 'json-truncate':
      return { modelJson: modelJson.slice(0, rng.int(0, modelJson.length)), weightsBin };
    case 'json-flip': {
      const chars = [...modelJson];
      for (let n = rng.int(1, 5); n > 0 && chars.length > 0; n--) {
        chars[rng.int(0, chars.length - 1)] = rng.pick([
          '"',
          '{',
          '}',
          '[',
          ']',
          ',',
          ':',
          '\\',
          '0',
          'x',
          '\u0000',
          '\ud800',
        ]);
      }
      return { modelJson: chars.join(''), weightsBin };
    }
    case 'json-garbage':
      return {
        modelJson: rng.pick([
          '',
          'null',
          '[]',
          '"model"',
          '0',
          '{}',
          ' '.repeat(rng.int(1, 10_000)),
          randomText(rng, rng.int(1, 2000)),
          '{"modelTopology": {}, "weightsManifest": []}',
          '{"userDefinedMetadata": {"interestLens": {"format": "interest-lens-model"}}}',
        ]),
        weightsBin,
      };
    case 'json-bom':
      return { modelJson: `\ufeff${modelJson}`, weightsBin };
  }
}

/**
 * Case `index` of the model-file fuzz with `seed`: one of `bases`, with one to three
 * mutations (JSON edits, then byte-level ones). About 1 in 12 cases is left unmutated (the
 * file must then load).
 */
export function modelCase(seed: number, index: number, bases: readonly ModelBase[]): ModelCase {
  const rng = new SeededRandom(seed, `model:${index}`);
  const base = rng.pick(bases);
  const kinds: string[] = [];
  let files: ModelFiles = base.files;
  if (!rng.chance(1 / 12)) {
    const json: Json = JSON.parse(files.modelJson);
    let edited = false;
    for (let n = rng.int(0, 2); n > 0; n--) {
      const kind = rng.pick(MODEL_JSON_MUTATIONS);
      mutateModelJson(json, kind, rng);
      kinds.push(kind);
      edited = true;
    }
    let modelJson = files.modelJson;
    if (edited) {
      modelJson = JSON.stringify(json);
      if (modelJson.includes(JSON.stringify(DEEP))) {
        modelJson = modelJson.replaceAll(JSON.stringify(DEEP), () => deepJson(rng));
      }
    }
    files = { modelJson, weightsBin: files.weightsBin };
    if (kinds.length === 0 || rng.chance(0.4)) {
      const kind = rng.pick(MODEL_BYTES_MUTATIONS);
      files = mutateModelBytes(files, kind, rng);
      kinds.push(kind);
    }
  }
  return {
    index,
    base: base.name,
    kind: kinds.length > 0 ? kinds.join('+') : 'unmutated',
    modelJson: files.modelJson,
    weightsBin: files.weightsBin,
  };
}

// ---------------------------------------------------------------------------------------------
// CSV cell cases

const CELL_PIECES: readonly string[] = [
  '=',
  '+',
  '-',
  '@',
  '\t',
  '\r',
  '\n',
  '\r\n',
  '"',
  '""',
  "'",
  ',',
  ';',
  ' ',
  '\u00a0',
  '\ufeff',
  '\u0000',
  '\u2028',
  '\u202e',
  '\ud800',
  '\udc00',
  '😀',
  'é',
  '日本',
  '1',
  '-1.5',
  '+3',
  '1e-3',
  '.5',
  '0x10',
  'Infinity',
  'NaN',
  'HYPERLINK("http://x")',
  "cmd|' /C calc'!A0",
  'SUM(A1:A9)',
  'a',
  'title',
];

const CELL_NUMBERS: readonly number[] = [
  0,
  -0,
  1,
  -1.5,
  1e-7,
  1e21,
  -1e21,
  5e-324,
  Number.MAX_VALUE,
  Number.MIN_SAFE_INTEGER,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1736121600,
  0.1 + 0.2,
];

/** One cell: text made of awkward pieces (often led by a formula starter), or a number. */
function cell(rng: SeededRandom): string | number {
  const r = rng.next();
  if (r < 0.15) return rng.pick(CELL_NUMBERS);
  if (r < 0.2) return rng.uniform(-1e6, 1e6);
  if (r < 0.3) return randomText(rng, rng.int(0, 30));
  const parts: string[] = [];
  if (rng.chance(0.5)) parts.push(rng.pick(['=', '+', '-', '@', '\t', '\r', ' ', '"']));
  for (let n = rng.int(0, 6); n > 0; n--) parts.push(rng.pick(CELL_PIECES));
  return parts.join('');
}

/** Row `index` of the cell fuzz with `seed`: 2 to 6 cells (two at least, so no line is empty). */
export function cellCase(seed: number, index: number): (string | number)[] {
  const rng = new SeededRandom(seed, `cell:${index}`);
  return Array.from({ length: rng.int(2, 6) }, () => cell(rng));
}

/** What a string becomes once written as UTF-8 (lone surrogates turn into U+FFFD). */
export function asUtf8(text: string): string {
  return decoder.decode(encoder.encode(text));
}
