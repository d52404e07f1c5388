/**
 * The datasets `npm run bench -- accuracy --dataset <name>` runs on (issue 12's table):
 * - `ml-100k` (default): MovieLens 100K from --ml100k DIR, u.item joined;
 * - `ml-100k-large`: the same data with the large-catalogue loss path forced: every model whose
 *   `loss` defaults to `auto` trains with `sampled-softmax`, what `auto` picks above
 *   12,000 items (the others have no catalogue-dependent loss and keep their defaults);
 * - `sample-20k` / `sample-100k`: the seeded simulation scaled to 20,000 / 100,000 items
 *   (`scaledSampleConfig`, 2,000 users; generated in memory, never written);
 * - any other value: a path to an interactions CSV (and --items FILE for its metadata).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ingestInteractions, ingestItemMetadata } from '../src/core/data';
import { bytesSource } from '../src/core/data/sources';
import { neuralEntry } from '../src/core/models/registry';
import type { HyperParameters, ModelId } from '../src/core/models/types';
import { scaledSampleConfig } from '../src/core/sample/config';
import { toInteractionsCsv, toItemsCsv } from '../src/core/sample/format';
import { simulateSample } from '../src/core/sample/simulate';
import { temporalLeaveLastOut } from '../src/core/train/split';
import { type LoadedBenchData, loadBenchData } from './train-node';

export interface AccuracyDataset {
  /** Short name for the result file and the table (`ml-100k`, `sample-20k`, ...). */
  name: string;
  /** What the data is, for the result file. */
  description: string;
  data: LoadedBenchData;
  /** Hyper-parameters forced on `id` (empty: the registry's defaults). */
  hyperFor: (id: ModelId) => HyperParameters;
  /** The files the browser run uploads (MovieLens only), or null. */
  files: { ratings: string; items: string | null } | null;
  /** Whether the published ml-100k anchors apply. */
  anchors: boolean;
}

const defaults = () => ({});

/** The large-catalogue path on any data: `sampled-softmax` where the loss would be `auto`. */
function forcedLarge(id: ModelId): HyperParameters {
  const spec = neuralEntry(id)?.hyper.loss;
  return spec && spec.kind === 'enum' && spec.default === 'auto' ? { loss: 'sampled-softmax' } : {};
}

async function scaledSample(items: number): Promise<LoadedBenchData> {
  const simulated = simulateSample(scaledSampleConfig(items));
  const encode = (text: string) => new TextEncoder().encode(text);
  const csv = encode(toInteractionsCsv(simulated.interactions));
  const ingested = await ingestInteractions(bytesSource(csv, 'interactions.csv'), null);
  const report = ingested.report;
  // items.csv too, as the page loads the sample: titles and the categories `layered` needs.
  const { dataset } = await ingestItemMetadata(
    bytesSource(encode(toItemsCsv(simulated.items)), 'items.csv'),
    null,
    ingested.dataset,
  );
  return {
    dataset,
    split: temporalLeaveLastOut(dataset),
    rows: { accepted: report.accepted, rejected: report.rejected },
  };
}

/** Loads `name` (see the module comment); null with a printed reason when its files are absent. */
export async function loadAccuracyDataset(
  name: string,
  options: { ml100k: string; items: string | null },
): Promise<AccuracyDataset | null> {
  if (name === 'ml-100k' || name === 'ml-100k-large') {
    const ratings = join(options.ml100k, 'u.data');
    if (!existsSync(ratings)) {
      console.log(`[accuracy] skipped: no MovieLens 100K at ${ratings} (pass --ml100k DIR).`);
      return null;
    }
    const itemsPath = join(options.ml100k, 'u.item');
    const items = existsSync(itemsPath) ? itemsPath : null;
    const large = name === 'ml-100k-large';
    return {
      name,
      description: `MovieLens 100K (u.data, u.item joined for categories and titles)${large ? ', large-catalogue loss path forced (loss=sampled-softmax where the default is auto)' : ''}`,
      data: await loadBenchData(ratings, items),
      hyperFor: large ? forcedLarge : defaults,
      files: { ratings, items },
      anchors: !large,
    };
  }
  const scaled = /^sample-(\d+)k$/.exec(name);
  if (scaled) {
    const items = Number(scaled[1]) * 1000;
    return {
      name,
      description: `the seeded sample simulation scaled to ${items.toLocaleString('en')} items (scaledSampleConfig: 2,000 users, seed 42; interactions and items.csv), generated in memory`,
      data: await scaledSample(items),
      hyperFor: defaults,
      files: null,
      anchors: false,
    };
  }
  if (!existsSync(name)) {
    console.log(
      `[accuracy] skipped: ${name} is neither ml-100k, ml-100k-large, sample-<N>k nor a file.`,
    );
    return null;
  }
  return {
    name: name.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, ''),
    description: `${name.replace(/^.*[\\/]/, '')} (a local file, not committed)`,
    data: await loadBenchData(name, options.items),
    hyperFor: defaults,
    files: null,
    anchors: false,
  };
}
