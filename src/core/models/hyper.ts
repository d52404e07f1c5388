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

/** Defaults filled in, unknown names and out-of-range values refused (one message listing all). */
export function resolveHyper(
  model: string,
  specs: Record<string, HyperSpec>,
  given: HyperParameters,
): HyperParameters {
  const problems: string[] = [];
  for (const name of Object.keys(given)) {
    if (!(name in specs)) problems.push(`unknown parameter ${name}`);
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

/** Parameters every sequential next-item model shares. */
export const SEQUENCE_HYPER: Record<string, HyperSpec> = {
  maxLen: {
    kind: 'int',
    default: 50,
    min: 2,
    max: 512,
    doc: 'History length read (most recent items); longer histories are truncated.',
  },
  dim: { kind: 'int', default: 64, min: 4, max: 512, doc: 'Item embedding width.' },
  dropout: {
    kind: 'number',
    default: 0.2,
    min: 0,
    max: 0.9,
    doc: 'Dropout rate during training only.',
  },
  loss: {
    kind: 'enum',
    default: 'sampled-softmax',
    values: ['sampled-softmax', 'softmax', 'bce'],
    doc:
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
