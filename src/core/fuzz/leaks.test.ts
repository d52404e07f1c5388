/**
 * Tensor leaks ("Hardening"): every explanation, interest and comparison call, repeated, holds
 * `tf.memory().numTensors` where it was after a warm-up (which builds what a model keeps), and
 * every refused input (an item outside the catalogue, bad options, a refused model file, a
 * model without interest heads, malformed windows, too few profiles) leaves it unchanged too.
 *
 * 500 calls each, on the explanation tests' tiny models (dim 8, window 4) with faithfulness
 * curves off where the call allows (the explanation agreement always draws them). Kept well
 * under a minute by making the expensive calls rarer, not fewer in kind: among the 500
 * explanations 1 in 5 adds the counterfactual and 5 run every method (LIME and SHAP too);
 * training the evolution model runs 5 times (train, predict, dispose), its predictions 500.
 * The 500 explanation agreements take about two thirds of the file's time (16 s of 25 s on
 * 2 cores); the long tests have a 3-minute limit so a loaded machine does not fail them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explanationAgreement } from '../compare/agreement';
import { selectCohort } from '../compare/cohorts';
import { compareProfiles } from '../compare/compare';
import { profileModel } from '../compare/profile';
import { explainRecommendation } from '../explain/engine';
import {
  distinctItems,
  LOOP_HYPER,
  NUM_ITEMS,
  request,
  testData,
  trained,
  untrained,
} from '../explain/testing';
import { EXPLAIN_METHODS, type ExplainMethod, type ExplainOptionsInput } from '../explain/types';
import { datasetCategories, derivedCategories, interestHistory } from '../interests/dataset';
import { trainEvolutionModel } from '../interests/evolution';
import { userWindows } from '../interests/evolutionTesting';
import { itemEmbeddings, projectItems } from '../interests/map';
import { resolveInterestOptions, userInterests } from '../interests/observed';
import { cohortUsers, populationEvolution } from '../interests/population';
import { type FitUser, headFit, headProbabilities, predictedLayers } from '../interests/predicted';
import type { HistoryBatch } from '../models/baseline-types';
import { useBackend } from '../models/tfTesting';
import type { TrainedRecommender } from '../models/trained';
import { encodeModel } from '../persist/format';
import { loadSavedModel } from '../persist/restore';
import { craftedRecord, type EditableModelJson, editModelJson } from '../persist/testModelFiles';
import * as tf from '../tf';
import { restoreVariant } from '../train/variants';

const CALLS = 500;
/** Explanation agreement calls (each explains with faithfulness curves): see the module comment. */
const AGREEMENT_CALLS = CALLS;

let pop: TrainedRecommender;
let gru: TrainedRecommender;
let sasrec: TrainedRecommender;
let layered: TrainedRecommender;

beforeAll(async () => {
  await useBackend('wasm');
  pop = await trained('pop');
  gru = untrained('gru', 3, LOOP_HYPER);
  sasrec = untrained('sasrec', 3, LOOP_HYPER);
  layered = untrained('layered', 3, LOOP_HYPER);
}, 60_000);

afterAll(() => {
  for (const m of [pop, gru, sasrec, layered]) m.dispose();
});

/** Runs `run` for the warm-up indices, then `calls` times; the live tensor counts around those. */
async function tensorsOver(
  calls: number,
  run: (i: number) => unknown,
  warmup: readonly number[] = [0, 1, 2, 3],
): Promise<{ before: number; after: number }> {
  for (const i of warmup) await run(i);
  const before = tf.memory().numTensors;
  for (let i = 0; i < calls; i++) await run(i);
  return { before, after: tf.memory().numTensors };
}

/** `run` must be refused, and leave the tensor count (and TF.js) as it found them. */
async function refusedWithoutTensors(
  run: () => unknown,
  error: RegExp | (new (...args: never[]) => Error),
): Promise<void> {
  const before = tf.memory().numTensors;
  let thrown: unknown = null;
  try {
    await run();
  } catch (e) {
    thrown = e;
  }
  if (error instanceof RegExp) expect(String((thrown as Error)?.message)).toMatch(error);
  else expect(thrown).toBeInstanceOf(error);
  expect(tf.memory().numTensors).toBe(before);
  const sum = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)));
  expect(sum.dataSync()[0]).toBe(3);
  sum.dispose();
}

/** One user's whole history as a batch of one row. */
function userHistory(user: number): HistoryBatch {
  const { dataset } = testData();
  const from = dataset.userOffsets[user];
  const to = dataset.userOffsets[user + 1];
  return {
    offsets: Int32Array.of(0, to - from),
    items: dataset.item.slice(from, to),
    timestamps: dataset.timestamp.slice(from, to),
  };
}

describe('explanations', () => {
  const CHEAP: readonly ExplainMethod[] = [
    'exact',
    'attention',
    'saliency',
    'gradxinput',
    'ig',
    'occlusion',
  ];
  const models = () => [pop, gru, sasrec, layered];
  const histories = [distinctItems(3, 31), distinctItems(7, 32)];

  /** Call `i`: model i mod 4, one cheap method (rotating), +counterfactual 1 in 5, all 1 in 97. */
  function options(i: number): ExplainOptionsInput {
    const all = i % 97 === 96;
    const methods: ExplainMethod[] = all ? [...EXPLAIN_METHODS] : [CHEAP[i % CHEAP.length]];
    if (!all && i % 5 === 0) methods.push('counterfactual');
    return {
      methods,
      faithfulness: false,
      k: 3,
      target: i % 2 === 0 ? 'score' : 'margin',
      removal: i % 3 === 0 ? 'in-place' : 'close-up',
      ig: { minSteps: 8, maxSteps: 32, baseline: i % 4 < 2 ? 'padding' : 'mean' },
      lime: { samples: 100, seeds: 2 },
      shap: { exactMaxItems: i % 2 === 0 ? 4 : 12, maxEvaluations: 400 },
      randomOrders: 1,
    };
  }

  const explain = (i: number) => {
    const model = models()[i % 4];
    const history = histories[Math.floor(i / 4) % 2];
    const other = Array.from({ length: NUM_ITEMS }, (_, j) => j).find((j) => !history.includes(j));
    return explainRecommendation(
      request(model, history, i % 3 === 1 ? (other ?? null) : null),
      options(i),
    );
  };

  it(`${CALLS} explanations (every method, the counterfactual among them) hold no more tensors`, async () => {
    // Warm-up: every model with every cheap method, and with every method at once.
    const warmup = [...Array.from({ length: 24 }, (_, i) => i), 96, 193, 290, 387];
    const { before, after } = await tensorsOver(CALLS, explain, warmup);
    expect(after).toBe(before);
  }, 180_000);

  it('refused explanations leave no tensor behind', async () => {
    for (const model of models()) {
      await refusedWithoutTensors(
        () => explainRecommendation(request(model, [1, 2], NUM_ITEMS + 5), options(0)),
        /Item index 25 is outside 0\.\.19/,
      );
      await refusedWithoutTensors(
        () => explainRecommendation(request(model, [1, -1, 2]), options(1)),
        /History item index -1 is outside/,
      );
      await refusedWithoutTensors(
        () => explainRecommendation(request(model, [1, 2]), { ...options(2), k: 0 }),
        RangeError,
      );
      const aborted = new AbortController();
      aborted.abort(new Error('stop'));
      await refusedWithoutTensors(
        () =>
          explainRecommendation(request(model, [1, 2, 3]), options(3), { signal: aborted.signal }),
        /stop/,
      );
    }
  });
});

describe('interests', () => {
  const { dataset } = testData();
  const users = dataset.userOffsets.length - 1;
  // The cycle dataset's events are a second apart: two-second windows give each user several.
  const windows = userWindows(dataset, 2000);
  const fitUsers: FitUser[] = Array.from({ length: users }, (_, u) => ({
    history: userHistory(u),
    windows: windows[u],
  }));

  it(`${CALLS} predicted layers and head fits hold no more tensors`, async () => {
    const names = dataset.categoryNames;
    const { before, after } = await tensorsOver(CALLS, async (i) => {
      await predictedLayers(layered, userHistory(i % users), names);
      const fit = await headFit(layered, fitUsers.slice(0, 1 + (i % users)));
      expect(fit.users).toBeGreaterThan(0);
    });
    expect(after).toBe(before);
  });

  it(`the evolution model: ${CALLS} predictions, and 5 train-predict-dispose rounds, hold no more tensors`, async () => {
    const c = dataset.categoryNames.length;
    const start = tf.memory().numTensors;
    const model = await trainEvolutionModel(windows, c, { epochs: 2, hidden: 8 });
    const { before, after } = await tensorsOver(CALLS, (i) => {
      model.predict(windows[i % users]);
      if (i % 10 === 0) model.predictBatch(windows);
    });
    expect(after).toBe(before);
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
    for (const loss of ['kl', 'mse', 'kl', 'mse', 'kl'] as const) {
      const m = await trainEvolutionModel(windows, c, { epochs: 1, hidden: 4, loss });
      m.predict(windows[0]);
      m.predictBatch(windows);
      m.dispose();
      expect(tf.memory().numTensors).toBe(start);
    }
  });

  it(`${CALLS} observed layers, population evolutions, item maps and derived categories hold no more tensors`, async () => {
    const categories = datasetCategories(dataset);
    if (!categories) throw new Error('the test data has categories');
    const options = resolveInterestOptions();
    const everyone = cohortUsers(dataset, 'all');
    const { before, after } = await tensorsOver(CALLS, async (i) => {
      userInterests(interestHistory(dataset, i % users), categories, options);
      populationEvolution(dataset, everyone, categories, options);
      const model = i % 2 === 0 ? gru : layered;
      const table = itemEmbeddings(model);
      if (typeof table === 'string') throw new Error(table);
      await projectItems(table, { method: 'pca', seed: i });
      if (i % 5 === 0) derivedCategories(model, dataset);
      expect(typeof itemEmbeddings(pop)).toBe('string');
    });
    expect(after).toBe(before);
  });

  it('refused interest calls leave no tensor behind', async () => {
    await refusedWithoutTensors(
      () => predictedLayers(gru, userHistory(0), ['a']),
      /has no interest heads/,
    );
    await refusedWithoutTensors(() => headProbabilities(pop, userHistory(0)), RangeError);
    await refusedWithoutTensors(
      () => trainEvolutionModel([[{ start: 0, end: 1, events: 1, distribution: [1, 0] }]], 3),
      RangeError,
    );
    await refusedWithoutTensors(() => trainEvolutionModel(windows, 4, { hidden: 0 }), RangeError);
    const aborted = new AbortController();
    aborted.abort(new Error('stop'));
    await refusedWithoutTensors(
      () => trainEvolutionModel(windows, 4, { epochs: 3, signal: aborted.signal }),
      /stop/,
    );
    await refusedWithoutTensors(
      () => headFit(layered, fitUsers, { signal: aborted.signal }),
      /stop/,
    );
  });
});

describe('comparison', () => {
  it(`${CALLS} profiles and comparisons hold no more tensors`, async () => {
    const { split, dataset } = testData();
    const { before, after } = await tensorsOver(CALLS, async (i) => {
      const a = await profileModel(i % 2 === 0 ? gru : layered, split, { key: 'a' });
      const b = await profileModel(i % 3 === 0 ? pop : sasrec, split, { key: 'b' });
      compareProfiles([a, b], split, {
        resamples: 50,
        seed: i,
        cohort: i % 2 === 0 ? 'all' : 'heavy-users',
        itemCategories: dataset.itemCategories,
      });
    });
    expect(after).toBe(before);
  }, 180_000);

  it(`${AGREEMENT_CALLS} explanation agreements (one user) hold no more tensors`, async () => {
    const { split, dataset } = testData();
    const rows = selectCohort(split, 'all').rows;
    const context = {
      explain: explainRecommendation,
      itemCategories: dataset.itemCategories,
      categoryNames: dataset.categoryNames,
      users: 1,
    };
    const { before, after } = await tensorsOver(AGREEMENT_CALLS, (i) =>
      explanationAgreement(
        [
          { key: 'a', model: i % 2 === 0 ? gru : sasrec },
          { key: 'b', model: i % 3 === 0 ? pop : layered },
        ],
        split,
        rows,
        { ...context, seed: i },
      ),
    );
    expect(after).toBe(before);
  }, 180_000);

  it('refused comparisons leave no tensor behind', async () => {
    const { split, dataset } = testData();
    const a = await profileModel(gru, split, { key: 'a' });
    await refusedWithoutTensors(() => compareProfiles([a], split), RangeError);
    await refusedWithoutTensors(() => compareProfiles([a, { ...a }], split), /listed twice/);
    await refusedWithoutTensors(
      () =>
        explanationAgreement([{ key: 'a', model: gru }], split, selectCohort(split, 'all').rows, {
          explain: explainRecommendation,
          itemCategories: dataset.itemCategories,
          categoryNames: dataset.categoryNames,
          users: 0,
        }),
      RangeError,
    );
    const aborted = new AbortController();
    aborted.abort(new Error('stop'));
    await refusedWithoutTensors(
      () => profileModel(gru, split, { key: 'a', signal: aborted.signal }),
      /stop/,
    );
  });
});

describe('model files', () => {
  it('refused model files leave no tensor behind, repeatedly', async () => {
    const { dataset, features } = testData();
    const files = encodeModel(
      layered,
      craftedRecord('layered', layered.hyper),
      dataset,
      'x.csv',
      'x',
    );
    const meta = (edit: (m: EditableModelJson) => void) =>
      editModelJson(files.modelJson, (j) => edit(j.userDefinedMetadata.interestLens));
    const nan = files.weightsBin.slice();
    nan.set([0, 0, 0xc0, 0x7f], 16);
    const refusals: [string, Uint8Array, RegExp][] = [
      [meta((m) => (m.record.hyper.dim = 16)), files.weightsBin, /do not fit a layered model/],
      [
        meta((m) => (m.record.hyper.dim = 4096)),
        files.weightsBin,
        /do not describe a valid layered/,
      ],
      [
        meta((m) => (m.itemIds = m.itemIds.map((id: string) => `other-${id}`))),
        files.weightsBin,
        /./,
      ],
      [files.modelJson, nan, /NaN or infinite/],
      [files.modelJson, files.weightsBin.subarray(8), /truncated/],
      [files.modelJson.slice(0, 100), files.weightsBin, /not valid JSON/],
    ];
    const loaded = loadSavedModel(files.modelJson, files.weightsBin, dataset);
    loaded.model.dispose();
    for (let round = 0; round < 5; round++) {
      for (const [json, bin, message] of refusals) {
        await refusedWithoutTensors(() => loadSavedModel(json, bin, dataset), message);
      }
      // Refused part way through building (item features for another catalogue).
      const tower = untrained('twotower');
      const weights = tower.exportWeights();
      tower.dispose();
      const short = {
        ...features,
        categories: features.categories.slice(1),
        titleTokens: features.titleTokens.slice(1),
      };
      await refusedWithoutTensors(
        () => restoreVariant('twotower', NUM_ITEMS, tower.hyper, weights, short),
        /Item features cover/,
      );
    }
  });
});
