/**
 * `npm run bench -- interests`: how long the interest layers take, and how good the evolution
 * forecast is, on the bundled sample and on MovieLens 100K (genres from u.item) when present.
 * Node, wasm backend, the same core the worker runs (src/core/interests).
 *
 * Per dataset: the median time of one user's layers and evolution (over every user), of every
 * user's (one pass), and of the population's evolution; the evolution model's training time
 * and its KL / MSE on every user's held-out last window next to "last window" and "moving
 * average". Then the `layered` model's interest heads against the user's past mix
 * (src/core/interests/headsHeldOut.ts): trained only on the events before a global time cut
 * (the 85th percentile of event times) and scored on each user's events after it, next to the
 * leaky in-sample check the page runs (`headFit`: trained on the leave-last-out split, scored on
 * each user's last window). Options: --ml100k DIR, --no-ml100k, --epochs N (the evolution
 * model's; default: the model's), --heads-epochs N (default 10, early stopping with patience
 * 2), --no-heads, --out DIR (where the JSON goes; default bench/results).
 *
 * Import this only after `allowTfjsBundlerImports()` (bench/run.ts installs it first).
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { wasmBinaryFolder } from '../src/cli/backend';
import { initBackend } from '../src/core/backend';
import type { Dataset } from '../src/core/data/types';
import {
  datasetCategories,
  datasetTimeRange,
  interestHistory,
} from '../src/core/interests/dataset';
import { evaluateForecast, trainEvolutionModel } from '../src/core/interests/evolution';
import { type HeldOutReport, heldOutComparison } from '../src/core/interests/headsHeldOut';
import {
  cohortUsers,
  populationEvolution,
  resolveInterestOptions,
  userInterests,
} from '../src/core/interests/observed';
import { headFit, LAYERS } from '../src/core/interests/predicted';
import type { InterestWindow } from '../src/core/interests/types';
import { itemFeaturesFromDataset } from '../src/core/models/features';
import { type LeaveLastOutSplit, userHistory } from '../src/core/train/split';
import { trainVariant } from '../src/core/train/variants';
import { median, round } from './stats';
import { loadBenchData } from './train-node';
import { writeNamedResult } from './train-report';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** How `layered` is trained for the heads check (both the held-out and the leaky one). */
function headsTraining() {
  const epochs = option('heads-epochs') ? Number(option('heads-epochs')) : 10;
  return { epochs, patience: 2, seed: 7 };
}

const r3 = (x: number) => round(x, 3);

/** The held-out comparison without its per-user arrays, rounded. */
function heldOutRow(report: HeldOutReport) {
  const pairs = (c: HeldOutReport['vsPastMix'] | HeldOutReport['vsSmoothedPast']) =>
    Object.fromEntries(
      Object.entries(c).map(([p, v]) => [
        p,
        {
          wins: v.wins,
          losses: v.losses,
          ties: v.ties,
          winShare: r3(v.winShare),
          meanDifference: r3(v.meanDifference),
          ci95: v.ci95.map(r3),
          signP: Number(v.signP.toPrecision(2)),
        },
      ]),
    );
  return {
    quantile: report.quantile,
    cut: report.cutIso,
    eventsBefore: report.eventsBefore,
    eventsAfter: report.eventsAfter,
    users: report.users,
    training: { ...report.training, seconds: round(report.training.seconds, 1) },
    bits: Object.fromEntries(Object.entries(report.bits).map(([p, b]) => [p, r3(b)])),
    vsPastMix: pairs(report.vsPastMix),
    vsSmoothedPast: pairs(report.vsSmoothedPast),
    byNovelty: Object.fromEntries(
      Object.entries(report.byNovelty).map(([group, g]) => [
        group,
        {
          users: g.users,
          heads: Object.fromEntries(
            LAYERS.map((l) => [
              l,
              { winShare: r3(g.heads[l].winShare), meanDifference: r3(g.heads[l].meanDifference) },
            ]),
          ),
        },
      ]),
    ),
  };
}

/** The heads check on one dataset: held out by a time cut, and the leaky in-sample one. */
async function headsCheck(
  name: string,
  dataset: Dataset,
  split: LeaveLastOutSplit,
  windows: InterestWindow[][],
) {
  const training = headsTraining();
  const heldOut = heldOutRow(await heldOutComparison(dataset, { train: training }));
  const leakyStarted = performance.now();
  const { model } = await trainVariant(dataset, split, 'layered', {
    ...training,
    features: itemFeaturesFromDataset(dataset),
  });
  let leaky: Awaited<ReturnType<typeof headFit>>;
  try {
    leaky = await headFit(
      model,
      windows.map((w, u) => ({ history: userHistory(dataset, u), windows: w })),
    );
  } finally {
    model.dispose();
  }
  const leakyMs = performance.now() - leakyStarted;
  const f = (x: number) => x.toFixed(2);
  console.log(
    `[interests] ${name} heads, held out (cut ${heldOut.cut}, ${heldOut.users} users): ${LAYERS.map((l) => `${l} ${f(heldOut.bits[l])} bits (wins ${f(heldOut.vsPastMix[l].winShare)})`).join(', ')}; past mix ${f(heldOut.bits.pastMix)}, smoothed past ${f(heldOut.bits.smoothedPast)}, population ${f(heldOut.bits.population)}, last window ${f(heldOut.bits.lastWindow)}, last 10 ${f(heldOut.bits.recent)}`,
  );
  console.log(
    `[interests] ${name} heads, leaky in-sample (${leaky.users} users): ${LAYERS.map((l) => `${l} ${f(leaky.heads[l])}`).join(', ')}; past mix ${f(leaky.pastMix)}`,
  );
  return {
    training,
    heldOut,
    leakyInSample: {
      users: leaky.users,
      heads: Object.fromEntries(LAYERS.map((l) => [l, r3(leaky.heads[l])])),
      pastMix: r3(leaky.pastMix),
      trainAndScoreMs: round(leakyMs, 0),
    },
  };
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
    const { dataset, split } = await loadBenchData(subject.interactions, subject.items);
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
    const heads =
      process.argv.includes('--no-heads') || !dataset.hasTimestamps
        ? null
        : await headsCheck(subject.name, dataset, split, windows);
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
      heads,
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
  const path = writeNamedResult(
    option('out') ?? join(root, 'bench', 'results'),
    'interests',
    result,
  );
  console.log(`[interests] wrote ${path}`);
}
