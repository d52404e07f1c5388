/**
 * A saved model on disk: a folder with `model.json` (metadata, readable) and `weights.bin`
 * (the weights), the same two files the page exports, so a model moves freely between the
 * CLI and the browser.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../args';
import { DataError } from '../errors';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** Fails fast (before training) when `--out` names something that is not a folder. */
export async function checkOutputFolder(dir: string): Promise<void> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (info && !info.isDirectory())
    throw new UsageError(`--out must be a folder, but ${dir} is a file`);
}

/**
 * Writes both files, each to a temporary name first and then renamed, so an interrupted save
 * never leaves a model.json that points at half a weights.bin. Resolves to true when a model
 * already in the folder was replaced (the caller says so).
 */
export async function writeModelDir(
  dir: string,
  files: { modelJson: string; weightsBin: Uint8Array },
): Promise<boolean> {
  await mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST' || error.code === 'ENOTDIR') {
      throw new UsageError(`--out must be a folder, but ${dir} is a file`);
    }
    throw error;
  });
  const suffix = `.tmp-${process.pid}`;
  const weights = path.join(dir, WEIGHTS_BIN);
  const json = path.join(dir, MODEL_JSON);
  await writeFile(weights + suffix, files.weightsBin);
  await writeFile(json + suffix, files.modelJson, 'utf8');
  const replaced = await stat(json).then(
    () => true,
    () => false,
  );
  await rename(weights + suffix, weights);
  await rename(json + suffix, json);
  return replaced;
}

/** Reads both files; a missing folder is a usage mistake, a missing file a broken model (exit 1). */
export async function readModelDir(
  dir: string,
): Promise<{ modelJson: string; weightsBin: Uint8Array }> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new UsageError(`model folder not found: ${dir}`);
    throw error;
  });
  if (!info.isDirectory()) {
    throw new UsageError(
      `--model-dir must be a folder holding ${MODEL_JSON} and ${WEIGHTS_BIN}: ${dir}`,
    );
  }
  const read = async <T>(name: string, load: (file: string) => Promise<T>): Promise<T> =>
    load(path.join(dir, name)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        throw new DataError(
          `The model folder ${dir} has no ${name}; it needs ${MODEL_JSON} and ${WEIGHTS_BIN} as written by lens train --out.`,
        );
      }
      throw error;
    });
  const modelJson = await read(MODEL_JSON, (file) => readFile(file, 'utf8'));
  const weightsBin = await read(WEIGHTS_BIN, async (file) => new Uint8Array(await readFile(file)));
  return { modelJson, weightsBin };
}
