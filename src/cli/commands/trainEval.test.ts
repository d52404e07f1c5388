import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lens, SAMPLE_INTERACTIONS, tempFolder, writeInteractions } from '../testSupport';

async function json(...argv: string[]): Promise<Record<string, unknown>> {
  const run = await lens(...argv, '--json');
  expect(run.stderr).not.toContain('lens:');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}

/** Trains with --out, evaluates the saved model on the same file, returns both results. */
async function roundTrip(file: string, model: string, ...extra: string[]) {
  const out = path.join(tempFolder(), model);
  const trained = await json('train', file, '--model', model, '--out', out, ...extra);
  expect(existsSync(path.join(out, 'model.json'))).toBe(true);
  expect(existsSync(path.join(out, 'weights.bin'))).toBe(true);
  const evaluated = await json('eval', file, '--model-dir', out);
  return { trained, evaluated };
}

/** Train results on the sample, by model, for the comparison below. */
const sampleResults = new Map<string, Record<string, unknown>>();

const metricNames = ['hr@10', 'ndcg@10', 'mrr', 'recall@20', 'coverage@10'];

describe('lens train + eval round trip', () => {
  for (const model of ['pop', 'itemknn']) {
    it(`${model} on the bundled sample: eval reproduces the train metrics exactly`, async () => {
      const { trained, evaluated } = await roundTrip(SAMPLE_INTERACTIONS, model);
      expect(trained).toMatchObject({
        model,
        protocol: 'full-ranking',
        backend: 'none',
        epochs: 0,
        usersEvaluated: 650,
        usersExcluded: 0,
        dataset: 'interactions.csv',
      });
      const metrics = trained.metrics as Record<string, number>;
      expect(Object.keys(metrics)).toEqual(metricNames);
      for (const value of Object.values(metrics)) {
        expect(value).toBeGreaterThan(0);
        expect(value).toBeLessThan(1);
      }
      expect(evaluated).toMatchObject({
        model,
        datasetMatch: 'same',
        trainedOn: 'interactions.csv',
      });
      expect(evaluated.metrics).toEqual(trained.metrics);
      sampleResults.set(model, trained);
    });
  }

  it('itemknn beats pop on the planted sample (the baselines are wired, not swapped)', () => {
    const ndcg = (model: string) => {
      const metrics = sampleResults.get(model)?.metrics as Record<string, number> | undefined;
      if (!metrics) throw new Error(`the ${model} round trip above did not run`);
      return metrics['ndcg@10'];
    };
    expect(ndcg('itemknn')).toBeGreaterThan(ndcg('pop'));
  });

  it('saves nothing without --out', async () => {
    const file = writeInteractions(path.join(tempFolder(), 'tiny.csv'), {
      users: 4,
      perUser: 4,
      items: 5,
    });
    const trained = await json('train', file, '--model', 'pop');
    expect(trained.savedTo).toBeNull();
    expect(readdirSync(path.dirname(file))).toEqual(['tiny.csv']);
  });

  it('gru for one epoch on wasm: saved, restored and scored identically', async () => {
    const file = writeInteractions(path.join(tempFolder(), 'small.csv'), {
      users: 12,
      perUser: 6,
      items: 15,
    });
    const { trained, evaluated } = await roundTrip(
      file,
      'gru',
      '--epochs',
      '1',
      '--seed',
      '7',
      '--lr',
      '0.01',
      '--batch',
      '4',
      '--hyper',
      'maxLen=4,dim=8',
    );
    expect(trained).toMatchObject({ model: 'gru', epochs: 1, seed: 7, backend: 'wasm' });
    expect(evaluated).toMatchObject({ model: 'gru', backend: 'wasm', datasetMatch: 'same' });
    expect(evaluated.metrics).toEqual(trained.metrics);
    // The settings reached training and are saved with the model, so the run can be repeated.
    const saved = JSON.parse(
      readFileSync(path.join(String(trained.savedTo), 'model.json'), 'utf8'),
    );
    const record = saved.userDefinedMetadata.interestLens.record;
    expect(record.hyper).toMatchObject({ maxLen: 4, dim: 8 });
    expect(record.training).toEqual({ learningRate: 0.01, batchSize: 4, patience: 3 });
  });

  it('refuses unknown or out-of-range hyper-parameters before reading any data', async () => {
    const run = await lens(
      'train',
      path.join(tempFolder(), 'does-not-exist.csv'),
      '--model',
      'sasrec',
      '--hyper',
      'dims=8,maxLen=1',
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '--hyper: Invalid sasrec hyper-parameters: unknown parameter dims; maxLen must be an integer in 2..512; got 1.',
    );
  });
});

describe('below-baselines warning', () => {
  it('a model that barely trained is flagged below pop and itemknn in the JSON and on stderr; eval says the same', async () => {
    const out = path.join(tempFolder(), 'weak');
    const run = await lens(
      'train',
      SAMPLE_INTERACTIONS,
      '--model',
      'weighted',
      '--epochs',
      '1',
      '--lr',
      '1e-6',
      '--hyper',
      'dim=8,maxLen=8',
      '--out',
      out,
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    const trained = JSON.parse(run.stdout);
    expect(trained.belowBaselines).toEqual(['pop', 'itemknn']);
    expect(trained.baselineNdcg10.pop).toBeGreaterThan(trained.metrics['ndcg@10']);
    expect(run.stderr).toMatch(/warning: weighted's test NDCG@10 \([\d.]+\) is below pop's/);
    const evaluated = JSON.parse(
      (await lens('eval', SAMPLE_INTERACTIONS, '--model-dir', out, '--json')).stdout,
    );
    expect(evaluated.belowBaselines).toEqual(['pop', 'itemknn']);
    // A baseline is never below itself.
    const pop = await json('train', SAMPLE_INTERACTIONS, '--model', 'pop');
    expect(pop.belowBaselines).toEqual([]);
  });
});
