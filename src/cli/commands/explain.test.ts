import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli';
import { lens, tempFolder, writeInteractions } from '../testSupport';

/** Tiny data: 12 users with 8 distinct items each, from 15 items (no repeats in a history). */
const dir = tempFolder();
const data = writeInteractions(path.join(dir, 'tiny.csv'), { users: 12, perUser: 8, items: 15 });
const models = {
  itemknn: path.join(dir, 'itemknn'),
  weighted: path.join(dir, 'weighted'),
  gru: path.join(dir, 'gru'),
};
const NEURAL = ['--epochs', '1', '--seed', '7', '--batch', '8', '--hyper', 'maxLen=8,dim=8'];

/** The error line: progress lines come before it on stderr. */
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

async function explain(...argv: string[]): Promise<Record<string, unknown>> {
  const run = await lens('explain', data, ...argv, '--json');
  expect(run.stderr).not.toContain('lens:');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}

type Method = { status: string; attributions: { item: string; position: number; value: number }[] };
const methodsOf = (report: Record<string, unknown>) =>
  report.methods as Record<string, Method & Record<string, unknown>>;

beforeAll(async () => {
  for (const [model, out] of Object.entries(models)) {
    const extra = model === 'itemknn' ? [] : NEURAL;
    const run = await lens('train', data, '--model', model, '--out', out, ...extra);
    expect(run.code, run.stderr).toBe(0);
  }
});

describe('lens explain --json: the report the page shares', () => {
  it('weighted: every method, diagnostics, faithfulness, counterfactual, roll-ups, latency', async () => {
    const report = await explain('--model-dir', models.weighted, '--user', 'u3');
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining([
        'user',
        'item',
        'score',
        'rank',
        'read',
        'unread',
        'methods',
        'faithfulness',
        'counterfactual',
        'rollups',
        'latencyMs',
      ]),
    );
    // No --item: the top-1 recommendation, among items u3 has not seen.
    expect(report).toMatchObject({ format: 'interest-lens-explanation', user: 'u3', rank: 1 });
    expect(report.read).toBe(8);
    expect(report.unread).toBe(0);
    const history = (report.history as { item: string }[]).map((h) => h.item);
    expect(history).toEqual(['i4', 'i6', 'i8', 'i10', 'i12', 'i14', 'i1', 'i3']);
    expect(history).not.toContain(report.item);

    const methods = methodsOf(report);
    expect(Object.keys(methods)).toEqual([
      'exact',
      'attention',
      'neighbours',
      'saliency',
      'gradxinput',
      'ig',
      'occlusion',
      'lime',
      'shap',
    ]);
    expect(methods.attention.status).toBe('unavailable');
    expect(methods.neighbours.status).toBe('ok');
    for (const name of ['exact', 'saliency', 'gradxinput', 'ig', 'occlusion', 'lime', 'shap']) {
      expect(methods[name].status, name).toBe('ok');
      // Ids, not indices, one per read history item, oldest first.
      expect(methods[name].attributions.map((a) => a.item)).toEqual(history);
      expect(methods[name].attributions.map((a) => a.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    }
    expect(methods.ig.completenessGap).toEqual(expect.any(Number));
    expect(methods.ig.steps).toBeGreaterThanOrEqual(32);
    expect(methods.lime.r2).toEqual(expect.any(Number));
    expect(methods.lime.seedSpread).toEqual(expect.any(Number));
    expect(methods.shap.stderr).toEqual(expect.any(Number));

    const faithfulness = report.faithfulness as Record<string, Record<string, unknown>>;
    expect(Object.keys(faithfulness)).toEqual(expect.arrayContaining(['occlusion', 'random']));
    expect(faithfulness.random).toMatchObject({
      deletionAuc: expect.any(Number),
      insertionAuc: expect.any(Number),
      posAtK: { deletion: expect.any(Object), insertion: expect.any(Object) },
    });
    expect(report.counterfactual).toMatchObject({
      removed: expect.any(Array),
      k: 10,
    });
    expect(report.rollups).toMatchObject({
      category: expect.any(Object),
      window: expect.any(Object),
    });
    expect((report.latencyMs as Record<string, number>).total).toBeGreaterThan(0);
  });

  it('weighted under --removal in-place: exact contributions equal occlusion', async () => {
    const report = await explain(
      '--model-dir',
      models.weighted,
      '--user',
      'u3',
      '--removal',
      'in-place',
    );
    expect(report.removal).toBe('in-place');
    const { exact, occlusion } = methodsOf(report);
    exact.attributions.forEach((a, i) => {
      expect(occlusion.attributions[i].value).toBeCloseTo(a.value, 4);
    });
  });

  it('itemknn: exact equals occlusion; --item explains that item', async () => {
    const report = await explain('--model-dir', models.itemknn, '--user', 'u5', '--item', 'i2');
    expect(report).toMatchObject({ user: 'u5', item: 'i2', rank: expect.any(Number) });
    const methods = methodsOf(report);
    expect(methods.exact.status).toBe('ok');
    expect(methods.ig.status).toBe('unavailable');
    expect(methods.exact.attributions.some((a) => a.value !== 0)).toBe(true);
    methods.exact.attributions.forEach((a, i) => {
      expect(methods.occlusion.attributions[i]).toMatchObject({
        item: a.item,
        position: a.position,
      });
      expect(methods.occlusion.attributions[i].value).toBeCloseTo(a.value, 5);
    });
  });

  it('--method runs that method only; counterfactual brings occlusion as its order', async () => {
    const ig = await explain('--model-dir', models.weighted, '--user', 'u0', '--method', 'ig');
    expect(Object.keys(methodsOf(ig))).toEqual(['ig']);
    expect(ig.counterfactual).toBeNull();
    const cf = await explain(
      '--model-dir',
      models.itemknn,
      '--user',
      'u0',
      '--method',
      'counterfactual',
      '--k',
      '3',
    );
    expect(Object.keys(methodsOf(cf))).toEqual(['occlusion']);
    expect(cf.counterfactual).toMatchObject({ k: 3, order: 'occlusion' });
  });
});

describe('lens explain as text', () => {
  it('prints a table per method, diagnostics, faithfulness, the counterfactual and latency', async () => {
    const run = await lens('explain', data, '--model-dir', models.weighted, '--user', 'u3');
    expect(run.code).toBe(0);
    const text = run.stdout;
    expect(text).toMatch(/^model {4}weighted "weighted on tiny.csv"\n/);
    expect(text).toContain('user     u3: the model reads 8 of 8 interactions\n');
    expect(text).toMatch(/\nig \(share of the target; .*\n {2}\d+ steps, completeness gap /);
    expect(text).toMatch(/\n {2}weighted R² \d\.\d{4}; spread across 3 seeds /);
    expect(text).toMatch(/\nnot available for weighted here:\n {2}attention {2}weighted /);
    expect(text).toMatch(/\n {2}# {2}item {2}position {2}value\n {2}1 {2}i\d+ /);
    expect(text).toMatch(/\n {2}random +-?\d/);
    expect(text).toMatch(
      /\ncounterfactual(: Without .* would fall from rank 1 to rank \d+| \(top 10\))/,
    );
    expect(text).toMatch(
      /\nlatency \(ms\): exact \d+\.\d, neighbours \d+\.\d, saliency .*; total \d+\.\d/,
    );
    // Progress goes to stderr, a line per method.
    expect(run.stderr).toContain('ig: ');
    expect(run.stderr).toMatch(/shap: \d+\.\d ms \(9\/9\)\n/);
  });
});

describe('lens explain refusals: one sentence, exit 2', () => {
  const refusals: [string, string[], string][] = [
    [
      'an unknown user',
      ['--model-dir', models.itemknn, '--user', 'nobody'],
      'lens: There is no user "nobody" in tiny.csv (12 users).',
    ],
    [
      'an unknown item',
      ['--model-dir', models.itemknn, '--user', 'u1', '--item', 'i99'],
      'lens: There is no item "i99" in tiny.csv (15 items).',
    ],
    [
      'attention from gru',
      ['--model-dir', models.gru, '--user', 'u1', '--method', 'attention'],
      'lens: --method attention: gru has no attention over the history (attention is offered by sasrec, din and twotower).',
    ],
    [
      'integrated gradients from itemknn',
      ['--model-dir', models.itemknn, '--user', 'u1', '--method', 'ig'],
      'lens: --method ig: itemknn has no history embeddings: integrated gradients need a neural model.',
    ],
    [
      'exact contributions from gru',
      ['--model-dir', models.gru, '--user', 'u1', '--method', 'exact'],
      'lens: --method exact: gru does not state exact contributions (only weighted and itemknn do).',
    ],
    [
      'an unknown method',
      ['--model-dir', models.itemknn, '--user', 'u1', '--method', 'grad'],
      'lens: --method must be exact, attention, neighbours, saliency, gradxinput, ig, occlusion, lime, shap, counterfactual or all; got "grad"',
    ],
  ];
  for (const [what, argv, message] of refusals) {
    it(`refuses ${what}`, async () => {
      const run = await lens('explain', data, ...argv);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(lastLine(run.stderr)).toBe(message);
      expect(run.stderr.match(/lens:/g)).toHaveLength(1);
    });
  }

  it('refuses a model trained on other data unless --allow-other-data', async () => {
    const grown = writeInteractions(path.join(dir, 'grown.csv'), {
      users: 12,
      perUser: 8,
      items: 15,
      extra: 'u0,i2,1800000000',
    });
    const refused = await lens('explain', grown, '--model-dir', models.itemknn, '--user', 'u3');
    expect(refused.code).toBe(2);
    expect(lastLine(refused.stderr)).toMatch(
      /^lens: This model was trained on other data \("tiny.csv", 96 interactions\) and 15 of this dataset's 15 items match by id: .* or pass --allow-other-data to explain it through the item-id mapping\.$/,
    );
    expect(refused.stderr.match(/lens:/g)).toHaveLength(1);
    const allowed = await lens(
      'explain',
      grown,
      '--model-dir',
      models.itemknn,
      '--user',
      'u3',
      '--method',
      'occlusion',
      '--allow-other-data',
      '--json',
    );
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain('note: explaining through the item-id mapping');
    expect(methodsOf(JSON.parse(allowed.stdout)).occlusion.status).toBe('ok');
  });

  it('stops on Ctrl-C (the signal) once the explanation has started: exit 130', async () => {
    const controller = new AbortController();
    let stderr = '';
    const code = await runCli(
      ['explain', data, '--model-dir', models.weighted, '--user', 'u3', '--json'],
      {
        stdout: () => {},
        stderr: (t) => {
          stderr += t;
          if (t.startsWith('explaining item')) controller.abort();
        },
        signal: controller.signal,
      },
    );
    expect(code).toBe(130);
    expect(stderr).toContain('explaining item');
    expect(lastLine(stderr)).toBe('lens: interrupted');
  });
});
