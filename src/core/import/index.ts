/**
 * Models trained anywhere, imported onto the loaded data: Keras (TF.js layers format) of the
 * history-in and ids-in kinds, TF.js graph models, and ALS factor tables. One call reads the
 * files, proposes or applies the id mapping and returns a recommender the rest of Interest Lens
 * uses like its own, plus a training record evaluated on the loaded data by the same protocol.
 */
import type { Dataset } from '../data/types';
import { ModelFileError } from '../models/modelFileError';
import { perUserRanks, type TrainedRecommender, type TrainingRecord } from '../models/trained';
import type { ImportedModelId } from '../models/types';
import * as tf from '../tf';
import { evaluate } from '../train/evaluate';
import type { LeaveLastOutSplit } from '../train/split';
import type { MappingProposal, ModelMapping } from './mapping';
import { type NamedFile, readTfjsModelFiles } from './modelFiles';
import { loadTfjsModel, mapTfjsModel, proposeFor } from './tfjsModel';

export type { MappingProposal, ModelMapping } from './mapping';
export type { NamedFile } from './modelFiles';

/** One sentence on a mapping the user gave (the proposal's notes explain a proposed one). */
export function describeMapping(mapping: ModelMapping): string {
  const ids = (m: ModelMapping['items'], what: string) =>
    m.kind === 'identity'
      ? `model ${what} id = dataset id`
      : m.kind === 'offset'
        ? `model ${what} id = dataset id + ${m.offset}`
        : `${what} ids from a mapping file of ${m.ids.length} ids`;
  if (mapping.kind === 'ids') {
    return `Ids in: ${mapping.userInput} is the user, ${mapping.itemInput} the item; ${ids(mapping.users, 'user')}, ${ids(mapping.items, 'item')}.`;
  }
  return `History in: the last ${mapping.maxLen} items, ${mapping.padding}-padded with id ${mapping.padValue}; ${ids(mapping.items, 'item')}; output column c scores model id c + ${mapping.outputOffset}.`;
}

/** What the page shows about a TF.js model before it is mapped. */
export interface ForeignModelSummary {
  kind: 'keras' | 'graph';
  source: string;
  inputs: { name: string; shape: (number | null)[] }[];
  output: (number | null)[];
  parameters: number;
}

export interface TfjsImport {
  model: TrainedRecommender;
  proposal: MappingProposal;
  mapping: ModelMapping;
  summary: ForeignModelSummary;
}

/**
 * Reads a TF.js model's files and maps it onto `dataset`: with `mapping` when given, else with
 * the proposal. A proposal that cannot be completed (the dataset's ids are not integers and no
 * mapping file was given) is refused with the reason. The caller owns the returned model.
 */
export async function importTfjsModel(
  files: readonly NamedFile[],
  dataset: Dataset,
  mapping?: ModelMapping,
): Promise<TfjsImport> {
  const loaded = await loadTfjsModel(readTfjsModelFiles(files));
  try {
    const proposal = proposeFor(loaded, dataset);
    const chosen = mapping ?? proposal.mapping;
    const needsList =
      (chosen.items.kind === 'list' && chosen.items.ids.length === 0) ||
      (chosen.kind === 'ids' && chosen.users.kind === 'list' && chosen.users.ids.length === 0);
    if (needsList) {
      throw new ModelFileError(
        'unmappable',
        proposal.notes.find((n) => n.includes('mapping file')) ??
          "The model's ids need a mapping file (line k = the dataset id of model id k).",
      );
    }
    const notes = mapping ? [describeMapping(chosen)] : proposal.notes;
    const model = mapTfjsModel(loaded, chosen, dataset, notes);
    return {
      model,
      proposal,
      mapping: chosen,
      summary: {
        kind: loaded.kind,
        source: loaded.source,
        inputs: loaded.shape.inputs.map((i) => ({ name: i.name, shape: i.shape })),
        output: loaded.shape.output,
        parameters: loaded.shape.parameters,
      },
    };
  } catch (error) {
    loaded.dispose();
    throw error;
  }
}

/**
 * The training record of an imported model: nothing was trained here, so it holds the
 * evaluation on the loaded data's split by the protocol every model gets (full ranking, seen
 * items excluded, K = 10 and 20), which makes it comparable with the models trained here.
 */
export async function importedRecord(
  model: TrainedRecommender,
  split: LeaveLastOutSplit,
  id: ImportedModelId,
  signal?: AbortSignal,
): Promise<TrainingRecord> {
  const started = performance.now();
  const run = (which: 'validation' | 'test') =>
    evaluate(model.score, split, { which, k: [10, 20], signal });
  const validation = (await run('validation')).report;
  const tested = await run('test');
  return {
    modelId: id,
    hyper: { ...model.hyper },
    seed: 0,
    epochs: 0,
    bestEpoch: 0,
    stoppedBy: 'fitted',
    // Not trained here: the seconds are those of importing and evaluating.
    trainSeconds: (performance.now() - started) / 1000,
    backend: tf.getBackend() ?? 'none',
    protocol: tested.report.protocol,
    validation,
    test: tested.report,
    testRanks: perUserRanks(tested.users, tested.ranks),
    lossCurve: [],
    validationCurve: [],
    trainedAt: new Date().toISOString(),
  };
}
