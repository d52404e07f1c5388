/**
 * `lens explain`: "why this item?" on the command line. The same engine and the same report as
 * the page (`explainRecommendation`, `explanationReport`), over the user's whole history in
 * the loaded file, with a saved model restored and matched to the data as `eval` does.
 *
 * Asking the wrong question of the right files (an unknown user or item, a model trained on
 * other data without --allow-other-data, a method this model cannot offer) is a usage error:
 * one sentence and exit 2.
 */
import {
  ExplainError,
  type ExplainMethod,
  type ExplainOptionsInput,
  type ExplainProgress,
  type Explanation,
  type ExplanationReport,
  explainRecommendation,
  explanationReport,
  resolveExplainOptions,
} from '../../core/explain';
import { userHistory } from '../../core/train/split';
import { type CliCommand, UsageError } from '../args';
import type { Write } from '../progress';
import { readModelAndData, restoreOnData } from './savedModel';

type ExplainCommand = Extract<CliCommand, { command: 'explain' }>;

/** The engine's options for the command's flags (defaults left to the engine). */
export function explainOptions(command: ExplainCommand): ExplainOptionsInput {
  const methods: readonly ExplainMethod[] | undefined =
    command.method === 'all'
      ? undefined
      : command.method === 'counterfactual'
        ? ['occlusion', 'counterfactual']
        : [command.method];
  const input: ExplainOptionsInput = {
    ...(methods ? { methods } : {}),
    ...(command.k !== null ? { k: command.k } : {}),
    ...(command.target !== null ? { target: command.target } : {}),
    ...(command.removal !== null ? { removal: command.removal } : {}),
    ...(command.seed !== null ? { seed: command.seed } : {}),
    ...(command.limeSamples !== null ? { lime: { samples: command.limeSamples } } : {}),
  };
  try {
    resolveExplainOptions(input);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return input;
}

/** The reason the one method asked for cannot be given, or null when it was given. */
function unavailableReason(command: ExplainCommand, e: Explanation): string | null {
  if (command.method === 'all') return null;
  if (command.method === 'counterfactual') {
    const cf = e.counterfactual;
    return cf?.status === 'unavailable' ? (cf.reason ?? 'no reason given') : null;
  }
  const outcome = e.methods[command.method];
  return outcome?.status === 'unavailable' ? outcome.reason : null;
}

/** One progress line per finished method on stderr, so a slow method is visibly the slow one. */
function progressLines(stderr: Write, itemIds: readonly string[]) {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  return (p: ExplainProgress) => {
    if (p.kind === 'started') {
      stderr(
        `explaining item ${itemIds[p.item]} (score ${p.score.toPrecision(5)}, rank ${p.rank}); ` +
          `the model reads ${p.read} of ${p.read + p.unread} interactions\n`,
      );
    } else if (p.kind === 'method') {
      const what = p.result.status === 'ok' ? ms(p.result.ms) : 'unavailable';
      stderr(`${p.method}: ${what} (${p.done}/${p.total})\n`);
    } else if (p.kind === 'counterfactual') {
      stderr(`counterfactual: ${p.result.status} (${ms(p.result.ms)})\n`);
    } else {
      stderr(`faithfulness: ${Object.keys(p.result).length} curves\n`);
    }
  };
}

/** Runs `explain`: loads model and data, finds user and item, explains, reports in ids. */
export async function runExplain(
  command: ExplainCommand,
  io: { stderr: Write; signal?: AbortSignal },
): Promise<ExplanationReport> {
  const options = explainOptions(command);
  const { decoded, loaded, match } = await readModelAndData(command, io);
  const { meta } = decoded;
  const { dataset, fileName } = loaded;
  if (match.status === 'refused') throw new UsageError(match.reason);
  if (match.status === 'mapped' && !command.allowOtherData) {
    throw new UsageError(
      `This model was trained on other data ("${meta.dataset.name}", ${meta.dataset.interactions} interactions) ` +
        `and ${match.mappedItems} of this dataset's ${dataset.itemIds.length} items match by id: explain it on the data ` +
        'it was trained on (with the same --items file, if one was given), or pass --allow-other-data to explain it through the item-id mapping.',
    );
  }
  const user = dataset.userIds.indexOf(command.user);
  if (user < 0) {
    throw new UsageError(
      `There is no user "${command.user}" in ${fileName} (${dataset.userIds.length} users).`,
    );
  }
  const item = command.item === null ? null : dataset.itemIds.indexOf(command.item);
  if (item !== null && item < 0) {
    throw new UsageError(
      `There is no item "${command.item}" in ${fileName} (${dataset.itemIds.length} items).`,
    );
  }
  io.signal?.throwIfAborted();
  const { model } = await restoreOnData(decoded, match, dataset, {
    stderr: io.stderr,
    verb: 'explaining',
  });
  try {
    const explanation = await explainRecommendation(
      {
        model,
        history: userHistory(dataset, user),
        item,
        itemCategories: dataset.itemCategories,
        categoryNames: dataset.categoryNames,
      },
      options,
      { signal: io.signal, onProgress: progressLines(io.stderr, dataset.itemIds) },
    );
    const reason = unavailableReason(command, explanation);
    if (reason !== null) {
      throw new UsageError(`--method ${command.method}: ${reason}`);
    }
    return explanationReport(explanation, dataset, command.user, meta.name);
  } catch (error) {
    // The engine's refusals (an item the mapped model never saw, nothing left to recommend,
    // fewer than K other items for the margin) are about the question asked.
    if (error instanceof ExplainError) throw new UsageError(error.message);
    throw error;
  } finally {
    model.dispose();
  }
}
