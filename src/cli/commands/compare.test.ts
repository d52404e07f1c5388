import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lens, tempFolder, writeInteractions } from '../testSupport';

/** Tiny data: 12 users with 8 distinct items each, from 15 items. */
const dir = tempFolder();
const data = writeInteractions(path.join(dir, 'tiny.csv'), { users: 12, perUser: 8, items: 15 });
const other = writeInteractions(path.join(dir, 'other.csv'), { users: 9, perUser: 6, items: 30 });
const models = {
  itemknn: path.join(dir, 'itemknn'),
  pop: path.join(dir, 'pop'),
  weighted: path.join(dir, 'weighted'),
};
const NEURAL = ['--epochs', '1', '--seed', '7', '--batch', '8', '--hyper', 'maxLen=8,dim=8'];
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

beforeAll(async () => {
  for (const [model, out] of Object.entries(models)) {
    const extra = model === 'weighted' ? NEURAL : [];
    const run = await lens('train', data, '--model', model, '--out', out, ...extra);
    expect(run.code, run.stderr).toBe(0);
  }
});

interface Row {
  key: string;
  metrics: Record<string, number>;
  ci: Record<string, { lo: number; hi: number }>;
}

describe('lens compare', () => {
  it('--json: each model with metrics inside their intervals, each pair with tests and overlap', async () => {
    const run = await lens(
      'compare',
      data,
      '--model-dir',
      models.itemknn,
      '--model-dir',
      models.pop,
      '--model-dir',
      models.weighted,
      '--explain-users',
      '5',
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.cohort).toBe('all');
    expect(out.users).toBe(12);
    expect(out.models.map((m: Row) => m.key)).toEqual(['itemknn', 'pop', 'weighted']);
    for (const m of out.models as Row[]) {
      for (const metric of ['hr10', 'ndcg10', 'mrr', 'recall20']) {
        expect(m.ci[metric].lo).toBeLessThanOrEqual(m.metrics[metric]);
        expect(m.ci[metric].hi).toBeGreaterThanOrEqual(m.metrics[metric]);
      }
    }
    expect(out.pairwise.map((p: { a: string; b: string }) => `${p.a}-${p.b}`)).toEqual([
      'itemknn-pop',
      'itemknn-weighted',
      'pop-weighted',
    ]);
    for (const p of out.pairwise) {
      expect(p.pValue).toBeGreaterThanOrEqual(0);
      expect(p.pValue).toBeLessThanOrEqual(1);
      expect(p.jaccard10).toBeGreaterThanOrEqual(0);
      expect(p.jaccard10).toBeLessThanOrEqual(1);
    }
    // pop's attributions are all zero: no order to agree on, said as null.
    expect(out.pairwise[0].attributionAgreement).toBeNull();
    expect(out.agreement.users).toBe(5);
    // The same test metrics eval prints for the same model file.
    const evaluated = JSON.parse(
      (await lens('eval', data, '--model-dir', models.itemknn, '--json')).stdout,
    );
    expect(out.models[0].metrics.ndcg10).toBeCloseTo(evaluated.metrics['ndcg@10'], 10);
    expect(out.models[0].metrics.mrr).toBeCloseTo(evaluated.metrics.mrr, 10);
    expect(out.models[0].beyond.coverage10).toBeCloseTo(evaluated.metrics['coverage@10'], 10);
  });

  it('gives identical models delta 0, p-value 1 and full overlap, and prints tables', async () => {
    const run = await lens(
      'compare',
      data,
      '--model-dir',
      models.itemknn,
      '--model-dir',
      `${models.itemknn}/`,
      '--explain-users',
      '3',
      '--cohort',
      'heavy-users',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Cohort heavy-users: \d+ of 12 test users\. Users with at least/);
    expect(run.stdout).toMatch(
      /itemknn#1 - itemknn#2\s+0 \[0, 0\]\s+1\.000\s+1\.000\s+1\.0000\s+1\.0000\s+1\.0000/,
    );
  });

  it('refuses a model trained on other data in one sentence (exit 2)', async () => {
    const run = await lens(
      'compare',
      other,
      '--model-dir',
      models.itemknn,
      '--model-dir',
      models.pop,
    );
    expect(run.code).toBe(2);
    expect(lastLine(run.stderr)).toMatch(/^lens: .*(trained on other data|refused|items)/);
  });
});
