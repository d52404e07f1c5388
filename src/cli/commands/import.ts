/**
 * `lens import`: a model trained by another engine becomes a model folder the other commands
 * take (`eval`, `explain`, `compare`, `interests --model-dir`). TF.js models (Keras layers or
 * graph) are mapped onto the data by the sidecar's id mapping or the proposed one; ALS factor
 * tables are aligned by id, with the sidecar's hyper-parameters when given. The model is
 * evaluated on the data by the protocol every model gets, and the record saved with it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset } from '../../core/data/types';
import { importFactorModel } from '../../core/import/factorModel';
import { importedRecord, importTfjsModel } from '../../core/import/index';
import type { ModelMapping } from '../../core/import/mapping';
import { parseIdList, parseMapping } from '../../core/import/mappingFiles';
import type { NamedFile } from '../../core/import/modelFiles';
import type { AlsParams } from '../../core/import/types';
import { errorReason } from '../../core/models/fileText';
import type { TrainedRecommender } from '../../core/models/trained';
import { encodeModel } from '../../core/persist/format';
import { isRecord } from '../../core/persist/metaChecks';
import { temporalLeaveLastOut } from '../../core/train/split';
import { UsageError } from '../argValues';
import { initNodeBackend } from '../backend';
import { DataError } from '../errors';
import type { ImportCommand } from '../importArgs';
import type { Write } from '../progress';
import { loadData } from './load';
import { writeModelDir } from './modelDir';

export interface ImportResult {
  kind: string;
  source: string;
  out: string;
  mapping: ModelMapping | null;
  als: AlsParams | null;
  notes: string[];
  test: { hr10: number; ndcg10: number } | null;
  backend: string;
}

async function readNamed(file: string, what: string): Promise<NamedFile> {
  try {
    return { name: path.basename(file), bytes: new Uint8Array(await readFile(file)) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${what} not found: ${file}`);
    if (code === 'EISDIR') throw new UsageError(`${what} is a folder, not a file: ${file}`);
    throw error;
  }
}

/** The sidecar: a TF.js mapping (its id files read relative to it) or ALS hyper-parameters. */
async function readSidecar(
  file: string,
): Promise<{ mapping: ModelMapping | null; als: AlsParams | null }> {
  const text = new TextDecoder().decode((await readNamed(file, 'mapping file')).bytes);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DataError(`${file} is not valid JSON (${errorReason(error, 100)}).`);
  }
  if (isRecord(raw) && raw.kind === 'als') {
    const { implicit, lambda } = raw;
    // Spark's defaults for what the sidecar leaves out: alpha 1.0 (regParam has to be given).
    const alpha = raw.alpha ?? 1;
    const number = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
    if (typeof implicit !== 'boolean' || !number(lambda) || !number(alpha)) {
      throw new DataError(
        `${file}: an ALS sidecar gives "implicit" (true or false), "lambda" (regParam) and optionally "alpha" (default 1.0), as non-negative numbers.`,
      );
    }
    return {
      mapping: null,
      als: { implicit, lambda: lambda as number, alpha: alpha as number },
    };
  }
  const idFiles = new Map<string, string[]>();
  for (const key of ['items', 'users'] as const) {
    const entry = isRecord(raw) ? raw[key] : undefined;
    if (isRecord(entry) && entry.kind === 'file' && typeof entry.file === 'string') {
      const target = path.resolve(path.dirname(file), entry.file);
      const named = await readNamed(target, `id file of the mapping's ${key}`);
      idFiles.set(entry.file, parseIdList(new TextDecoder().decode(named.bytes), named.name));
    }
  }
  return { mapping: parseMapping(text, idFiles), als: null };
}

export async function runImport(
  command: ImportCommand,
  io: { stderr: Write; signal?: AbortSignal },
): Promise<ImportResult> {
  const files = await Promise.all(command.files.map((f) => readNamed(f, 'model file')));
  const sidecar = command.mapping
    ? await readSidecar(command.mapping)
    : { mapping: null, als: null };
  const loaded = await loadData(command.interactions, {
    items: command.items,
    signal: io.signal,
    progress: io.stderr,
  });
  const dataset: Dataset = loaded.dataset;
  const tfjs = files.some((f) => f.name.toLowerCase().endsWith('.json'));
  const backend = tfjs ? (await initNodeBackend(io.stderr)).backend : 'none';
  let model: TrainedRecommender;
  let mapping: ModelMapping | null = null;
  if (tfjs) {
    const imported = await importTfjsModel(files, dataset, sidecar.mapping ?? undefined);
    model = imported.model;
    mapping = imported.mapping;
    if (!sidecar.mapping) io.stderr(`proposed mapping: ${imported.proposal.notes.join(' ')}\n`);
  } else {
    if (sidecar.mapping) {
      throw new DataError(
        `${command.mapping}: a TF.js mapping was given, but the model files are factor tables (no model.json); an ALS sidecar is {"kind": "als", "implicit": true, "lambda": 0.1, "alpha": 1}.`,
      );
    }
    if (!sidecar.als) {
      io.stderr(
        'note: no ALS hyper-parameters (--mapping with {"kind": "als", ...}): scoring from the stored user factors; exact contributions need them\n',
      );
    }
    model = await importFactorModel(files, dataset, sidecar.als);
  }
  try {
    const split = temporalLeaveLastOut(dataset);
    io.stderr(`evaluating on ${split.test.users.length} test users\n`);
    const kind = model.id as 'keras' | 'graph' | 'als';
    const record = await importedRecord(model, split, kind, io.signal);
    const name = command.name ?? `${kind} model`;
    await writeModelDir(command.out, encodeModel(model, record, dataset, loaded.fileName, name));
    const at10 = record.test?.atK.find((m) => m.k === 10);
    return {
      kind,
      source: model.imported?.source ?? kind,
      out: command.out,
      mapping,
      als: sidecar.als,
      notes: model.imported?.notes ?? [],
      test: at10 ? { hr10: at10.hitRate, ndcg10: at10.ndcg } : null,
      backend,
    };
  } finally {
    model.dispose();
  }
}

/** The summary as text. */
export function formatImport(result: ImportResult): string {
  const lines = [
    `imported ${result.kind} from ${result.source}`,
    `saved to ${result.out} (use it with --model-dir)`,
  ];
  if (result.test) {
    lines.push(
      `test HR@10 ${result.test.hr10.toFixed(4)}, NDCG@10 ${result.test.ndcg10.toFixed(4)} (full ranking, seen items excluded)`,
    );
  }
  for (const note of result.notes) lines.push(`- ${note}`);
  return `${lines.join('\n')}\n`;
}
