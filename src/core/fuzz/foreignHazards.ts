/**
 * The foreign fuzz cases that are not run (see ./foreignCheck.ts): TF.js files declaring a
 * history longer than the bases' but within what an import accepts ({@link tfjsHazard}: valid,
 * but the import runs the model over every declared step, minutes for thousands of GRU steps).
 * Everything else runs, damaged Parquet tables included (factorParquet.ts checks them before
 * hyparquet decodes anything).
 */
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
