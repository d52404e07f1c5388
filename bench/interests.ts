/**
 * `npm run bench -- interests`: how long the interest layers take, and how good the evolution
 * forecast is, on the bundled sample and on MovieLens 100K (genres from u.item) when present.
 * Node, wasm backend, the same core the worker runs (src/core/interests).
 *
 * Per dataset: the median time of one user's layers and evolution (over every user), of every
 * user's (one pass), and of the population's evolution; the evolution model's training time
 * and its KL / MSE on every user's held-out last window next to "last window" and "moving
 * average". Options: --ml100k DIR, --no-ml100k, --epochs N (default: the model's).
 *
 * Import this only after `allowTfjsBundlerImports()` (bench/run.ts installs it first).
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { wasmBinaryFolder } from '../src/cli/backend';
import { initBackend } from '../src/core/backend';
import {
  datasetCategories,
  datasetTimeRange,
  interestHistory,
} from '../src/core/interests/dataset';
import { evaluateForecast, trainEvolutionModel } from '../src/core/interests/evolution';
import {
  cohortUsers,
  populationEvolution,
  resolveInterestOptions,
  userInterests,
} from '../src/core/interests/observed';
import type { InterestWindow } from '../src/core/interests/types';
import { median, round } from './stats';
import { loadBenchData } from './train-node';
import { writeNamedResult } from './train-report';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

export async function runInterestsBench(root: string): Promise<void> {
  const backend = await initBackend({ wasmPaths: wasmBinaryFolder() });
  console.log(`[interests] backend: ${backend.reason}`);
  const subjects = [
    {
      name: 'sample',
      interactions: join(root, 'sample-data', 'interactions.csv'),
      items: join(root, 'sample-data', 'items.csv') as string | null,
    },
  ];
  const ml = option('ml100k') ?? process.env.ML100K_DIR ?? '/work/shared/data/ml-100k';
  if (!process.argv.includes('--no-ml100k') && existsSync(join(ml, 'u.data'))) {
    subjects.push({ name: 'ml-100k', interactions: join(ml, 'u.data'), items: join(ml, 'u.item') });
  } else {
    console.log('[interests] ml-100k skipped.');
  }
  const epochs = option('epochs') ? Number(option('epochs')) : undefined;
  const options = resolveInterestOptions({});
  const results = [];
  for (const subject of subjects) {
    const { dataset } = await loadBenchData(subject.interactions, subject.items);
    const categories = datasetCategories(dataset);
    if (!categories) {
      console.log(`[interests] ${subject.name}: no categories, skipped.`);
      continue;
    }
    const range = datasetTimeRange(dataset);
    const users = dataset.userIds.length;
    const perUser: number[] = [];
    const windows: InterestWindow[][] = [];
    const allStarted = performance.now();
    for (let u = 0; u < users; u++) {
      const started = performance.now();
      const observed = userInterests(
        interestHistory(dataset, u),
        categories,
        options,
        undefined,
        range,
      );
      perUser.push(performance.now() - started);
      windows.push(observed.evolution.windows);
    }
    const allMs = performance.now() - allStarted;
    const popStarted = performance.now();
    const population = populationEvolution(
      dataset,
      cohortUsers(dataset, 'all'),
      categories,
      options,
    );
    const populationMs = performance.now() - popStarted;
    const trainStarted = performance.now();
    const model = await trainEvolutionModel(windows, categories.names.length, {
      ...(epochs ? { epochs } : {}),
    });
    const trainMs = performance.now() - trainStarted;
    const check = evaluateForecast(windows, categories.names.length, model);
    model.dispose();
    const row = {
      subject: subject.name,
      users,
      items: dataset.itemIds.length,
      interactions: dataset.item.length,
      categories: categories.names.length,
      unit: population.unit,
      windows: population.windows.length,
      oneUserMedianMs: round(median(perUser), 2),
      oneUserMaxMs: round(
        perUser.reduce((a, b) => Math.max(a, b), 0),
        1,
      ),
      allUsersMs: round(allMs, 0),
      populationMs: round(populationMs, 0),
      evolutionTrainMs: round(trainMs, 0),
      forecast: {
        users: check.users,
        model: check.model,
        lastWindow: check.lastWindow,
        movingAverage: check.movingAverage,
      },
    };
    console.log(
      `[interests] ${subject.name}: ${users} users, ${row.windows} ${row.unit} windows; one user ${row.oneUserMedianMs} ms (median), all ${row.allUsersMs} ms, population ${row.populationMs} ms; evolution model ${row.evolutionTrainMs} ms; held-out KL model ${check.model?.kl.toFixed(3)} vs last window ${check.lastWindow.kl.toFixed(3)} vs moving average ${check.movingAverage.kl.toFixed(3)}`,
    );
    results.push(row);
  }
  const result = {
    date: new Date().toISOString(),
    machine: `${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}`,
    backend: backend.backend,
    options,
    results,
    recovery:
      'Recovery of the sample ground truth: src/core/interests/sampleInterests.test.ts prints it (npx vitest run src/core/interests/sampleInterests.test.ts)',
  };
  const path = writeNamedResult(join(root, 'bench', 'results'), 'interests', result);
  console.log(`[interests] wrote ${path}`);
}
