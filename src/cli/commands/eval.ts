/**
 * `lens eval`: a saved model (model.json + weights.bin, from `lens train --out` or exported
 * by the page) scored on the test split of an interaction file, with the same split and
 * metric code as training, so on the same data it reproduces the train run's numbers exactly.
 */
import type { EvaluationProtocol } from '../../core/models/baseline-types';
import type { ModelId } from '../../core/models/types';
import { baselineScores, belowSentence, withBaselineCheck } from '../../core/train/baselineCheck';
import { evaluate } from '../../core/train/evaluate';
import { temporalLeaveLastOut } from '../../core/train/split';
import type { CliCommand } from '../args';
import { DataError } from '../errors';
import type { Write } from '../progress';
import {
  CLI_CUTOFFS,
  type CliMetrics,
  type EvaluatedUsers,
  evaluatedUsers,
  headlineMetrics,
} from './metrics';
import { readModelAndData, restoreOnData } from './savedModel';

export interface EvalResult extends EvaluatedUsers {
  model: ModelId;
  /** The model's saved name. */
  name: string;
  modelDir: string;
  protocol: EvaluationProtocol;
  /** Test-split metrics (last interaction per user). */
  metrics: CliMetrics;
  /** The file the model was trained on, as saved with it. */
  trainedOn: string;
  /** `same`: trained on this data; `mapped`: other data, items matched by id (--allow-other-data). */
  datasetMatch: 'same' | 'mapped';
  /** Under `mapped`: this dataset's items the model never saw (scored -Infinity, never hit). */
  unknownItems: number;
  /** TF.js backend of a neural model; `none` for baselines. */
  backend: string;
  dataset: string;
  /** Baselines whose test NDCG@10 on this split is above this model's (a warning). */
  belowBaselines: string[];
  baselineNdcg10: Record<string, number>;
}

type EvalCommand = Extract<CliCommand, { command: 'eval' }>;

/** Runs `eval`: reads and checks the model, matches it to the data, evaluates on test. */
export async function runEval(
  command: EvalCommand,
  io: { stderr: Write; signal?: AbortSignal },
): Promise<EvalResult> {
  const { decoded, loaded, match } = await readModelAndData(command, io);
  const { meta } = decoded;
  const { dataset } = loaded;
  if (match.status === 'refused') throw new DataError(match.reason);
  if (match.status === 'mapped' && !command.allowOtherData) {
    throw new DataError(
      `This model was trained on other data ("${meta.dataset.name}", ${meta.dataset.interactions} interactions); ` +
        `${match.mappedItems} of this dataset's ${dataset.itemIds.length} items match by id. ` +
        'Its metrics here may count interactions it was trained on: evaluate it on the data it was trained on ' +
        '(with the same --items file, if one was given), or pass --allow-other-data.',
    );
  }
  const id = meta.record.modelId;
  const { model, backend } = await restoreOnData(decoded, match, dataset, {
    stderr: io.stderr,
    verb: 'evaluating',
  });
  try {
    const split = temporalLeaveLastOut(dataset);
    const { report } = await evaluate(model.score, split, {
      which: 'test',
      k: CLI_CUTOFFS,
      signal: io.signal,
    });
    const checked = withBaselineCheck(
      { ...meta.record, test: report },
      await baselineScores(dataset, split, { signal: io.signal }),
    );
    if ((checked.belowBaselines ?? []).length > 0)
      io.stderr(`warning: ${belowSentence(checked)}\n`);
    return {
      model: id,
      name: meta.name,
      modelDir: command.modelDir,
      protocol: report.protocol,
      metrics: headlineMetrics(report),
      ...evaluatedUsers(report),
      trainedOn: meta.dataset.name,
      datasetMatch: match.status,
      unknownItems: match.status === 'mapped' ? match.unknownItems : 0,
      backend,
      dataset: loaded.fileName,
      belowBaselines: checked.belowBaselines ?? [],
      baselineNdcg10: checked.baselineNdcg10 ?? {},
    };
  } finally {
    model.dispose();
  }
}
