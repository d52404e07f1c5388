/**
 * Command-line parsing for `lens`: pure (no file system, no TF.js), so every valid and invalid
 * invocation is tested with its exact message. Built on `node:util` parseArgs in lax mode with
 * tokens, so the messages are ours (one line, naming the option and the command) rather than
 * Node's, which differ between versions and suggest `--` tricks nobody needs here.
 */
import type { Cohort } from '../core/compare/cohorts';
import type { UserSample } from '../core/data/types';
import type { ExplainMethod, Removal } from '../core/explain/types';
import type { HyperParameters } from '../core/models/types';
import { hyperValues, learningRate, positiveInteger, seedValue, UsageError } from './argValues';
import {
  compareCommand,
  explainCommand,
  interestsCommand,
  onePositional,
  readOptions,
  required,
  sampleOption,
} from './commandArgs';
import { type ImportCommand, parseImportArgs } from './importArgs';
import { COMMANDS, type CommandName } from './usage';

export interface Common {
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

export { UsageError };

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

/**
 * Refuses a model id that is not one of `available` (the variants this build has), listing
 * them. Separate from parsing because the list comes from the model registry, which loads TF.js.
 */
export function checkModelId(id: string, available: readonly string[]): void {
  if (!available.includes(id)) {
    throw new UsageError(`unknown model "${id}"; valid models: ${available.join(', ')}`);
  }
}
