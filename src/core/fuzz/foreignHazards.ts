/**
 * The foreign fuzz cases that are not run (see ./foreignCheck.ts), because running them would
 * hang the process or break the wasm backend for every case after: TF.js files declaring huge
 * layers or history lengths, or a functional topology tfjs-layers never finishes building
 * ({@link tfjsHazard}), and Parquet files hyparquet never finishes reading or crashes the
 * process on ({@link hyparquetFate}, tried in a reader process first). Each is a known issue
 * of src/core/import (see ./foreignKnownIssues.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { TfjsCase } from './foreignTypes';

/** Above this a declared layer size or history length is a hazard (the bases use at most 31). */
export const SAFE_DIMENSION = 64;

/** Keras config keys whose value TF.js allocates or initialises at (or runs a loop over). */
const KERAS_SIZE_KEYS = new Set([
  'input_dim',
  'output_dim',
  'units',
  'filters',
  'num_heads',
  'key_dim',
  'value_dim',
  'kernel_size',
  'pool_size',
  'n',
  'target_shape',
  'dims',
  'cropping',
  'padding',
  'depth',
  'input_length',
  'batch_input_shape',
  'batch_shape',
  'input_shape',
]);

const LENGTH_KEYS = new Set(['input_length', 'batch_input_shape', 'batch_shape', 'input_shape']);

function numbersIn(value: unknown, out: number[], depth = 0): void {
  if (depth > 4) return;
  if (typeof value === 'number') out.push(value);
  else if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?(e\d+)?\s*$/i.test(value))
    out.push(Number(value));
  else if (Array.isArray(value)) for (const v of value) numbersIn(v, out, depth + 1);
}

const big = (values: number[]) => values.some((v) => Number.isFinite(v) && v > SAFE_DIMENSION);

/**
 * True when tfjs-layers' functional deserialisation would never finish: it re-queues a layer
 * call whose inbound layer or node does not exist (yet) and loops until every call is made, so
 * a call naming a missing layer, the layer itself or a node index past the inbound layer's
 * nodes spins forever (`Container.fromConfig`). This replays that loop over names and node
 * counts, on every functional config in the topology; anything that would throw instead is
 * left to run.
 */
export function danglingInbound(root: unknown): boolean {
  const configs: Record<string, unknown>[] = [];
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (value === null || typeof value !== 'object' || depth > 40) continue;
    const values = Array.isArray(value) ? value.slice(0, 256) : Object.values(value);
    if (!Array.isArray(value) && Array.isArray((value as { layers?: unknown }).layers)) {
      configs.push(value as Record<string, unknown>);
    }
    for (const v of values) stack.push({ value: v, depth: depth + 1 });
  }
  return configs.some((config) => {
    try {
      return spinsForever(config.layers as unknown[]);
    } catch {
      return false;
    }
  });
}

// biome-ignore lint/suspicious/noExplicitAny: replays tfjs-layers' loop on arbitrary JSON
type Loose = any;

function spinsForever(layers: Loose[]): boolean {
  const created: Record<string, { name: string; nodes: number }> = Object.create(null);
  const unprocessed = new Map<string, Loose[]>();
  const enqueue = (name: string, node: Loose) => {
    const list = unprocessed.get(name);
    if (list) list.push(node);
    else unprocessed.set(name, [node]);
  };
  for (const data of layers) {
    const nodesData = data.inbound_nodes ?? data.inboundNodes;
    if (nodesData === undefined) return false; // Sequential: no inbound nodes to wait for.
    const name = data.config?.name ?? data.name;
    if (typeof name !== 'string' || typeof data.name !== 'string') return false;
    const layer = { name, nodes: data.class_name === 'InputLayer' ? 1 : 0 };
    created[data.name] = layer;
    if (!Array.isArray(nodesData)) return false;
    for (const node of nodesData) {
      if (!Array.isArray(node)) return false;
      enqueue(name, node);
    }
  }
  const protoKey = (key: unknown) => typeof key === 'string' && key in Object.prototype;
  for (let pass = 0; unprocessed.size > 0; pass++) {
    let progress = false;
    for (const data of layers) {
      const layer = created[data.name];
      const queued = unprocessed.get(layer.name);
      if (!queued) continue;
      unprocessed.delete(layer.name);
      for (const node of queued) {
        let ready = true;
        for (const input of node) {
          const from = input?.[0];
          if (protoKey(from)) return false; // tfjs-layers finds Object.prototype's and throws
          const inbound = typeof from === 'string' ? created[from] : undefined;
          if (!inbound || inbound.nodes <= input[1]) {
            ready = false;
            break;
          }
        }
        if (ready) {
          if (node.length > 0) layer.nodes++;
          progress = true;
        } else enqueue(layer.name, node);
      }
    }
    if (!progress || pass > 10_000) return true;
  }
  return false;
}

/**
 * The known issue a TF.js case would run into if it declares a layer size or a history length
 * above {@link SAFE_DIMENSION}, or null. Such cases are not run: tfjs-layers builds and
 * initialises every variable the topology declares before the weights are compared with it
 * (`units: 1000` in a GRU spends minutes in the Orthogonal initializer; `input_dim: 6e7`
 * allocates 1.9 GB), and the import runs the model over the declared history length (a length
 * of 10^5 runs for more than ten minutes; 10^9 exhausts the wasm memory and leaves TF.js
 * broken). See KNOWN_ISSUES.
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
  let found: string | null = null;
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  while (stack.length > 0 && found === null) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (value === null || typeof value !== 'object' || depth > 40) continue;
    if (Array.isArray(value)) {
      for (const v of value.slice(0, 64)) stack.push({ value: v, depth: depth + 1 });
      continue;
    }
    const record = value as Record<string, unknown>;
    for (const [key, v] of Object.entries(record)) {
      if (KERAS_SIZE_KEYS.has(key)) {
        const values: number[] = [];
        numbersIn(v, values);
        if (big(values)) {
          found = LENGTH_KEYS.has(key) ? 'history-length' : 'topology-allocation';
          break;
        }
      }
      // GraphDef: a Placeholder's `attr.shape.shape.dim` (the signature's inputs below).
      if (key === 'shape' && v !== null && typeof v === 'object') {
        const dims = (v as { shape?: { dim?: unknown } | null }).shape?.dim;
        const values: number[] = [];
        if (Array.isArray(dims)) {
          for (const d of dims.slice(0, 16))
            numbersIn((d as { size?: unknown } | null)?.size, values);
        }
        if (big(values)) {
          found = 'history-length';
          break;
        }
      }
      stack.push({ value: v, depth: depth + 1 });
    }
  }
  if (found) return found;
  if (danglingInbound(root)) return 'dangling-inbound';
  // The signature's input dims (what describeGraphModel reads).
  const inputs = (root as { signature?: { inputs?: unknown } } | null)?.signature?.inputs;
  if (inputs !== null && typeof inputs === 'object') {
    for (const entry of Object.values(inputs as Record<string, unknown>)) {
      const dims = (entry as { tensorShape?: { dim?: unknown } } | null)?.tensorShape?.dim;
      if (!Array.isArray(dims)) continue;
      const values: number[] = [];
      for (const d of dims.slice(0, 16)) numbersIn((d as { size?: unknown } | null)?.size, values);
      if (big(values)) return 'history-length';
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
