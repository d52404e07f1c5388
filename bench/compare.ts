/**
 * `npm run bench -- compare`: how long the compare view takes to build the whole comparison
 * (each model's scoring pass over the test users, the metrics with 1,000-resample bootstrap
 * intervals, paired tests and list overlap, then the explanation agreement over 50 users) for
 * two and for four models, on the bundled sample and on MovieLens 100K when present. Node,
 * wasm backend: the same core the worker runs (src/core/compare). Median of `--runs` (3).
 *
 * Models: the shipped sasrec on the sample (sasrec trained under `--cap` seconds on ml-100k),
 * itemknn, weighted (neural glass box, `--cap` seconds) and pop. Two models = sasrec and
 * itemknn; four = all. Options: --runs N, --cap S (60), --ml100k DIR, --no-ml100k,
 * --agreement-users N (50).
 *
 * Import this only after `allowTfjsBundlerImports()` (bench/run.ts installs it first).
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { wasmBinaryFolder } from '../src/cli/backend';
import { initBackend } from '../src/core/backend';
import { explanationAgreement } from '../src/core/compare/agreement';
import { selectCohort } from '../src/core/compare/cohorts';
import { compareProfiles } from '../src/core/compare/compare';
import { profileModel } from '../src/core/compare/profile';
import { explainRecommendation } from '../src/core/explain';
import type { TrainedRecommender } from '../src/core/models/trained';
import type { ModelId } from '../src/core/models/types';
import { loadSavedModel } from '../src/core/persist';
import { trainVariant } from '../src/core/train/variants';
import { median, round } from './stats';
import { type LoadedBenchData, loadBenchData } from './train-node';
import { writeNamedResult } from './train-report';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

interface Timing {
  models: number;
  /** Scoring passes of every model (ms). */
  profileMs: number;
  /** Metrics, intervals, paired tests, overlap (ms). */
  compareMs: number;
  /** Explanation agreement over the sample of users (ms). */
  agreementMs: number;
  totalMs: number;
}

async function trainModels(
  data: LoadedBenchData,
  root: string,
  sample: boolean,
  cap: number,
): Promise<Record<string, TrainedRecommender>> {
  const models: Record<string, TrainedRecommender> = {};
  const shipped = join(root, 'public', 'sample-model');
  if (sample && existsSync(join(shipped, 'model.json'))) {
    const { readFileSync } = await import('node:fs');
    const loaded = loadSavedModel(
      readFileSync(join(shipped, 'model.json'), 'utf8'),
      new Uint8Array(readFileSync(join(shipped, 'weights.bin'))),
      data.dataset,
    );
    models.sasrec = loaded.model;
  }
  const ids: ModelId[] = [
    ...(models.sasrec ? [] : (['sasrec'] as ModelId[])),
    'itemknn',
    'weighted',
    'pop',
  ];
  for (const id of ids) {
    const neural = id === 'sasrec' || id === 'weighted';
    console.log(`[compare] training ${id}${neural ? ` (cap ${cap} s)` : ''}...`);
    const { model } = await trainVariant(data.dataset, data.split, id, {
      ...(neural ? { maxSeconds: cap, epochs: 200, patience: 3 } : {}),
    });
    models[id] = model;
  }
  return models;
}

async function timeComparison(
  data: LoadedBenchData,
  models: Record<string, TrainedRecommender>,
  keys: string[],
  agreementUsers: number,
): Promise<Timing> {
  const { dataset, split } = data;
  const started = performance.now();
  const profiles = [];
  for (const key of keys) profiles.push(await profileModel(models[key], split, { key }));
  const profiled = performance.now();
  compareProfiles(profiles, split, { itemCategories: dataset.itemCategories });
  const compared = performance.now();
  await explanationAgreement(
    keys.map((key) => ({ key, model: models[key] })),
    split,
    selectCohort(split, 'all').rows,
    {
      explain: explainRecommendation,
      users: agreementUsers,
      itemCategories: dataset.itemCategories,
      categoryNames: dataset.categoryNames,
    },
  );
  const done = performance.now();
  return {
    models: keys.length,
    profileMs: profiled - started,
    compareMs: compared - profiled,
    agreementMs: done - compared,
    totalMs: done - started,
  };
}

function medianTiming(runs: Timing[]): Timing {
  const m = (f: (t: Timing) => number) => round(median(runs.map(f)), 0);
  return {
    models: runs[0].models,
    profileMs: m((t) => t.profileMs),
    compareMs: m((t) => t.compareMs),
    agreementMs: m((t) => t.agreementMs),
    totalMs: m((t) => t.totalMs),
  };
}

export async function runCompareBench(root: string): Promise<void> {
  const runs = Number(option('runs') ?? 3);
  const cap = Number(option('cap') ?? 60);
  const agreementUsers = Number(option('agreement-users') ?? 50);
  const backend = await initBackend({ wasmPaths: wasmBinaryFolder() });
  console.log(`[compare] backend: ${backend.reason}`);
  const subjects: { name: string; interactions: string; items: string | null; sample: boolean }[] =
    [
      {
        name: 'sample',
        interactions: join(root, 'sample-data', 'interactions.csv'),
        items: join(root, 'sample-data', 'items.csv'),
        sample: true,
      },
    ];
  const ml = option('ml100k') ?? process.env.ML100K_DIR ?? '/work/shared/data/ml-100k';
  if (!process.argv.includes('--no-ml100k') && existsSync(join(ml, 'u.data'))) {
    subjects.push({
      name: 'ml-100k',
      interactions: join(ml, 'u.data'),
      items: existsSync(join(ml, 'u.item')) ? join(ml, 'u.item') : null,
      sample: false,
    });
  } else {
    console.log(
      `[compare] ml-100k skipped (${process.argv.includes('--no-ml100k') ? '--no-ml100k' : `no u.data at ${ml}`}).`,
    );
  }
  const results = [];
  for (const subject of subjects) {
    const data = await loadBenchData(subject.interactions, subject.items);
    console.log(
      `[compare] ${subject.name}: ${data.dataset.userIds.length} users, ${data.dataset.itemIds.length} items, ${data.split.test.users.length} test users`,
    );
    const models = await trainModels(data, root, subject.sample, cap);
    const timings: Record<string, Timing> = {};
    for (const keys of [
      ['sasrec', 'itemknn'],
      ['sasrec', 'itemknn', 'weighted', 'pop'],
    ]) {
      const all: Timing[] = [];
      for (let r = 0; r < runs; r++) {
        all.push(await timeComparison(data, models, keys, agreementUsers));
        console.log(
          `[compare] ${subject.name} ${keys.length} models run ${r + 1}: ${round(all[r].totalMs, 0)} ms`,
        );
      }
      timings[`${keys.length}`] = medianTiming(all);
    }
    for (const model of Object.values(models)) model.dispose();
    results.push({
      subject: subject.name,
      users: data.dataset.userIds.length,
      items: data.dataset.itemIds.length,
      testUsers: data.split.test.users.length,
      timings,
    });
  }
  console.log('\nsubject   models  scoring ms  compare ms  agreement ms  total ms');
  for (const r of results) {
    for (const t of Object.values(r.timings)) {
      console.log(
        `${r.subject.padEnd(9)} ${String(t.models).padStart(6)}  ${String(t.profileMs).padStart(10)}  ${String(t.compareMs).padStart(10)}  ${String(t.agreementMs).padStart(12)}  ${String(t.totalMs).padStart(8)}`,
      );
    }
  }
  const result = {
    date: new Date().toISOString(),
    machine: `${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}`,
    backend: backend.backend,
    runs,
    agreementUsers,
    resamples: 1000,
    method:
      'Node, performance.now() around profileModel (every model), compareProfiles and explanationAgreement; median of runs',
    results,
  };
  const path = writeNamedResult(join(root, 'bench', 'results'), 'compare', result);
  console.log(`[compare] wrote ${path}`);
}
