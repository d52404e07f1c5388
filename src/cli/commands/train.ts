/**
 * `lens train`: the page's "train a variant" on the command line. Same ingest, same temporal
 * leave-last-out split, same `trainVariant` and metric code as the worker, so the numbers a
 * script gets are the numbers the dashboard shows for the same file, model and seed.
 */
import type { UserSampleReport } from '../../core/data/types';
import type { EvaluationProtocol } from '../../core/models/baseline-types';
import { itemFeaturesFromDataset } from '../../core/models/features';
import { type HyperSpec, resolveHyper } from '../../core/models/hyper';
import type { TrainingRecord } from '../../core/models/trained';
import type { HyperParameters, ModelId } from '../../core/models/types';
import { encodeModel } from '../../core/persist';
import { baselineScores, belowSentence, withBaselineCheck } from '../../core/train/baselineCheck';
import { itemKnnNeighbours } from '../../core/train/baselineVariants';
import { temporalLeaveLastOut } from '../../core/train/split';
import type { EpochProgress } from '../../core/train/trainer';
import { availableVariants, DEFAULT_TRAINING, trainVariant } from '../../core/train/variants';
import { type CliCommand, checkModelId, UsageError } from '../args';
import { initNodeBackend } from '../backend';
import type { Write } from '../progress';
import { loadData } from './load';
import { type CliMetrics, type EvaluatedUsers, evaluatedUsers, headlineMetrics } from './metrics';
import { checkOutputFolder, writeModelDir } from './modelDir';

export interface TrainResult extends EvaluatedUsers {
  model: ModelId;
  /** Ranking protocol of the metrics (always full ranking on the command line). */
  protocol: EvaluationProtocol;
  /** Test-split metrics (last interaction per user). */
  metrics: CliMetrics;
  trainSeconds: number;
  /** Epochs run (0 for baselines, which are fitted in one pass). */
  epochs: number;
  /** Epoch whose weights were kept (early stopping on validation NDCG@10); 0 for baselines. */
  bestEpoch: number;
  stoppedBy: TrainingRecord['stoppedBy'];
  seed: number;
  /** TF.js backend of a neural model; `none` for baselines (plain TypeScript). */
  backend: string;
  dataset: string;
  /** Folder the model was saved in; null without --out. */
  savedTo: string | null;
  /** Baselines whose test NDCG@10 on the same split is above this model's (a warning). */
  belowBaselines: string[];
  /** The next-item loss the run resolved to (exact or sampled, and how), for neural models. */
  loss: string | null;
  /** The baselines' test NDCG@10 the check compared with. */
  baselineNdcg10: Record<string, number>;
  /** The user-hash sample trained on (`--sample-users`); null = every user of the file. */
  sample: UserSampleReport | null;
}

type TrainCommand = Extract<CliCommand, { command: 'train' }>;

function epochLine(p: EpochProgress, epochs: number): string {
  const at10 = p.validation.atK.find((m) => m.k === 10);
  const validation = at10
    ? `, validation ndcg@10 ${at10.ndcg.toFixed(4)}, hr@10 ${at10.hitRate.toFixed(4)}`
    : '';
  return `epoch ${p.epoch}/${epochs}: loss ${p.loss.toFixed(4)}${validation} (${p.trainSeconds.toFixed(1)} s)\n`;
}

/**
 * Refuses hyper-parameters the model does not declare, or out of range, before any data is
 * read (a usage error naming each problem), rather than after loading the file.
 */
function checkHyper(
  id: ModelId,
  hyper: HyperParameters,
  specs: Record<string, HyperSpec> | null,
): void {
  try {
    if (specs) resolveHyper(id, specs, hyper);
    else if (id === 'itemknn') itemKnnNeighbours(hyper);
    else if (Object.keys(hyper).length > 0) throw new RangeError(`${id} has no hyper-parameters.`);
  } catch (error) {
    throw new UsageError(`--hyper: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Runs `train`: checks the model id, loads, splits, trains, evaluates on test, saves. */
export async function runTrain(
  command: TrainCommand,
  io: { stderr: Write; signal?: AbortSignal },
): Promise<TrainResult> {
  const variants = availableVariants();
  checkModelId(
    command.model,
    variants.map((v) => v.id),
  );
  const id = command.model as ModelId;
  const neural = variants.find((v) => v.id === id)?.kind === 'neural';
  checkHyper(id, command.hyper, variants.find((v) => v.id === id)?.hyper ?? null);
  if (!neural) {
    const ignored = [
      command.epochs !== null && '--epochs',
      command.seed !== null && '--seed',
      command.learningRate !== null && '--lr',
      command.batchSize !== null && '--batch',
      command.maxSeconds !== null && '--time-limit',
    ];
    for (const flag of ignored.filter(Boolean)) {
      io.stderr(`note: ${id} is a baseline fitted in one pass, so ${flag} has no effect\n`);
    }
  }
  if (command.out) await checkOutputFolder(command.out);
  const loaded = await loadData(command.interactions, {
    items: command.items,
    sample: command.sample ?? null,
    signal: io.signal,
    progress: io.stderr,
  });
  const { dataset } = loaded;
  const sample = loaded.interactions.report.sample ?? null;
  if (sample) {
    const note = loaded.interactions.report.notices.find((n) => n.code === 'user-sample');
    if (note) io.stderr(`note: ${note.message}\n`);
  }
  const split = temporalLeaveLastOut(dataset);
  const backend = neural ? (await initNodeBackend(io.stderr)).backend : 'none';
  io.stderr(
    `training ${id} on ${dataset.userIds.length} users, ${dataset.itemIds.length} items ` +
      `(${split.test.users.length} users evaluated, ${split.excludedUsers.length} with fewer than ${split.minInteractions} interactions not evaluated)\n`,
  );
  const trained = await trainVariant(dataset, split, id, {
    epochs: command.epochs ?? undefined,
    seed: command.seed ?? undefined,
    learningRate: command.learningRate ?? undefined,
    batchSize: command.batchSize ?? undefined,
    maxSeconds: command.maxSeconds ?? undefined,
    hyper: command.hyper,
    signal: io.signal,
    backend,
    features: neural ? itemFeaturesFromDataset(dataset) : undefined,
    onEpoch: (p) => io.stderr(epochLine(p, command.epochs ?? DEFAULT_TRAINING.epochs)),
  });
  const { model } = trained;
  try {
    if (!trained.record.test) throw new Error(`Training ${id} produced no test evaluation.`);
    const record = withBaselineCheck(
      trained.record,
      await baselineScores(dataset, split, { signal: io.signal }),
    );
    const below = record.belowBaselines ?? [];
    if (below.length > 0) {
      io.stderr(`warning: ${belowSentence(record)}\n`);
    }
    if (command.out) {
      const name = `${id} on ${loaded.fileName}`;
      const replaced = await writeModelDir(
        command.out,
        encodeModel(model, record, dataset, loaded.fileName, name),
      );
      const what = replaced ? 'replaced the model in' : 'saved to';
      io.stderr(`${what} ${command.out}: ${name}\n`);
    }
    const test = trained.record.test;
    return {
      model: id,
      protocol: test.protocol,
      metrics: headlineMetrics(test),
      ...evaluatedUsers(test),
      belowBaselines: below,
      loss: trained.record.lossDescription ?? null,
      baselineNdcg10: record.baselineNdcg10 ?? {},
      trainSeconds: record.trainSeconds,
      epochs: record.epochs,
      bestEpoch: record.bestEpoch,
      stoppedBy: record.stoppedBy,
      seed: record.seed,
      backend: record.backend,
      dataset: loaded.fileName,
      savedTo: command.out,
      sample,
    };
  } finally {
    model.dispose();
  }
}
