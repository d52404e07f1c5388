/**
 * The file-level breakage of a TF.js model the foreign fuzz makes (see ./foreignGenerators.ts):
 * shards truncated, extended, flipped, swapped, dropped, doubled, renamed or from another
 * model; model.json dropped, renamed, doubled, truncated, flipped or re-encoded; and the edits
 * that keep a set valid (shuffled, pretty-printed, in a folder, with a BOM or a README).
 */
import type { NamedFile } from '../import/modelFiles';
import type { SeededRandom } from '../random';
import { flipBytes, float32Bytes, insertBytes, junkText, textOf, utf8 } from './foreignMutate';
import type { ForeignBaseSet } from './foreignTypes';
import { concatBytes, randomBytes } from './generators';

export const TFJS_FILE_MUTATIONS = [
  'shard-truncate',
  'shard-extend',
  'shard-flip',
  'shard-nan',
  'shard-empty',
  'shard-swap',
  'shard-drop',
  'shard-duplicate',
  'shard-rename',
  'shard-foreign',
  'json-drop',
  'json-rename',
  'json-extra',
  'json-truncate',
  'json-flip',
  'json-garbage',
  'json-reencode',
  'json-pretty-flip',
  'extra-file',
] as const;

type TfjsFileMutation = (typeof TFJS_FILE_MUTATIONS)[number];

/** Edits that keep a model set valid: a case with only these must import. */
export const TFJS_VALID_EDITS = ['shuffle', 'pretty', 'folder', 'bom', 'readme'] as const;

export const modelJsonOf = (files: readonly NamedFile[]) =>
  files.find((f) => f.name.toLowerCase().endsWith('.json')) ?? null;

export function mutateTfjsFiles(
  files: NamedFile[],
  kind: TfjsFileMutation,
  rng: SeededRandom,
  bases: ForeignBaseSet,
): NamedFile[] {
  const json = modelJsonOf(files);
  const shards = files.filter((f) => f !== json);
  const replace = (from: NamedFile, to: NamedFile | null) =>
    files.flatMap((f) => (f === from ? (to ? [to] : []) : [f]));
  const shard = shards.length > 0 ? rng.pick(shards) : null;
  switch (kind) {
    case 'shard-truncate':
      return shard
        ? replace(shard, {
            name: shard.name,
            bytes: shard.bytes.slice(0, rng.int(0, Math.max(0, shard.bytes.length - 1))),
          })
        : files;
    case 'shard-extend':
      return shard
        ? replace(shard, {
            name: shard.name,
            bytes: concatBytes([shard.bytes, randomBytes(rng, rng.pick([1, 3, 4, 8, 64, 4096]))]),
          })
        : files;
    case 'shard-flip':
      return shard
        ? replace(shard, { name: shard.name, bytes: flipBytes(shard.bytes, rng, rng.int(1, 16)) })
        : files;
    case 'shard-nan': {
      if (!shard || shard.bytes.length < 4) return files;
      const out = shard.bytes.slice();
      const value = rng.pick([
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        3e38,
        -3e38,
        1e-45,
      ]);
      for (let n = rng.int(1, 4); n > 0; n--) {
        out.set(float32Bytes(value), 4 * rng.int(0, Math.floor(out.length / 4) - 1));
      }
      return replace(shard, { name: shard.name, bytes: out });
    }
    case 'shard-empty':
      return shard ? replace(shard, { name: shard.name, bytes: new Uint8Array(0) }) : files;
    case 'shard-swap': {
      if (shards.length < 2) return files;
      const [a, b] = [shards[0], shards[shards.length - 1]];
      return files.map((f) =>
        f === a ? { name: a.name, bytes: b.bytes } : f === b ? { name: b.name, bytes: a.bytes } : f,
      );
    }
    case 'shard-drop':
      return shard ? replace(shard, null) : files;
    case 'shard-duplicate':
      return shard
        ? [
            ...files,
            {
              name: rng.pick([shard.name, `copy/${shard.name}`]),
              bytes: rng.chance(0.5) ? shard.bytes : flipBytes(shard.bytes, rng, 4),
            },
          ]
        : files;
    case 'shard-rename':
      return shard
        ? replace(shard, {
            name: rng.pick([
              `${shard.name}.part`,
              shard.name.toUpperCase(),
              shard.name.replace(/\.bin$/, ''),
              `group1-shard1of1 (1).bin`,
              shard.name.replace('group1', 'group2'),
              `model.json`,
            ]),
            bytes: shard.bytes,
          })
        : files;
    case 'shard-foreign': {
      if (!shard) return files;
      // The same-named shard of another model, or random bytes of the right length.
      const others = bases.tfjs
        .flatMap((b) => b.files)
        .filter((f) => f.name === shard.name && f.bytes !== shard.bytes);
      const bytes =
        others.length > 0 && rng.chance(0.5)
          ? rng.pick(others).bytes
          : randomBytes(rng, shard.bytes.length);
      return replace(shard, { name: shard.name, bytes });
    }
    case 'json-drop':
      return json ? replace(json, null) : files;
    case 'json-rename':
      return json
        ? replace(json, {
            name: rng.pick([
              'model (1).json',
              'MODEL.JSON',
              'dir/sub/model.json',
              'C:\\models\\model.json',
              'model.json.bak',
              'model.json ',
              '.json',
              'model.txt',
              'model',
            ]),
            bytes: json.bytes,
          })
        : files;
    case 'json-extra': {
      const other = modelJsonOf(rng.pick(bases.tfjs).files);
      return [
        ...files,
        rng.pick<NamedFile>([
          { name: 'metadata.json', bytes: utf8('{}') },
          { name: 'tokenizer.json', bytes: utf8(junkText(rng, 200)) },
          { name: 'other/model.json', bytes: other?.bytes ?? utf8('{}') },
          { name: 'model.json', bytes: other?.bytes ?? utf8('{}') },
          { name: 'mapping.json', bytes: utf8('{"kind": "history", "maxLen": 8}') },
        ]),
      ];
    }
    case 'json-truncate':
      return json
        ? replace(json, {
            name: json.name,
            bytes: json.bytes.slice(0, rng.int(0, json.bytes.length - 1)),
          })
        : files;
    case 'json-flip': {
      if (!json) return files;
      const out = json.bytes.slice();
      for (let n = rng.int(1, 5); n > 0; n--) {
        out[rng.int(0, out.length - 1)] = rng.pick([
          0x22, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x5c, 0x30, 0x78, 0x00, 0xff, 0xc3, 0x0a,
        ]);
      }
      return replace(json, { name: json.name, bytes: out });
    }
    case 'json-garbage':
      return json
        ? replace(json, {
            name: json.name,
            bytes: utf8(
              rng.pick([
                '',
                'null',
                '[]',
                '"model"',
                '0',
                '{}',
                ' '.repeat(rng.int(1, 10_000)),
                junkText(rng, rng.int(1, 2000)),
                '{"modelTopology": {}, "weightsManifest": []}',
                '{"modelTopology": {"node": []}}',
                '{"modelTopology": {"class_name": "Sequential", "config": {"layers": []}}}',
              ]),
            ),
          })
        : files;
    case 'json-reencode': {
      if (!json) return files;
      const text = textOf(json.bytes);
      const choice = rng.int(0, 3);
      let bytes: Uint8Array;
      if (choice === 0) {
        // UTF-16LE with a BOM (Windows editors).
        bytes = new Uint8Array(2 + 2 * text.length);
        bytes.set([0xff, 0xfe]);
        for (let i = 0; i < text.length; i++) {
          bytes[2 + 2 * i] = text.charCodeAt(i) & 0xff;
          bytes[3 + 2 * i] = text.charCodeAt(i) >> 8;
        }
      } else if (choice === 1) {
        bytes = insertBytes(json.bytes, rng, Uint8Array.of(0xff, 0xfe, 0xc0, 0xaf));
      } else if (choice === 2) {
        bytes = concatBytes([json.bytes, utf8(rng.pick(['\n', '\u0000', ' garbage', '}', ',{}']))]);
      } else {
        bytes = utf8(text.replace(/"(class_name|name)":"/, '"$1":"\u0000\ud800'));
      }
      return replace(json, { name: json.name, bytes });
    }
    case 'json-pretty-flip': {
      // A hand-edited file: pretty-printed, then one bad token on some line.
      if (!json) return files;
      let text: string;
      try {
        text = JSON.stringify(JSON.parse(textOf(json.bytes)), null, 2);
      } catch {
        text = textOf(json.bytes);
      }
      const lines = text.split('\n');
      const at = rng.int(0, lines.length - 1);
      lines[at] = rng.pick([
        `${lines[at]},`,
        lines[at].replace(/"/, ''),
        `${lines[at]} // edited`,
        `'${lines[at]}'`,
        '',
      ]);
      return replace(json, { name: json.name, bytes: utf8(lines.join('\n')) });
    }
    case 'extra-file':
      return [
        ...files,
        rng.pick<NamedFile>([
          { name: '.DS_Store', bytes: randomBytes(rng, 64) },
          { name: 'group2-shard1of1.bin', bytes: randomBytes(rng, rng.int(0, 256)) },
          { name: 'variables/variables.index', bytes: randomBytes(rng, 32) },
          { name: 'saved_model.pb', bytes: randomBytes(rng, 128) },
        ]),
      ];
  }
}

/** Validity-preserving edits of a TF.js file set. */
export function validTfjsEdit(
  files: NamedFile[],
  kind: (typeof TFJS_VALID_EDITS)[number],
  rng: SeededRandom,
): NamedFile[] {
  switch (kind) {
    case 'shuffle': {
      const out = [...files];
      for (let i = out.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    }
    case 'pretty':
      return files.map((f) =>
        f.name.endsWith('.json')
          ? {
              name: f.name,
              bytes: utf8(JSON.stringify(JSON.parse(textOf(f.bytes)), null, rng.pick([1, 2, 4]))),
            }
          : f,
      );
    case 'folder': {
      const folder = rng.pick([
        'models/exported/',
        'C:\\Users\\me\\model\\',
        './',
        '/tmp/web_model/',
      ]);
      return files.map((f) => ({ name: `${folder}${f.name}`, bytes: f.bytes }));
    }
    case 'bom':
      return files.map((f) =>
        f.name.endsWith('.json')
          ? { name: f.name, bytes: concatBytes([Uint8Array.of(0xef, 0xbb, 0xbf), f.bytes]) }
          : f,
      );
    case 'readme':
      return [
        ...files,
        { name: 'README.md', bytes: utf8('# exported with tensorflowjs_converter\n') },
      ];
  }
}
