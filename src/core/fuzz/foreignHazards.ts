/**
 * The foreign fuzz cases that are not run (see ./foreignCheck.ts): TF.js files declaring a
 * history longer than the bases' but within what an import accepts ({@link tfjsHazard}: valid,
 * but the import runs the model over every declared step, minutes for thousands of GRU steps),
 * and Parquet files hyparquet never finishes reading or crashes the process on
 * ({@link hyparquetFate}, tried in a reader process first).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MAX_HISTORY } from '../import/kerasTopology';
import type { TfjsCase } from './foreignTypes';

/** Above this a declared history length is a long one (the bases use at most 31). */
export const SAFE_DIMENSION = 64;

/** Keras config keys holding a history length. */
const LENGTH_KEYS = new Set(['input_length', 'batch_input_shape', 'batch_shape', 'input_shape']);

function numbersIn(value: unknown, out: number[], depth = 0): void {
  if (depth > 4) return;
  if (typeof value === 'number') out.push(value);
  else if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?(e\d+)?\s*$/i.test(value))
    out.push(Number(value));
  else if (Array.isArray(value)) for (const v of value) numbersIn(v, out, depth + 1);
}

/** A length the import accepts but runs slowly over: above the bases', within the cap. */
const long = (values: number[]) =>
  values.some((v) => Number.isFinite(v) && v > SAFE_DIMENSION && v <= MAX_HISTORY);

/**
 * 'long-history' when a TF.js case declares a history (Keras input length or shape, a graph
 * placeholder's or the signature's dims) above {@link SAFE_DIMENSION} and within the import's
 * cap of {@link MAX_HISTORY} steps, else null. Such a model is valid and the import runs it
 * over every step (a probe, the gradient path check), which takes seconds to minutes: not a
 * bug, and too slow for the suite. Longer ones are run: they must be refused at once.
 */
export function tfjsHazard(c: TfjsCase): string | null {
  const json = c.files.find((f) => f.name.toLowerCase().endsWith('.json'));
  if (!json) return null;
  let root: unknown;
  try {
    root = JSON.parse(new TextDecoder().decode(json.bytes));
  } catch {
    return null;
  }
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (value === null || typeof value !== 'object' || depth > 40) continue;
    if (Array.isArray(value)) {
      for (const v of value.slice(0, 64)) stack.push({ value: v, depth: depth + 1 });
      continue;
    }
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const values: number[] = [];
      if (LENGTH_KEYS.has(key)) numbersIn(v, values);
      // GraphDef: a Placeholder's `attr.shape.shape.dim`; the signature's `tensorShape.dim`.
      if ((key === 'shape' || key === 'tensorShape') && v !== null && typeof v === 'object') {
        const record = v as { shape?: { dim?: unknown } | null; dim?: unknown };
        const dims = key === 'shape' ? record.shape?.dim : record.dim;
        if (Array.isArray(dims)) {
          for (const d of dims.slice(0, 16))
            numbersIn((d as { size?: unknown } | null)?.size, values);
        }
      }
      if (long(values)) return 'long-history';
      stack.push({ value: v, depth: depth + 1 });
    }
  }
  return null;
}

const HYPARQUET = pathToFileURL(createRequire(import.meta.url).resolve('hyparquet')).href;

/**
 * A reader process: each file arrives on stdin as a 4-byte length and its bytes, is read as
 * factorParquet.ts reads it (footer, then every row group) and answered with a line on stdout,
 * whether hyparquet returned or threw.
 */
const HYPARQUET_READER = `
process.on('unhandledRejection', () => {});
const { parquetMetadata, parquetSchema, parquetRead } = await import(process.argv[1]);
async function read(bytes) {
  const metadata = parquetMetadata(bytes.buffer);
  const file = { byteLength: bytes.byteLength, slice: (s, e) => bytes.buffer.slice(s, e) };
  const columns = parquetSchema(metadata).children.map((c) => c.element.name);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    await parquetRead({ file, metadata, columns, rowStart, rowEnd, onChunk: () => {} });
    rowStart = rowEnd;
  }
}
let pending = Buffer.alloc(0);
let busy = false;
async function next() {
  if (busy || pending.length < 4 || pending.length < 4 + pending.readUInt32LE(0)) return;
  const n = pending.readUInt32LE(0);
  const bytes = new Uint8Array(n);
  bytes.set(pending.subarray(4, 4 + n));
  pending = pending.subarray(4 + n);
  busy = true;
  try {
    await read(bytes);
  } catch {}
  process.stdout.write('done\\n');
  busy = false;
  next();
}
process.stdin.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  next();
});
`;

let reader: ChildProcess | null = null;

/** Ends the reader process of {@link hyparquetFate}, if one runs (at the end of a run). */
export function stopHyparquetReader(): void {
  reader?.kill('SIGKILL');
  reader = null;
}

/**
 * How hyparquet fares reading `bytes` as factorParquet.ts does, in a reader process of its
 * own: `done` (it returned or threw), `hang` (still reading after `ms`: it spins forever on
 * some corrupt pages, an RLE run of length 0 with bit width 0 never advancing) or `crash` (the
 * process died: a corrupt count makes it grow an array past V8's limit, a fatal error no catch
 * sees). A case whose Parquet would hang or crash is not run. The reader serves case after
 * case and is started again after a hang or a crash.
 */
export function hyparquetFate(bytes: Uint8Array, ms = 10_000): Promise<'done' | 'hang' | 'crash'> {
  if (!reader) {
    reader = spawn(
      process.execPath,
      ['--input-type=module', '--eval', HYPARQUET_READER, HYPARQUET],
      {
        stdio: ['pipe', 'pipe', 'ignore'],
      },
    );
    // Neither the reader nor its pipes keep the process that checks alive.
    reader.unref();
    (reader.stdin as unknown as { unref?: () => void }).unref?.();
    (reader.stdout as unknown as { unref?: () => void }).unref?.();
    reader.stdin?.on('error', () => {});
  }
  const child = reader;
  return new Promise((resolve) => {
    let answer = '';
    const finish = (fate: 'done' | 'hang' | 'crash') => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (fate !== 'done') {
        child.kill('SIGKILL');
        if (reader === child) reader = null;
      }
      resolve(fate);
    };
    const onData = (chunk: Buffer) => {
      answer += chunk.toString();
      if (answer.includes('\n')) finish('done');
    };
    const onExit = () => finish('crash');
    const timer = setTimeout(() => finish('hang'), ms);
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    const length = Buffer.alloc(4);
    length.writeUInt32LE(bytes.length);
    child.stdin?.write(length);
    child.stdin?.write(bytes);
  });
}

export const isParquet = (bytes: Uint8Array) =>
  bytes.length >= 4 &&
  bytes[0] === 0x50 &&
  bytes[1] === 0x41 &&
  bytes[2] === 0x52 &&
  bytes[3] === 0x31;
