/**
 * `lens import`: its arguments differ from the other commands' (the positional arguments are
 * model files, the data comes with `--data`), so it is parsed here.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './argValues';

export interface ImportCommand {
  command: 'import';
  /** A TF.js model.json with its .bin shards, or ALS factor tables (Parquet or CSV). */
  files: string[];
  /** The interactions the model is mapped onto and evaluated on. */
  interactions: string;
  items: string | null;
  /** A JSON sidecar: the id mapping of a TF.js model, or ALS hyper-parameters. */
  mapping: string | null;
  out: string;
  name: string | null;
  json: boolean;
}

export const IMPORT_USAGE =
  'lens import <model files...> --data <interactions> [--items <file>] [--mapping <sidecar.json>] [--name <name>] --out <dir> [--json]';

export const IMPORT_SUMMARY =
  'import a model trained elsewhere (Keras, TF.js graph, Spark ALS tables) as a model folder';

export const IMPORT_DETAILS = [
  '  <model files...>   a TF.js model.json with every .bin shard (from tensorflowjs_converter),',
  '                     or ALS factor tables: itemFactors (and userFactors) as Parquet or CSV',
  '  --data <file>      the interactions the model is mapped onto and evaluated on (required)',
  '  --mapping <file>   JSON sidecar: {"kind": "history", "maxLen": 50, "padding": "left",',
  '                     "padValue": 0, "outputOffset": 0, "items": {"kind": "file", "file":',
  '                     "item_ids.txt"}} or {"kind": "ids", ...}; for ALS tables {"kind": "als",',
  '                     "implicit": true, "lambda": 0.1, "alpha": 1}. Without it the mapping is',
  '                     proposed from the model and the data (see docs/scale-out.md)',
  '  --name <name>      the model name in the folder (default: the model kind)',
  '  --out <dir>        folder for model.json and weights.bin (required); eval, explain,',
  '                     compare and interests take it as --model-dir',
  '  --items <file>     item metadata file to join (titles, categories)',
  '  --json             print the import summary as JSON',
  '',
].join('\n');

export function parseImportArgs(argv: readonly string[]): ImportCommand {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        data: { type: 'string' },
        items: { type: 'string' },
        mapping: { type: 'string' },
        out: { type: 'string' },
        name: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`import: ${why.replace(/\. To specify.*$/, '')}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) {
    throw new UsageError(
      'import: give the model files (a model.json with its .bin shards, or factor tables)',
    );
  }
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const interactions = text(values.data);
  if (!interactions)
    throw new UsageError(
      'import: --data <interactions> is required (the data the model is mapped onto)',
    );
  const out = text(values.out);
  if (!out) throw new UsageError('import: --out <dir> is required (the model folder to write)');
  return {
    command: 'import',
    files: positionals,
    interactions,
    items: text(values.items),
    mapping: text(values.mapping),
    out,
    name: text(values.name),
    json: values.json === true,
  };
}
