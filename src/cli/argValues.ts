/**
 * Option values of the `lens` command line, each checked with a one-line message naming the
 * flag (a usage mistake: exit code 2), and the error type that carries them.
 */
import { parseHyperText } from '../core/models/hyper';
import type { HyperParameters } from '../core/models/types';

/** A mistake in how the command was called: exit code 2, message on one line. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function positiveInteger(flag: string, text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`${flag} must be a positive integer; got "${text}"`);
  }
  return value;
}

export function integerIn(flag: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}; got "${text}"`);
  }
  return value;
}

export function choice<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) {
    const list = `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
    throw new UsageError(`${flag} must be ${list}; got "${text}"`);
  }
  return text as T;
}

export function learningRate(text: string): number {
  const value = /^\d*\.?\d+(e-?\d+)?$/i.test(text) ? Number(text) : Number.NaN;
  if (!(value > 0 && value <= 1)) {
    throw new UsageError(`--lr must be a number above 0 and at most 1; got "${text}"`);
  }
  return value;
}

export function hyperValues(text: string): HyperParameters {
  try {
    return parseHyperText(text);
  } catch (error) {
    throw new UsageError(`--hyper: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const MAX_SEED = 0xffffffff;

export function seedValue(text: string, flag = '--seed'): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value > MAX_SEED) {
    throw new UsageError(`${flag} must be an integer from 0 to ${MAX_SEED}; got "${text}"`);
  }
  return value;
}

/**
 * `--sample-users`: the share of users to keep, as a fraction (0.05) or a percentage (5%),
 * from 0.000001 to 1 (1 keeps everyone).
 */
export function sampleFraction(text: string): number {
  const percent = text.endsWith('%');
  const body = percent ? text.slice(0, -1) : text;
  const value = /^\d*\.?\d+(e-?\d+)?$/i.test(body)
    ? Number(body) / (percent ? 100 : 1)
    : Number.NaN;
  if (!(value >= 1e-6 && value <= 1)) {
    throw new UsageError(
      `--sample-users must be a share of users from 0.000001 to 1 (or 0.0001% to 100%); got "${text}"`,
    );
  }
  return value;
}
