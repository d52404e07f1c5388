/**
 * Hyper-parameters as documented, validated plain data: every model declares its parameters
 * once (default, range, meaning), and a user-supplied set is checked against that declaration
 * with a message naming the parameter, instead of failing deep inside TF.js.
 */
import type { HyperParameters } from './types';

export type HyperSpec =
  | { kind: 'int'; default: number; min: number; max: number; doc: string }
  | { kind: 'number'; default: number; min: number; max: number; doc: string }
  | { kind: 'enum'; default: string; values: readonly string[]; doc: string };

/**
 * Hyper-parameters written as text, `name=value,name=value` (a command line's `--hyper`):
 * numbers become numbers, other values stay names (enum values). Malformed pairs and repeated
 * names are refused with a message quoting them; ranges are checked later by
 * {@link resolveHyper} against the model's declaration.
 */
export function parseHyperText(text: string): HyperParameters {
  const out: HyperParameters = {};
  for (const pair of text.split(',')) {
    const parts = pair.split('=');
    const name = parts[0]?.trim() ?? '';
    const value = parts[1]?.trim() ?? '';
    if (parts.length !== 2 || name === '' || value === '') {
      throw new RangeError(
        `hyper-parameters are name=value pairs separated by commas; got "${pair}"`,
      );
    }
    if (Object.hasOwn(out, name)) {
      throw new RangeError(`hyper-parameter ${name} is given more than once`);
    }
    const n = Number(value);
    out[name] = Number.isFinite(n) ? n : value;
  }
  return out;
}

/** Defaults filled in, unknown names and out-of-range values refused (one message listing all). */
export function resolveHyper(
  model: string,
  specs: Record<string, HyperSpec>,
  given: HyperParameters,
): HyperParameters {
  const problems: string[] = [];
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(specs, name)) problems.push(`unknown parameter ${name}`);
  }
  const out: HyperParameters = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = given[name] ?? spec.default;
    out[name] = value;
    if (spec.kind === 'enum') {
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        problems.push(`${name} must be one of ${spec.values.join(', ')}; got ${String(value)}`);
      }
      continue;
    }
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (spec.kind === 'number' || Number.isInteger(value)) &&
      value >= spec.min &&
      value <= spec.max;
    if (!ok) {
      const what = spec.kind === 'int' ? 'an integer' : 'a number';
      problems.push(`${name} must be ${what} in ${spec.min}..${spec.max}; got ${String(value)}`);
    }
  }
  if (problems.length > 0) {
    throw new RangeError(`Invalid ${model} hyper-parameters: ${problems.join('; ')}.`);
  }
  return out;
}

/**
 * Largest catalogue trained with the exact softmax when `loss` is `auto`. The full softmax
 * costs one `[positions, d] x [d, items]` product per step: on ml-100k (1,682 items, wasm) it
 * took gru from 10.7 to 16.8 s an epoch at batch 32, and gave a better validation NDCG@10 in the
 * same 2 minutes (gru 0.111 vs 0.103, weighted 0.105 vs 0.103, sasrec 0.117 vs 0.118). The
 * cost grows with the catalogue, the gain does not, so larger catalogues sample.
 */
export const AUTO_SOFTMAX_MAX_ITEMS = 2500;

/** `hyper` with `loss: 'auto'` replaced by the loss it means for a catalogue of `numItems`. */
export function resolveAutoLoss(hyper: HyperParameters, numItems: number): HyperParameters {
  if (hyper.loss !== 'auto') return hyper;
  return { ...hyper, loss: numItems <= AUTO_SOFTMAX_MAX_ITEMS ? 'softmax' : 'sampled-softmax' };
}

/** The `maxLen` parameter with its default (models differ in how long a history pays off). */
export function historyLength(defaultLength: number): HyperSpec {
  return {
    kind: 'int',
    default: defaultLength,
    min: 2,
    max: 512,
    doc: 'History length read (most recent items); longer histories are truncated.',
  };
}

/** The `dim` parameter with its default. */
export function embeddingWidth(defaultWidth: number): HyperSpec {
  return { kind: 'int', default: defaultWidth, min: 4, max: 512, doc: 'Item embedding width.' };
}

/** Parameters every sequential next-item model shares. */
export const SEQUENCE_HYPER: Record<string, HyperSpec> = {
  maxLen: historyLength(50),
  dim: embeddingWidth(64),
  dropout: {
    kind: 'number',
    default: 0.2,
    min: 0,
    max: 0.9,
    doc: 'Dropout rate during training only.',
  },
  loss: {
    kind: 'enum',
    default: 'auto',
    values: ['auto', 'sampled-softmax', 'softmax', 'bce'],
    doc:
      `auto: softmax for catalogues of at most ${AUTO_SOFTMAX_MAX_ITEMS.toLocaleString('en')} items, sampled-softmax above (the model keeps the one chosen); ` +
      'sampled-softmax: cross-entropy at every position against the target and `sharedNegatives` ' +
      'items sampled once per batch (fast, close to softmax); softmax: cross-entropy against the ' +
      'whole catalogue at every position (exact, several times slower on wasm); bce: binary ' +
      'cross-entropy against `negatives` sampled items per position (the original SASRec recipe).',
  },
  negatives: {
    kind: 'int',
    default: 1,
    min: 1,
    max: 1000,
    doc: 'Sampled negatives per position (bce only).',
  },
  sharedNegatives: {
    kind: 'int',
    default: 256,
    min: 1,
    max: 100_000,
    doc: 'Negatives sampled once per batch and shared by all positions (sampled-softmax only).',
  },
};

/** Refuses an empty or fractional catalogue before `model` allocates any weight. */
export function checkNumItems(model: string, numItems: number): void {
  if (!Number.isInteger(numItems) || numItems < 1) {
    throw new RangeError(`${model} needs at least one item; got numItems = ${numItems}.`);
  }
}
