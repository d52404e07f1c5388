/**
 * `lens compare`: two to four saved models side by side on the same data, with the very code
 * the compare view runs in the worker (profile → compare → explanation agreement), so the page
 * and the command line give the same numbers for the same model files.
 */
import path from 'node:path';
import { explanationAgreement } from '../../core/compare/agreement';
import { selectCohort } from '../../core/compare/cohorts';
import { compareProfiles } from '../../core/compare/compare';
import { type ComparisonExport, comparisonExport } from '../../core/compare/export';
import { type ModelProfile, profileModel, weightBytes } from '../../core/compare/profile';
import { explainRecommendation } from '../../core/explain';
import type { TrainedRecommender } from '../../core/models/trained';
import { type DatasetMatch, decodeModel, importedMatch, matchDataset } from '../../core/persist';
import { temporalLeaveLastOut } from '../../core/train/split';
import { type CliCommand, UsageError } from '../args';
import type { Write } from '../progress';
import { loadData } from './load';
import { readModelDir } from './modelDir';
import { restoreOnData } from './savedModel';

type CompareCommand = Extract<CliCommand, { command: 'compare' }>;

/** The seed of the explanation sample (the page's default too). */
const AGREEMENT_SEED = 7;

/**
 * Distinct keys for the models: the variant id; where two share one, the id with the folder
 * name, or with the position when the folders share a name too.
 */
function modelKeys(ids: string[], dirs: string[]): string[] {
  const unique = (keys: string[], i: number) => keys.indexOf(keys[i]) === keys.lastIndexOf(keys[i]);
  const named = ids.map((id, i) =>
    unique(ids, i) ? id : `${id}@${path.basename(path.resolve(dirs[i]))}`,
  );
  return named.map((key, i) => (unique(named, i) ? key : `${ids[i]}#${i + 1}`));
}

export async function runCompare(
  command: CompareCommand,
  io: { stderr: Write; signal?: AbortSignal },
): Promise<ComparisonExport> {
  // Every model file is decoded before the (possibly large) data file is read.
  const decoded = await Promise.all(
    command.modelDirs.map(async (dir) => {
      const files = await readModelDir(dir);
      return decodeModel(files.modelJson, files.weightsBin);
    }),
  );
  const loaded = await loadData(command.interactions, {
    items: command.items,
    signal: io.signal,
    progress: io.stderr,
  });
  const { dataset, fileName } = loaded;
  const keys = modelKeys(
    decoded.map((d) => d.meta.record.modelId),
    command.modelDirs,
  );
  const matches = decoded.map((d, i) => {
    // An imported TF.js model maps its own ids onto any data (checked when it is restored).
    const match: DatasetMatch = d.tfjs
      ? importedMatch(d.meta, dataset)
      : matchDataset(d.meta, dataset);
    if (match.status === 'refused')
      throw new UsageError(`${command.modelDirs[i]}: ${match.reason}`);
    if (match.status === 'mapped' && !command.allowOtherData) {
      throw new UsageError(
        `${command.modelDirs[i]} was trained on other data ("${d.meta.dataset.name}"), not ${fileName}: ` +
          'compare models on the data they were trained on, or pass --allow-other-data to compare through the item-id mapping.',
      );
    }
    return match;
  });
  const split = temporalLeaveLastOut(dataset);
  const models: TrainedRecommender[] = [];
  try {
    const profiles: ModelProfile[] = [];
    for (let i = 0; i < decoded.length; i++) {
      io.signal?.throwIfAborted();
      const { model } = await restoreOnData(decoded[i], matches[i], dataset, {
        stderr: io.stderr,
        verb: 'comparing',
      });
      models.push(model);
      io.stderr(`scoring ${keys[i]} on ${split.test.users.length} test users\n`);
      profiles.push(
        await profileModel(model, split, {
          key: keys[i],
          trainSeconds: decoded[i].meta.record.trainSeconds,
          sizeBytes: weightBytes(model),
          signal: io.signal,
        }),
      );
    }
    const { report } = compareProfiles(profiles, split, {
      cohort: command.cohort,
      resamples: command.resamples ?? undefined,
      seed: command.seed ?? undefined,
      itemCategories: dataset.itemCategories,
    });
    if (command.explainUsers === 0) return comparisonExport(report, null);
    const rows = selectCohort(split, command.cohort).rows;
    if (rows.length === 0) return comparisonExport(report, null);
    let lastLine = -1;
    const agreement = await explanationAgreement(
      models.map((model, i) => ({ key: keys[i], model })),
      split,
      rows,
      {
        explain: explainRecommendation,
        users: Math.min(command.explainUsers, rows.length),
        seed: AGREEMENT_SEED,
        itemCategories: dataset.itemCategories,
        categoryNames: dataset.categoryNames,
        signal: io.signal,
        onProgress: (done, total) => {
          const tenth = Math.floor((10 * done) / Math.max(1, total));
          if (tenth !== lastLine) {
            lastLine = tenth;
            io.stderr(`explanation agreement: ${done}/${total} explanations\n`);
          }
        },
      },
    );
    return comparisonExport(report, agreement);
  } finally {
    for (const model of models) model.dispose();
  }
}
