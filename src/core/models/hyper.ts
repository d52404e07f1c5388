/**
 * Hyper-parameters as documented, validated plain data: every model declares its parameters
 * once (default, range, meaning), and a user-supplied set is checked against that declaration
 * with a message naming the parameter, instead of failing deep inside TF.js.
 */
import type { CandidateSampling, HyperParameters } from './types';

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
 * Largest catalogue trained with the exact softmax when `loss` is `auto`; above it, the
 * corrected sampled softmax. Chosen by measured cost (`npx tsx bench/loss-cost.ts`, wasm,
 * sasrec's default batch of 32 windows x 50 positions, width 64): a whole training step with the
 * exact (fused) softmax costs 1.1x the sampled one's at 2,500 and 5,000 items, 2.1x at 10,000,
 * 4.0x at 20,000 and 5.9x at 50,000; 12,000 is where it passes about 2.5x. Below it the exact
 * softmax costs little and is the reference the sampled one estimates (on ml-100k it gave the
 * better validation NDCG@10 against the old uniform sampled softmax: gru 0.111 vs 0.103).
 */
export const AUTO_SOFTMAX_MAX_ITEMS = 12_000;

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
      'sampled-softmax: cross-entropy at every position against the target, `sharedNegatives` ' +
      'items drawn once per batch (a `popularNegatives` share by popularity, the rest uniformly) ' +
      "and the batch's other targets (`inBatchNegatives`), each corrected by its log expected " +
      'count (log-Q), so it estimates the softmax; its cost does not grow with the catalogue; ' +
      'softmax: cross-entropy against the whole catalogue at every position (exact; 2x the ' +
      'sampled step at 10,000 items, 4x at 20,000 on wasm); bce: binary cross-entropy against ' +
      '`negatives` sampled items per position (the original SASRec recipe).',
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
  popularNegatives: {
    kind: 'number',
    default: 0.5,
    min: 0,
    max: 1,
    doc:
      'sampled-softmax only: share of the negatives drawn by popularity (training-target ' +
      'counts^0.75), the rest uniformly; each is corrected by its log expected count (log-Q).',
  },
  inBatchNegatives: {
    kind: 'enum',
    default: 'on',
    values: ['on', 'off'],
    doc:
      "sampled-softmax only: also score every position against the batch's other targets, " +
      'corrected by their expected count in a batch.',
  },
};

/**
 * The candidate sampling of a next-item model whose resolved `loss` is `sampled-softmax` (the
 * trainer draws a batch's candidates by it), else undefined.
 */
export function candidateSampling(hyper: HyperParameters): CandidateSampling | undefined {
  if (hyper.loss !== 'sampled-softmax') return undefined;
  return {
    negatives: hyper.sharedNegatives as number,
    popularity: (hyper.popularNegatives as number | undefined) ?? 0,
    inBatch: hyper.inBatchNegatives === 'on',
  };
}

const count = (n: number) => n.toLocaleString('en');

/**
 * One line saying which training loss a next-item model with resolved `hyper` trains with on a
 * catalogue of `numItems`: what the training record, the page and the CLI print.
 */
export function describeNextItemLoss(hyper: HyperParameters, numItems: number): string {
  const sampling = candidateSampling(hyper);
  if (sampling) {
    const share = Math.round(sampling.popularity * 100);
    const proposal =
      share === 0
        ? 'uniformly'
        : share === 100
          ? 'by popularity^0.75'
          : `${share}% by popularity^0.75, ${100 - share}% uniformly`;
    return (
      `sampled softmax over ${count(numItems)} items: ${count(sampling.negatives)} negatives ` +
      `a batch drawn ${proposal}${sampling.inBatch ? ", plus the batch's targets" : ''}, ` +
      'log-Q corrected'
    );
  }
  if (hyper.loss === 'softmax') return `softmax over all ${count(numItems)} items (exact)`;
  if (hyper.loss === 'bce') {
    return `binary cross-entropy, ${count(hyper.negatives as number)} uniform negative(s) per position`;
  }
  return String(hyper.loss);
}

/** Refuses an empty or fractional catalogue before `model` allocates any weight. */
export function checkNumItems(model: string, numItems: number): void {
  if (!Number.isInteger(numItems) || numItems < 1) {
    throw new RangeError(`${model} needs at least one item; got numItems = ${numItems}.`);
  }
}
