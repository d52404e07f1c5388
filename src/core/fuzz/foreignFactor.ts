/**
 * The factor tables the foreign fuzz breaks (see ./foreignGenerators.ts): Parquet byte flips
 * (often in the footer), truncation, insertions and zeroed runs; CSV rows of junk, junk cells,
 * broken headers and lists, wrong widths, quotes, line breaks and invalid UTF-8; tables
 * dropped, added, swapped, renamed, doubled, of other ids or another rank; valid but extreme
 * ALS hyper-parameters.
 */

import type { NamedFile } from '../import/modelFiles';
import type { AlsParams } from '../import/types';
import type { SeededRandom } from '../random';
import { caseKind, flipBytes, insertBytes, junkText, textOf, utf8 } from './foreignMutate';
import type { FactorCase, ForeignBaseSet } from './foreignTypes';
import { concatBytes, randomBytes } from './generators';

const FACTOR_BYTE_MUTATIONS = [
  'table-truncate',
  'table-extend',
  'table-flip',
  'table-footer-flip',
  'table-zero-run',
  'table-insert',
  'table-empty',
  'table-magic',
] as const;

const CSV_MUTATIONS = [
  'csv-junk-row',
  'csv-cell',
  'csv-header',
  'csv-wide-row',
  'csv-long-cell',
  'csv-quotes',
  'csv-line-breaks',
  'csv-bom',
  'csv-invalid-utf8',
  'csv-list',
  'csv-duplicate-id',
  'csv-empty-id',
  'csv-only-header',
] as const;

const FACTOR_FILE_MUTATIONS = [
  'drop-table',
  'extra-table',
  'swap-names',
  'rename',
  'duplicate-table',
  'foreign-ids',
  'rank-mismatch',
] as const;

/** Cells no factor table should hold, and some that are odd but valid. */
const JUNK_CELLS: readonly string[] = [
  'NaN',
  'nan',
  'inf',
  '-Infinity',
  '1e39',
  '-3.5e38',
  '3.4e38',
  '1e-50',
  '',
  ' ',
  'abc',
  '0x10',
  '1,5',
  '1_000',
  '--1',
  '١',
  '[1, 2]',
  '"',
  '99999999999999999999999999999',
  '-0',
  '+.5',
  '5.',
  'null',
  'None',
  '\u0000',
];

const JUNK_ROWS = (id: string): string[] => [
  '',
  ',',
  ',,,,',
  'id,features',
  id,
  `${id},`,
  `${id},"[]"`,
  `${id},"[1, 2"`,
  `${id},[1 2 3 4]`,
  `${id},"[NaN, 0, 0, 0]"`,
  `${id},"[1e39, 0, 0, 0]"`,
  `${id},"[0.1; 0.2; 0.3; 0.4]"`,
  `,"[0, 0, 0, 0]"`,
  `"${id}",0,0,0,0`,
  `${id},0,0,0,0,0,0,0,0,0,0`,
  '"unterminated,0,0,0,0',
  `${id}\t0\t0\t0\t0`,
  '#comment',
];

function isParquetBytes(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x41 &&
    bytes[2] === 0x52 &&
    bytes[3] === 0x31
  );
}

function mutateCsv(
  text: string,
  kind: (typeof CSV_MUTATIONS)[number],
  rng: SeededRandom,
): Uint8Array {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r\n|\n/);
  const headed = /^\s*"?id"?\s*,/i.test(lines[0] ?? '');
  const first = headed ? 1 : 0;
  const row = () => rng.int(first, Math.max(first, lines.length - 1));
  const idOf = (line: string) => line.split(',')[0] ?? 'x';
  switch (kind) {
    case 'csv-junk-row': {
      const at = row();
      const junk = rng.chance(0.2)
        ? junkText(rng, rng.int(1, 200))
        : rng.pick(JUNK_ROWS(rng.chance(0.5) ? `new${at}` : idOf(lines[at] ?? '')));
      lines.splice(rng.int(first, lines.length), 0, junk);
      break;
    }
    case 'csv-cell': {
      const at = row();
      const numbers = [...(lines[at] ?? '').matchAll(/-?\d+(?:\.\d+)?(?:e-?\d+)?/gi)];
      if (numbers.length === 0) break;
      const m = rng.pick(numbers);
      const cell = rng.pick(JUNK_CELLS);
      lines[at] =
        `${lines[at].slice(0, m.index)}${cell}${lines[at].slice((m.index ?? 0) + m[0].length)}`;
      break;
    }
    case 'csv-header': {
      const header = rng.pick([
        'ID,features',
        'user,features',
        'id,id,features',
        'features,id',
        ' id ,features ',
        'id,f0,f1,f2,f3,extra',
        'id',
        'id,vector',
        '',
        'id;features',
        '"id","features"',
      ]);
      if (headed) lines[0] = header;
      else lines.unshift(header);
      break;
    }
    case 'csv-wide-row': {
      const at = row();
      const n = rng.pick([1025, 2000, 5, 3, 0]);
      const values = Array.from({ length: n }, () => '0.1');
      lines[at] = rng.chance(0.5)
        ? `${idOf(lines[at] ?? '')},"[${values.join(', ')}]"`
        : [idOf(lines[at] ?? ''), ...values].join(',');
      break;
    }
    case 'csv-long-cell': {
      const at = row();
      lines[at] = `${lines[at]}${'9'.repeat(rng.pick([1000, 100_000]))}`;
      break;
    }
    case 'csv-quotes': {
      const at = row();
      const pos = rng.int(0, (lines[at] ?? '').length);
      lines[at] = `${(lines[at] ?? '').slice(0, pos)}"${(lines[at] ?? '').slice(pos)}`;
      break;
    }
    case 'csv-line-breaks':
      return utf8(lines.map((l) => l + rng.pick(['\r', '\n', '\r\n', '\n\n', '\u2028'])).join(''));
    case 'csv-bom':
      return concatBytes([Uint8Array.of(0xef, 0xbb, 0xbf), utf8(text)]);
    case 'csv-invalid-utf8':
      return insertBytes(
        utf8(text),
        rng,
        rng.pick([
          Uint8Array.of(0xff),
          Uint8Array.of(0xc3, 0x28),
          Uint8Array.of(0xe9),
          Uint8Array.of(0x00),
        ]),
      );
    case 'csv-list': {
      const at = row();
      lines[at] = (lines[at] ?? '')
        .replace(/\[|\]/, rng.pick(['', '[[', ']]', '(', '{']))
        .replace(/, /, rng.pick([',', ' ', ';', ', , ']));
      break;
    }
    case 'csv-duplicate-id':
      if (lines.length > first) lines.push(lines[row()]);
      break;
    case 'csv-empty-id': {
      const at = row();
      lines[at] = (lines[at] ?? '').replace(/^[^,]*/, rng.pick(['', ' ', '""']));
      break;
    }
    case 'csv-only-header':
      return utf8(lines.slice(0, headed ? 1 : 0).join(newline));
  }
  return utf8(lines.join(newline));
}

function mutateTableBytes(
  bytes: Uint8Array,
  kind: (typeof FACTOR_BYTE_MUTATIONS)[number],
  rng: SeededRandom,
): Uint8Array {
  switch (kind) {
    case 'table-truncate':
      return bytes.slice(
        0,
        rng.chance(0.5) ? rng.int(0, bytes.length - 1) : Math.max(0, bytes.length - rng.int(1, 16)),
      );
    case 'table-extend':
      return concatBytes([
        bytes,
        rng.chance(0.5) ? randomBytes(rng, rng.int(1, 512)) : utf8('\n1,2,3\n'),
      ]);
    case 'table-flip':
      return flipBytes(bytes, rng, rng.int(1, 16));
    case 'table-footer-flip':
      // The Parquet footer (schema, row counts, offsets) is at the end.
      return flipBytes(
        bytes,
        rng,
        rng.int(1, 6),
        Math.max(0, bytes.length - rng.pick([8, 64, 256, 1024])),
      );
    case 'table-zero-run': {
      const out = bytes.slice();
      const at = rng.int(0, Math.max(0, out.length - 1));
      out.fill(0, at, Math.min(out.length, at + rng.int(1, 64)));
      return out;
    }
    case 'table-insert':
      return insertBytes(bytes, rng, randomBytes(rng, rng.int(1, 64)));
    case 'table-empty':
      return new Uint8Array(0);
    case 'table-magic':
      return isParquetBytes(bytes)
        ? concatBytes([utf8('id,'), bytes.subarray(4)])
        : concatBytes([utf8('PAR1'), bytes]);
  }
}

/** Valid but extreme ALS hyper-parameters (what a sidecar may give: finite, ≥ 0). */
function extremeParams(rng: SeededRandom): AlsParams | null {
  if (rng.chance(0.2)) return null;
  return {
    implicit: rng.chance(0.5),
    lambda: rng.pick([0, 1e-12, 0.01, 0.1, 10, 1e6, 1e30, 1e300]),
    alpha: rng.pick([0, 1, 40, 1e6, 1e30, 1e300]),
  };
}

export function factorCase(index: number, rng: SeededRandom, bases: ForeignBaseSet): FactorCase {
  const base = rng.pick(bases.factor);
  const kinds: string[] = [];
  let files = base.files;
  let params = base.params;
  const group = rng.next();
  if (group >= 1 / 12) {
    for (let n = rng.int(1, 2); n > 0; n--) {
      const which = files.length > 0 ? rng.next() : 0.5;
      const at = rng.int(0, Math.max(0, files.length - 1));
      const file = files[at];
      if (which < 0.45) {
        const parquet = isParquetBytes(file.bytes);
        if (!parquet && rng.chance(0.7)) {
          const kind = rng.pick(CSV_MUTATIONS);
          files = files.map((f, k) =>
            k === at ? { name: f.name, bytes: mutateCsv(textOf(f.bytes), kind, rng) } : f,
          );
          kinds.push(kind);
        } else {
          const kind = rng.pick(FACTOR_BYTE_MUTATIONS);
          files = files.map((f, k) =>
            k === at ? { name: f.name, bytes: mutateTableBytes(f.bytes, kind, rng) } : f,
          );
          kinds.push(kind);
        }
      } else if (which < 0.8) {
        const kind = rng.pick(FACTOR_FILE_MUTATIONS);
        files = mutateFactorFiles(files, kind, rng, bases);
        kinds.push(kind);
      } else {
        params = extremeParams(rng);
        kinds.push('params');
      }
    }
  }
  return {
    api: 'factor',
    index,
    base: base.name,
    kind: caseKind(kinds),
    mustLoad: kinds.length === 0,
    dataset: base.dataset,
    files,
    params,
  };
}

function mutateFactorFiles(
  files: NamedFile[],
  kind: (typeof FACTOR_FILE_MUTATIONS)[number],
  rng: SeededRandom,
  bases: ForeignBaseSet,
): NamedFile[] {
  const others = bases.factor.flatMap((b) => b.files);
  if (files.length === 0) return kind === 'extra-table' ? [rng.pick(others)] : files;
  switch (kind) {
    case 'drop-table':
      return files.length > 0 ? files.filter((_, k) => k !== rng.int(0, files.length - 1)) : files;
    case 'extra-table':
      return [...files, rng.pick(others)];
    case 'swap-names':
      return files.length === 2
        ? [
            { name: files[0].name, bytes: files[1].bytes },
            { name: files[1].name, bytes: files[0].bytes },
          ]
        : files;
    case 'rename':
      return files.map((f) =>
        rng.chance(0.6)
          ? {
              name: rng.pick([
                'factors.parquet',
                'user_factors.csv',
                'USERS.csv',
                'part-00000.snappy.parquet',
                'items',
                '',
                'userFactors/part-0.csv',
              ]),
              bytes: f.bytes,
            }
          : f,
      );
    case 'duplicate-table':
      return files.length > 0 ? [files[0], files[0]] : files;
    case 'foreign-ids': {
      // A table from other data: the same bytes with every id shifted (CSV), or another base's table.
      const at = rng.int(0, files.length - 1);
      const f = files[at];
      const bytes = isParquetBytes(f.bytes)
        ? rng.pick(others).bytes
        : utf8(
            textOf(f.bytes).replace(
              /^([a-z]*)(\d+)/gim,
              (_, p: string, d: string) => `${p}${Number(d) + 1000}`,
            ),
          );
      return files.map((g, k) => (k === at ? { name: g.name, bytes } : g));
    }
    case 'rank-mismatch': {
      const wider = others.filter((o) => !files.some((f) => f.bytes === o.bytes));
      if (wider.length === 0) return files;
      const at = rng.int(0, files.length - 1);
      return files.map((g, k) => (k === at ? { name: g.name, bytes: rng.pick(wider).bytes } : g));
    }
  }
}
