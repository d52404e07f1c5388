/**
 * Command-line parsing for `lens`: pure (no file system, no TF.js), so every valid and invalid
 * invocation is tested with its exact message. Built on `node:util` parseArgs in lax mode with
 * tokens, so the messages are ours (one line, naming the option and the command) rather than
 * Node's, which differ between versions and suggest `--` tricks nobody needs here.
 */
import { parseArgs } from 'node:util';
import { COHORTS, type Cohort } from '../core/compare/cohorts';
import type { UserSample } from '../core/data/types';
import { EXPLAIN_METHODS, type ExplainMethod, type Removal } from '../core/explain/types';
import type { HyperParameters } from '../core/models/types';
import {
  IMPORT_DETAILS,
  IMPORT_SUMMARY,
  IMPORT_USAGE,
  type ImportCommand,
  parseImportArgs,
} from './importArgs';

export const COMMANDS = [
  'inspect',
  'train',
  'eval',
  'explain',
  'compare',
  'interests',
  'import',
] as const;
export type CommandName = (typeof COMMANDS)[number];

interface Common {
  /** Path of the interaction file. */
  interactions: string;
  /** Path of the optional item metadata file. */
  items: string | null;
  /** JSON on stdout instead of tables. */
  json: boolean;
}

export type CliCommand =
  | { command: 'help'; topic: CommandName | null }
  | ImportCommand
  | ({
      command: 'inspect';
      /** Load only a user-hash sample (`--sample-users`, `--sample-seed`); absent = every user. */
      sample?: UserSample | null;
    } & Common)
  | ({
      command: 'train';
      /** Train on a user-hash sample (`--sample-users`, `--sample-seed`); absent = every user. */
      sample?: UserSample | null;
      /** Model id as typed; checked against the available variants by {@link checkModelId}. */
      model: string;
      epochs: number | null;
      seed: number | null;
      /** Adam learning rate; null = the model's own default. */
      learningRate: number | null;
      /** Training windows per batch; null = the model's own default. */
      batchSize: number | null;
      /** Time limit of a neural run in seconds (no epoch starts that would end past it); null = none. */
      maxSeconds: number | null;
      /** Hyper-parameters as given (`--hyper name=value,...`); checked against the model later. */
      hyper: HyperParameters;
      /** Folder to save model.json and weights.bin in; null = do not save. */
      out: string | null;
    } & Common)
  | ({
      command: 'eval';
      modelDir: string;
      /** Evaluate a model trained on other (overlapping) data through its item-id mapping. */
      allowOtherData: boolean;
    } & Common)
  | ({
      command: 'explain';
      modelDir: string;
      /** Explain through the item-id mapping a model trained on other data (as eval's flag). */
      allowOtherData: boolean;
      /** User id as in the interaction file. */
      user: string;
      /** Item id to explain; null = the user's top-1 recommendation. */
      item: string | null;
      /** One method (plus what it needs), or every one the model offers. */
      method: ExplainMethodChoice;
      /** K of the top-K questions (counterfactual, margin, faithfulness); null = the engine's 10. */
      k: number | null;
      target: 'score' | 'margin' | null;
      removal: Removal | null;
      /** LIME samples per seed; null = the engine's 1,000. */
      limeSamples: number | null;
      seed: number | null;
    } & Common)
  | ({
      command: 'compare';
      /** Two to four saved model folders, in the order given. */
      modelDirs: string[];
      cohort: Cohort;
      /** Users of the explanation-agreement sample; 0 = skip it. */
      explainUsers: number;
      seed: number | null;
      resamples: number | null;
      /** Compare models trained on other (overlapping) data through their item-id mapping. */
      allowOtherData: boolean;
    } & Common)
  | ({
      command: 'interests';
      /** A saved model: predicted layers (layered), or derived categories without item categories. */
      modelDir: string | null;
      /** One user's layers, or (null) the whole population's evolution. */
      user: string | null;
      surface: 'session' | 'last-n' | null;
      gapMinutes: number | null;
      lastN: number | null;
      halfLifeDays: number | null;
      window: 'auto' | 'day' | 'week' | 'month' | null;
      /** Train the evolution model for the forecast (default true). */
      forecast: boolean;
      allowOtherData: boolean;
    } & Common);

/** What `--method` takes: one explanation method, or `all`. */
export type ExplainMethodChoice = ExplainMethod | 'all';
export const EXPLAIN_METHOD_CHOICES: readonly ExplainMethodChoice[] = [...EXPLAIN_METHODS, 'all'];

import {
  choice,
  hyperValues,
  integerIn,
  learningRate,
  positiveInteger,
  sampleFraction,
  seedValue,
  UsageError,
} from './argValues';

export { UsageError };

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

const USAGE: Record<CommandName, string> = {
  import: IMPORT_USAGE,
  inspect:
    'lens inspect <interactions> [--items <file>] [--sample-users F [--sample-seed S]] [--json]',
  train:
    'lens train <interactions> [--items <file>] --model <id> [--epochs N] [--seed S] [--lr X] [--batch N] [--time-limit S] [--hyper k=v,...] [--sample-users F [--sample-seed S]] [--out <dir>] [--json]',
  eval: 'lens eval <interactions> [--items <file>] --model-dir <dir> [--allow-other-data] [--json]',
  interests:
    'lens interests <interactions> [--items <file>] [--model-dir <dir>] --user <id>|--all [--surface session|last-n] [--gap MIN] [--last-n N] [--half-life DAYS] [--window auto|day|week|month] [--no-forecast] [--json]',
  compare:
    'lens compare <interactions> [--items <file>] --model-dir <dir> --model-dir <dir> [...] [--cohort all|cold-users|heavy-users|head-items|tail-items|cold-items] [--explain-users N] [--resamples N] [--seed S] [--allow-other-data] [--json]',
  explain:
    'lens explain <interactions> [--items <file>] --model-dir <dir> --user <id> [--item <id>] [--method <name>|all] [--k N] [--target score|margin] [--removal close-up|in-place] [--lime-samples N] [--seed S] [--allow-other-data] [--json]',
};

const SUMMARY: Record<CommandName, string> = {
  import: IMPORT_SUMMARY,
  inspect: 'detect the columns of a behaviour file and count users, items and rejected rows',
  train: 'train a model on a temporal leave-last-out split; print its test metrics, save it',
  eval: 'evaluate a saved model on the test split of the same data',
  explain: 'explain why a saved model recommends an item to a user, per history item',
  compare: 'compare 2-4 saved models: metrics with CIs, paired tests, list overlap, explanations',
  interests:
    "a user's layered interests (surface, middle, deep) and their evolution, or everyone's",
};

const SAMPLE_DETAILS = [
  '  --sample-users F load a user-hash sample: every interaction of a share F of the users',
  '                   (0.05 or 5%), chosen by a hash of the user id while the file streams;',
  '                   for files above the 1 GiB (40 million rows) a load holds',
  '  --sample-seed S  seed of that hash (integer 0..4294967295, default 0): another seed',
  '                   keeps other users; the same file, share and seed keep the same ones',
];

const DETAILS: Record<CommandName, string> = {
  import: IMPORT_DETAILS,
  interests: [
    '  --user <id>         the user whose layers and evolution are shown',
    "  --all               the whole population's evolution instead",
    '  --model-dir <dir>   a saved model: the layered model adds its predicted layers; without',
    '                      item categories, categories are derived from its item embeddings',
    '  --surface MODE      session (the latest session, default) or last-n',
    '  --gap MIN           inactivity that ends a session, minutes (default 30)',
    '  --last-n N          events of the last-n surface (default 20)',
    "  --half-life DAYS    half-life of the deep layer's decay weights (default 60)",
    '  --window UNIT       auto (default), day, week or month',
    '  --no-forecast       skip training the evolution model (no next-window forecast)',
    '  --json              the layers as JSON',
    '',
  ].join('\n'),
  compare: [
    '  --model-dir <dir>   a saved model folder (model.json + weights.bin); give it 2 to 4 times',
    '  --cohort <name>     restrict every figure to one cohort of test users: all (default),',
    '                      cold-users / heavy-users (shortest / longest 20 % of histories),',
    '                      head-items / tail-items (test item in / outside the 20 % most',
    '                      interacted training items), cold-items (test item with <= 5)',
    '  --explain-users N   users sampled for the explanation agreement (default 50; 0 = skip)',
    '  --resamples N       bootstrap resamples of the intervals and paired tests (default 1000)',
    '  --seed S            seed of the bootstrap (default 42); the agreement sample uses 7',
    '  --allow-other-data  compare models trained on other data through their item-id mapping',
    '  --json              the comparison as JSON (the compare view exports the same format)',
    '',
  ].join('\n'),
  inspect: [
    '  <interactions>   delimited text (CSV, TSV, ...) or Parquet, told by its content',
    '  --items <file>   item metadata file (titles, categories) to join and report on',
    ...SAMPLE_DETAILS,
    '  --json           print JSON instead of tables',
    '',
  ].join('\n'),
  train: [
    '  --model <id>     model variant, e.g. pop, itemknn, gru, sasrec (required)',
    '  --epochs N       training epochs of a neural model (positive integer)',
    '  --seed S         seed of initialisation and sampling (integer 0..4294967295)',
    "  --lr X           Adam learning rate (0 < X <= 1; default: the model's tuned value)",
    "  --batch N        training windows per batch (default: the model's tuned value)",
    '  --time-limit S   seconds of training (validation included): no epoch starts that',
    '                   would end past it; the best epoch so far is kept',
    '  --hyper k=v,...  hyper-parameters, e.g. maxLen=50,dim=64,loss=softmax (itemknn:',
    '                   neighbours=N); names and ranges are checked against the model',
    ...SAMPLE_DETAILS,
    '  --out <dir>      save model.json and weights.bin in this folder',
    '  --items <file>   item metadata file (side information for models that use it)',
    '  --json           print JSON instead of tables',
    '',
  ].join('\n'),
  eval: [
    '  --model-dir <dir>   folder holding model.json and weights.bin (from train --out)',
    '  --items <file>      item metadata file, as given when training',
    '  --allow-other-data  evaluate a model trained on other data that shares at least half',
    '                      of the items, matched by item id (refused by default: the other',
    "                      data may contain this split's test interactions)",
    '  --json              print JSON instead of tables',
    '',
  ].join('\n'),
  explain: [
    '  --model-dir <dir>   folder holding model.json and weights.bin (from train --out)',
    '  --user <id>         the user whose whole history (every interaction in the file) is',
    '                      explained (required)',
    "  --item <id>         the item to explain (default: the user's top-1 recommendation)",
    '  --method <name>     exact, attention, neighbours, saliency, gradxinput, ig, occlusion,',
    '                      lime, shap, counterfactual or all (default: every method the model',
    '                      offers, then the counterfactual; counterfactual alone runs occlusion',
    '                      too, as the order of its search; neighbours: how alike each history',
    "                      item is to the item in the model's item space, not its influence)",
    '  --k N               K of "why in the top K": counterfactual, margin, POS@K (default 10)',
    '  --target <t>        score (default) or margin: the score minus that of the item at',
    '                      rank K+1',
    '  --removal <r>       close-up (default: the interaction did not happen, the rest closes',
    '                      up) or in-place (its slot is left empty, positions kept)',
    '  --lime-samples N    LIME samples per seed (10..20000, default 1000; 3 seeds)',
    '  --seed S            seed of LIME, SHAP sampling and the random faithfulness orders',
    '  --items <file>      item metadata file, as given when training (titles, categories)',
    '  --allow-other-data  explain a model trained on other data through its item-id mapping',
    '                      (gradients and attention are then unavailable)',
    '  --json              print the explanation report as JSON instead of tables',
    '',
  ].join('\n'),
};

/** The full usage text (`lens --help`), or one command's (`lens train --help`). */
export function usage(topic: CommandName | null = null): string {
  if (topic) {
    const summary = SUMMARY[topic].charAt(0).toUpperCase() + SUMMARY[topic].slice(1);
    return `Usage: ${USAGE[topic]}\n\n${summary}.\n${DETAILS[topic]}`;
  }
  const lines = COMMANDS.map((c) => `  ${c.padEnd(8)} ${SUMMARY[c]}`);
  return [
    'Usage: lens <command> <interactions> [options]    (npm run lens -- <command> ...)',
    '',
    'Commands:',
    ...lines,
    '',
    ...COMMANDS.map((c) => `  ${USAGE[c]}`),
    '',
    'JSON goes to stdout with --json (tables otherwise); progress goes to stderr.',
    'Exit codes: 0 ok, 1 data error (bad file, refused model), 2 usage error (explain: also an',
    'unknown user or item, a model of other data, a method the model cannot offer), 130 interrupted.',
    "Run 'lens <command> --help' for a command's options.",
    '',
  ].join('\n');
}

function isCommand(word: string): word is CommandName {
  return (COMMANDS as readonly string[]).includes(word);
}

/** Parses `argv` (without `node` and the script). Throws {@link UsageError} with one line. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [first, ...rest] = argv;
  if (first === undefined)
    throw new UsageError(
      'no command given; expected inspect, train, eval, explain, compare, interests or import (see lens --help)',
    );
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0];
    return { command: 'help', topic: topic !== undefined && isCommand(topic) ? topic : null };
  }
  if (!isCommand(first)) {
    const what = first.startsWith('-')
      ? `option ${first} before the command`
      : `command "${first}"`;
    throw new UsageError(
      `unknown ${what}; expected inspect, train, eval, explain, compare, interests or import (see lens --help)`,
    );
  }
  if (rest.includes('--help') || rest.includes('-h')) return { command: 'help', topic: first };
  if (first === 'import') return parseImportArgs(rest);
  const { values, positionals } = readOptions(first, rest);
  const interactions = onePositional(first, positionals);
  const common: Common = {
    interactions,
    items: values.items ?? null,
    json: values.json === 'true',
  };
  const sample = sampleOption(first, values);
  if (first === 'inspect') return { command: 'inspect', ...common, sample };
  if (first === 'explain') return explainCommand(common, values);
  if (first === 'compare') return compareCommand(common, values);
  if (first === 'interests') return interestsCommand(common, values);
  if (first === 'eval') {
    return {
      command: 'eval',
      ...common,
      modelDir: required(first, values, 'model-dir'),
      allowOtherData: values['allow-other-data'] === 'true',
    };
  }
  return {
    command: 'train',
    ...common,
    sample,
    model: required(first, values, 'model'),
    epochs: values.epochs === undefined ? null : positiveInteger('--epochs', values.epochs),
    seed: values.seed === undefined ? null : seedValue(values.seed),
    learningRate: values.lr === undefined ? null : learningRate(values.lr),
    batchSize: values.batch === undefined ? null : positiveInteger('--batch', values.batch),
    maxSeconds:
      values['time-limit'] === undefined
        ? null
        : positiveInteger('--time-limit', values['time-limit']),
    hyper: values.hyper === undefined ? {} : hyperValues(values.hyper),
    out: values.out ?? null,
  };
}

/** `--sample-users F [--sample-seed S]`, or null; a seed alone is a mistake. */
function sampleOption(command: CommandName, values: Record<string, string>): UserSample | null {
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

function explainCommand(
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

function interestsCommand(
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

function compareCommand(
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
function readOptions(
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

function onePositional(command: CommandName, positionals: string[]): string {
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

function required(command: CommandName, values: Record<string, string>, name: string): string {
  const value = values[name];
  if (value === undefined) throw new UsageError(`${command} needs --${name}: ${USAGE[command]}`);
  return value;
}

/**
 * Refuses a model id that is not one of `available` (the variants this build has), listing
 * them. Separate from parsing because the list comes from the model registry, which loads TF.js.
 */
export function checkModelId(id: string, available: readonly string[]): void {
  if (!available.includes(id)) {
    throw new UsageError(`unknown model "${id}"; valid models: ${available.join(', ')}`);
  }
}
