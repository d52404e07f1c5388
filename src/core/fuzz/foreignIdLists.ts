/**
 * The mapping sidecars and id lists the foreign fuzz breaks (see ./foreignGenerators.ts):
 * sidecar fields of the wrong type, huge maxLen, wrong padding ids and offsets, id mappings of
 * junk, missing id files, broken JSON; id lists with junk lines, huge or repeated indices, odd
 * line breaks and JSON lists of junk.
 */
import type { SeededRandom } from '../random';
import { caseKind, defineKey, junkText, literal, serialise } from './foreignMutate';
import type { ForeignBaseSet, IdFile, IdListCase } from './foreignTypes';
import { DEEP, type Json, randomJsonValue } from './generators';

export const SIDECAR_MUTATIONS = [
  'max-len',
  'padding',
  'pad-value',
  'output-offset',
  'id-mapping',
  'id-list-values',
  'kind',
  'input-name',
  'field-type',
  'drop-field',
  'missing-id-file',
  'proto-keys',
  'deep-nesting',
  'syntax',
  'garbage',
  'id-file',
] as const;

type SidecarMutation = (typeof SIDECAR_MUTATIONS)[number];

/** Applies one sidecar mutation: to the mapping object (returned as text) or to an id file. */
export function mutateSidecar(
  mapping: Json,
  idFiles: IdFile[],
  kind: SidecarMutation,
  rng: SeededRandom,
): { mapping: string; idFiles: IdFile[] } {
  let text: string | null = null;
  let files = idFiles;
  const idMapping = () =>
    rng.pick<Json>([
      'identity',
      { kind: 'identity' },
      {
        kind: 'offset',
        offset: rng.pick<Json>([
          1,
          -1,
          0,
          31,
          -31,
          1e9,
          -1e9,
          1.5,
          '1',
          literal('NaN'),
          2 ** 53 + 2,
          null,
        ]),
      },
      { kind: 'list', ids: listValues() },
      {
        kind: 'file',
        file: rng.pick(['item_ids.txt', 'nowhere.txt', '__proto__', 'constructor', '', 7]),
      },
      { kind: 'file' },
      { kind: 'list' },
      { kind: 'nope' },
      'offset',
      'list',
      7,
      null,
      [],
    ]);
  function listValues(): Json {
    return rng.pick<Json>([
      [],
      ['', '1', '2', '3'],
      Array.from({ length: 40 }, (_, k) => String(k)),
      [null, 1, 2, true, 3.5],
      ['', { toString: 1 }],
      ['', { valueOf: null, toString: null }],
      ['', [1, [2, [3]]]],
      ['', DEEP],
      ['', {}],
      'ids',
      null,
    ]);
  }
  switch (kind) {
    case 'max-len':
      mapping.maxLen = rng.pick<Json>([
        0,
        -1,
        1,
        7,
        9,
        8.5,
        '8',
        50,
        10_000,
        10_001,
        1e9,
        2 ** 53 + 2,
        literal('NaN'),
        literal('1e999'),
        null,
        true,
        [8],
      ]);
      break;
    case 'padding':
      mapping.padding = rng.pick<Json>(['right', 'left', 'middle', '', null, 0, ['left']]);
      break;
    case 'pad-value':
      mapping.padValue = rng.pick<Json>([
        0,
        1,
        -1,
        30,
        31,
        32,
        1e9,
        -1e9,
        0.5,
        '0',
        literal('NaN'),
        null,
        2 ** 53,
      ]);
      break;
    case 'output-offset':
      mapping.outputOffset = rng.pick<Json>([
        0,
        1,
        -1,
        2,
        31,
        32,
        -31,
        1e9,
        -1e9,
        0.5,
        '1',
        null,
        2 ** 53,
      ]);
      break;
    case 'id-mapping':
      mapping[rng.pick(['items', 'users'])] = idMapping();
      break;
    case 'id-list-values':
      mapping[rng.pick(['items', 'users'])] = { kind: 'list', ids: listValues() };
      break;
    case 'kind':
      mapping.kind = rng.pick<Json>(['history', 'ids', 'als', 'keras', '', null, 7]);
      break;
    case 'input-name': {
      const key = rng.pick(['input', 'userInput', 'itemInput']);
      mapping[key] = rng.pick<Json>([
        '',
        'nowhere',
        'user_id',
        'item_id',
        'ids',
        'item_embedding_input',
        null,
        7,
        {},
      ]);
      break;
    }
    case 'field-type': {
      const keys = Object.keys(mapping);
      if (keys.length > 0) mapping[rng.pick(keys)] = randomJsonValue(rng);
      break;
    }
    case 'drop-field': {
      const keys = Object.keys(mapping);
      if (keys.length > 0) delete mapping[rng.pick(keys)];
      break;
    }
    case 'missing-id-file':
      files = idFiles.length > 0 ? idFiles.slice(1) : idFiles;
      break;
    case 'proto-keys':
      defineKey(mapping, rng.pick(['__proto__', 'constructor', 'toString']), {
        polluted: true,
        kind: 'ids',
      });
      break;
    case 'deep-nesting': {
      const keys = Object.keys(mapping);
      if (keys.length > 0) mapping[rng.pick(keys)] = DEEP;
      break;
    }
    case 'syntax': {
      // Pretty-printed (as people write sidecars), then broken on one line.
      const lines = serialise(mapping, rng, true).split('\n');
      const at = rng.int(0, lines.length - 1);
      lines[at] = rng.pick([
        `${lines[at]},`,
        lines[at].replace(/"/, ''),
        `${lines[at]} // note`,
        `${lines[at]}x`,
        '}',
      ]);
      text = lines.join('\n');
      break;
    }
    case 'garbage':
      text = rng.pick([
        '',
        'null',
        '[]',
        '"history"',
        '0',
        ' ',
        '\ufeff{}',
        junkText(rng, rng.int(1, 500)),
        '{"kind": "history"',
      ]);
      break;
    case 'id-file': {
      if (idFiles.length === 0) break;
      const k = rng.int(0, idFiles.length - 1);
      const mutated = mutateIdList(idFiles[k].text, rng.pick(ID_LIST_MUTATIONS), rng);
      files = idFiles.map((f, j) => (j === k ? { ...f, text: mutated } : f));
      break;
    }
  }
  return { mapping: text ?? serialise(mapping, rng, true), idFiles: files };
}

const ID_LIST_MUTATIONS = [
  'junk-line',
  'huge-index',
  'duplicate-index',
  'bad-index',
  'quotes',
  'line-breaks',
  'bom',
  'truncate',
  'json-junk',
  'json-broken',
  'empty',
  'long-line',
  'many-lines',
  'lone-surrogate',
] as const;

type IdListMutation = (typeof ID_LIST_MUTATIONS)[number];

const HUGE_INDICES = [
  '9999999',
  '10000000',
  '1e7',
  '99999999999999999999',
  '-1',
  '007',
  '1.5',
  ' 3 ',
  '٣',
  '0x10',
  '2147483648',
  '4294967296',
];

function mutateIdList(text: string, kind: IdListMutation, rng: SeededRandom): string {
  const lines = text.split('\n');
  const at = () => rng.int(0, Math.max(0, lines.length - 1));
  switch (kind) {
    case 'junk-line':
      lines.splice(
        at(),
        0,
        rng.chance(0.5)
          ? junkText(rng, rng.int(0, 80))
          : rng.pick([',', ',,', '\t', ';', '"', 'index,id', '12,', ',x']),
      );
      return lines.join('\n');
    case 'huge-index': {
      const k = at();
      const index = rng.pick(HUGE_INDICES);
      lines[k] = /^\s*\d+\s*[,\t;]/.test(lines[k] ?? '')
        ? (lines[k] ?? '').replace(/^\s*\d+/, index)
        : `${index},x${k}`;
      return lines.join('\n');
    }
    case 'duplicate-index':
      lines.push(lines[at()] ?? '1,x');
      return lines.join('\n');
    case 'bad-index':
      lines.splice(
        rng.int(1, Math.max(1, lines.length)),
        0,
        rng.pick(['x,y', '-,a', ' ,b', 'NaN,c', '1e2,d']),
      );
      return lines.join('\n');
    case 'quotes': {
      const k = at();
      lines[k] = rng.pick([
        `${lines[k]},"a,b"`,
        `"${lines[k]}`,
        `${lines[k]}"`,
        '""',
        `${lines[k]}""x""`,
      ]);
      return lines.join('\n');
    }
    case 'line-breaks':
      return lines
        .map((l) => l + rng.pick(['\r', '\n', '\r\n', '\n\n', '\u2028', '\u0085']))
        .join('');
    case 'bom':
      return `\ufeff${rng.chance(0.5) ? '' : '\ufeff'}${text}`;
    case 'truncate':
      return text.slice(0, rng.int(0, text.length));
    case 'json-junk': {
      const parts: Json[] = [null, 'i1', DEEP];
      const junk = rng.pick<Json>([
        { toString: 1 },
        { valueOf: null, toString: null },
        [1, [2, [3]]],
        DEEP,
        {},
        true,
        1e308,
        literal('1e999'),
        literal('-0'),
        '__proto__',
      ]);
      parts.splice(1, rng.chance(0.5) ? 1 : 0, junk);
      if (rng.chance(0.5)) parts.splice(parts.indexOf(DEEP), 1);
      return serialise(rng.chance(0.2) ? { ids: parts } : parts, rng);
    }
    case 'json-broken':
      return rng.pick([
        '[',
        '["a", ',
        '[1, 2,]',
        '[NaN]',
        "['a']",
        `[${'"x",'.repeat(rng.int(1, 50))}`,
        `[${text}]`,
        '[]]',
      ]);
    case 'empty':
      return rng.pick(['', '\n', '\r\n', ' ', '\n\n\n', '[]', '\ufeff']);
    case 'long-line': {
      const k = at();
      lines[k] = `${lines[k]}${'x'.repeat(rng.pick([1000, 200_000]))}`;
      return lines.join('\n');
    }
    case 'many-lines': {
      const n = rng.pick([1000, 50_000]);
      return `${text}\n${Array.from({ length: n }, (_, k) => (rng.chance(0.5) ? `${k + 100},x${k}` : `x${k}`)).join('\n')}`;
    }
    case 'lone-surrogate': {
      const k = at();
      lines[k] = `${lines[k]}\ud800${rng.chance(0.5) ? '\udfff' : ''}`;
      return lines.join('\n');
    }
  }
}

export function idListCase(index: number, rng: SeededRandom, bases: ForeignBaseSet): IdListCase {
  const base = rng.pick(bases.idLists);
  const kinds: string[] = [];
  let text = base.text;
  if (!rng.chance(1 / 12)) {
    for (let n = rng.int(1, 2); n > 0; n--) {
      const kind = rng.pick(ID_LIST_MUTATIONS);
      text = mutateIdList(text, kind, rng);
      kinds.push(kind);
    }
  }
  return {
    api: 'idlist',
    index,
    base: base.name,
    kind: caseKind(kinds),
    mustLoad: kinds.length === 0,
    name: base.name,
    text,
  };
}
