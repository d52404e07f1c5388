/**
 * The options each command takes, read from the command line and checked (one-line messages
 * naming the option and the command), and the commands built from them.
 */
import { parseArgs } from 'node:util';
import { COHORTS } from '../core/compare/cohorts';
import type { UserSample } from '../core/data/types';
import { EXPLAIN_METHODS } from '../core/explain/types';
import type { CliCommand, Common, ExplainMethodChoice } from './args';
import { choice, integerIn, sampleFraction, seedValue, UsageError } from './argValues';
import { type CommandName, USAGE } from './usage';

export const EXPLAIN_METHOD_CHOICES: readonly ExplainMethodChoice[] = [...EXPLAIN_METHODS, 'all'];

/** `strings`: a string option that may be given several times (`--model-dir a --model-dir b`). */
type OptionKind = 'string' | 'boolean' | 'strings';
/** Separates the values of a repeated option (no file name can hold it). */
const REPEAT_SEPARATOR = '\u0000';
const COMMON_OPTIONS: Record<string, OptionKind> = { items: 'string', json: 'boolean' };
const SAMPLE_OPTIONS: Record<string, OptionKind> = {
  'sample-users': 'string',
  'sample-seed': 'string',
};
const OPTIONS: Record<CommandName, Record<string, OptionKind>> = {
  inspect: { ...COMMON_OPTIONS, ...SAMPLE_OPTIONS },
  train: {
    ...COMMON_OPTIONS,
    ...SAMPLE_OPTIONS,
    model: 'string',
    epochs: 'string',
    seed: 'string',
    lr: 'string',
    batch: 'string',
    'time-limit': 'string',
    hyper: 'string',
    out: 'string',
  },
  eval: { ...COMMON_OPTIONS, 'model-dir': 'string', 'allow-other-data': 'boolean' },
  explain: {
    ...COMMON_OPTIONS,
    'model-dir': 'string',
    user: 'string',
    item: 'string',
    method: 'string',
    k: 'string',
    target: 'string',
    removal: 'string',
    'lime-samples': 'string',
    seed: 'string',
    'allow-other-data': 'boolean',
  },
  interests: {
    ...COMMON_OPTIONS,
    'model-dir': 'string',
    user: 'string',
    all: 'boolean',
    surface: 'string',
    gap: 'string',
    'last-n': 'string',
    'half-life': 'string',
    window: 'string',
    'no-forecast': 'boolean',
    'allow-other-data': 'boolean',
  },
  compare: {
    ...COMMON_OPTIONS,
    'model-dir': 'strings',
    cohort: 'string',
    'explain-users': 'string',
    seed: 'string',
    resamples: 'string',
    'allow-other-data': 'boolean',
  },
  // Parsed by importArgs.ts (its positional arguments are model files).
  import: {},
};

/** `--sample-users F [--sample-seed S]`, or null; a seed alone is a mistake. */
export function sampleOption(
  command: CommandName,
  values: Record<string, string>,
): UserSample | null {
  const fraction = values['sample-users'];
  const seed = values['sample-seed'];
  if (fraction === undefined) {
    if (seed !== undefined) {
      throw new UsageError(`--sample-seed needs --sample-users: ${USAGE[command]}`);
    }
    return null;
  }
  return {
    fraction: sampleFraction(fraction),
    seed: seed === undefined ? 0 : seedValue(seed, '--sample-seed'),
  };
}

export function explainCommand(
  common: Common,
  values: Record<string, string>,
): Extract<CliCommand, { command: 'explain' }> {
  const defined = (name: string) => values[name] !== undefined;
  return {
    command: 'explain',
    ...common,
    modelDir: required('explain', values, 'model-dir'),
    user: required('explain', values, 'user'),
    item: values.item ?? null,
    method: defined('method') ? choice('--method', values.method, EXPLAIN_METHOD_CHOICES) : 'all',
    k: defined('k') ? integerIn('--k', values.k, 1, 1000) : null,
    target: defined('target')
      ? choice('--target', values.target, ['score', 'margin'] as const)
      : null,
    removal: defined('removal')
      ? choice('--removal', values.removal, ['close-up', 'in-place'] as const)
      : null,
    limeSamples: defined('lime-samples')
      ? integerIn('--lime-samples', values['lime-samples'], 10, 20_000)
      : null,
    seed: defined('seed') ? seedValue(values.seed) : null,
    allowOtherData: values['allow-other-data'] === 'true',
  };
}

export function interestsCommand(
  common: Common,
  values: Record<string, string>,
): Extract<CliCommand, { command: 'interests' }> {
  const defined = (name: string) => values[name] !== undefined;
  const all = values.all === 'true';
  if (all === defined('user')) {
    throw new UsageError(`interests needs exactly one of --user <id> or --all: ${USAGE.interests}`);
  }
  return {
    command: 'interests',
    ...common,
    modelDir: values['model-dir'] ?? null,
    user: all ? null : values.user,
    surface: defined('surface')
      ? choice('--surface', values.surface, ['session', 'last-n'] as const)
      : null,
    gapMinutes: defined('gap') ? integerIn('--gap', values.gap, 1, 525_600) : null,
    lastN: defined('last-n') ? integerIn('--last-n', values['last-n'], 1, 1_000_000) : null,
    halfLifeDays: defined('half-life')
      ? integerIn('--half-life', values['half-life'], 1, 36_500)
      : null,
    window: defined('window')
      ? choice('--window', values.window, ['auto', 'day', 'week', 'month'] as const)
      : null,
    forecast: values['no-forecast'] !== 'true',
    allowOtherData: values['allow-other-data'] === 'true',
  };
}

export function compareCommand(
  common: Common,
  values: Record<string, string>,
): Extract<CliCommand, { command: 'compare' }> {
  const modelDirs = required('compare', values, 'model-dir').split(REPEAT_SEPARATOR);
  if (modelDirs.length < 2 || modelDirs.length > 4) {
    throw new UsageError(
      `compare takes 2 to 4 --model-dir options; got ${modelDirs.length}: ${USAGE.compare}`,
    );
  }
  if (new Set(modelDirs).size !== modelDirs.length) {
    throw new UsageError('the same --model-dir is given twice');
  }
  const defined = (name: string) => values[name] !== undefined;
  return {
    command: 'compare',
    ...common,
    modelDirs,
    cohort: defined('cohort') ? choice('--cohort', values.cohort, COHORTS) : 'all',
    explainUsers: defined('explain-users')
      ? integerIn('--explain-users', values['explain-users'], 0, 1000)
      : 50,
    seed: defined('seed') ? seedValue(values.seed) : null,
    resamples: defined('resamples')
      ? integerIn('--resamples', values.resamples, 100, 100_000)
      : null,
    allowOtherData: values['allow-other-data'] === 'true',
  };
}

/** Option values as strings (booleans as 'true'), after checking names, values and repeats. */
export function readOptions(
  command: CommandName,
  args: string[],
): { values: Record<string, string>; positionals: string[] } {
  const known = OPTIONS[command];
  const options = Object.fromEntries(
    Object.entries(known).map(([name, type]) => [
      name,
      { type: type === 'strings' ? 'string' : type },
    ]),
  ) as Record<string, { type: 'string' | 'boolean' }>;
  const { tokens } = parseArgs({
    args,
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Record<string, string> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    const flag = token.rawName;
    const type = known[token.name];
    if (type === undefined || !token.rawName.startsWith('--')) {
      const valid = Object.keys(known)
        .map((n) => `--${n}`)
        .join(', ');
      throw new UsageError(`unknown option ${flag} for ${command}; valid options: ${valid}`);
    }
    if (token.name in values && type !== 'strings') {
      throw new UsageError(`${flag} is given more than once`);
    }
    if (type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${flag} takes no value`);
      values[token.name] = 'true';
      continue;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith('--'))) {
      throw new UsageError(`${flag} needs a value`);
    }
    if (value.trim() === '') throw new UsageError(`${flag} needs a non-empty value`);
    values[token.name] =
      token.name in values ? `${values[token.name]}${REPEAT_SEPARATOR}${value}` : value;
  }
  return { values, positionals };
}

export function onePositional(command: CommandName, positionals: string[]): string {
  if (positionals.length === 0) {
    throw new UsageError(`${command} needs an interaction file: ${USAGE[command]}`);
  }
  if (positionals.length > 1) {
    const extra = positionals.slice(1).join(' ');
    throw new UsageError(
      `${command} takes one interaction file; unexpected extra argument: ${extra}`,
    );
  }
  return positionals[0];
}

export function required(
  command: CommandName,
  values: Record<string, string>,
  name: string,
): string {
  const value = values[name];
  if (value === undefined) throw new UsageError(`${command} needs --${name}: ${USAGE[command]}`);
  return value;
}
