import { describe, expect, it } from 'vitest';
import { checkModelId, parseCliArgs, UsageError } from './args';
import { usage } from './usage';

function failure(argv: string[]): string {
  try {
    parseCliArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe('parseCliArgs: valid invocations', () => {
  it('reads inspect with --items and --json in any order', () => {
    expect(parseCliArgs(['inspect', '--json', 'a.csv', '--items', 'items.csv'])).toEqual({
      command: 'inspect',
      interactions: 'a.csv',
      items: 'items.csv',
      json: true,
      sample: null,
    });
    expect(parseCliArgs(['inspect', 'a.csv'])).toEqual({
      command: 'inspect',
      interactions: 'a.csv',
      items: null,
      json: false,
      sample: null,
    });
  });

  it('reads train with every option, inline values included', () => {
    expect(
      parseCliArgs([
        'train',
        'a.csv',
        '--model=gru',
        '--epochs',
        '3',
        '--seed=0',
        '--lr',
        '0.005',
        '--batch=64',
        '--time-limit',
        '90',
        '--hyper',
        'maxLen=20, loss=softmax',
        '--out',
        'dir',
        '--sample-users',
        '0.25',
        '--sample-seed=9',
      ]),
    ).toEqual({
      command: 'train',
      interactions: 'a.csv',
      items: null,
      json: false,
      sample: { fraction: 0.25, seed: 9 },
      model: 'gru',
      epochs: 3,
      seed: 0,
      learningRate: 0.005,
      batchSize: 64,
      maxSeconds: 90,
      hyper: { maxLen: 20, loss: 'softmax' },
      out: 'dir',
    });
  });

  it('leaves optional train values null', () => {
    const parsed = parseCliArgs(['train', 'a.csv', '--model', 'pop']);
    expect(parsed).toMatchObject({
      epochs: null,
      seed: null,
      learningRate: null,
      batchSize: null,
      maxSeconds: null,
      hyper: {},
      out: null,
      model: 'pop',
    });
  });

  it('reads eval', () => {
    expect(parseCliArgs(['eval', 'a.csv', '--model-dir', 'm', '--json'])).toEqual({
      command: 'eval',
      interactions: 'a.csv',
      items: null,
      json: true,
      modelDir: 'm',
      allowOtherData: false,
    });
    expect(parseCliArgs(['eval', 'a.csv', '--model-dir', 'm', '--allow-other-data'])).toMatchObject(
      {
        allowOtherData: true,
      },
    );
  });

  it('reads explain: defaults left to the engine, every option', () => {
    expect(parseCliArgs(['explain', 'a.csv', '--model-dir', 'm', '--user', 'u1'])).toEqual({
      command: 'explain',
      interactions: 'a.csv',
      items: null,
      json: false,
      modelDir: 'm',
      user: 'u1',
      item: null,
      method: 'all',
      k: null,
      target: null,
      removal: null,
      limeSamples: null,
      seed: null,
      allowOtherData: false,
    });
    expect(
      parseCliArgs([
        'explain',
        'a.csv',
        '--model-dir=m',
        '--user=u1',
        '--item',
        'i9',
        '--method',
        'shap',
        '--k',
        '20',
        '--target',
        'margin',
        '--removal',
        'in-place',
        '--lime-samples',
        '200',
        '--seed',
        '3',
        '--allow-other-data',
        '--json',
      ]),
    ).toMatchObject({
      item: 'i9',
      method: 'shap',
      k: 20,
      target: 'margin',
      removal: 'in-place',
      limeSamples: 200,
      seed: 3,
      allowOtherData: true,
      json: true,
    });
  });

  it('takes a file name that starts with a dash after --', () => {
    expect(parseCliArgs(['inspect', '--', '-odd.csv'])).toMatchObject({ interactions: '-odd.csv' });
  });

  it('answers --help globally and per command', () => {
    expect(parseCliArgs(['--help'])).toEqual({ command: 'help', topic: null });
    expect(parseCliArgs(['-h'])).toEqual({ command: 'help', topic: null });
    expect(parseCliArgs(['help', 'train'])).toEqual({ command: 'help', topic: 'train' });
    expect(parseCliArgs(['eval', '--help'])).toEqual({ command: 'help', topic: 'eval' });
    expect(usage()).toContain('lens train <interactions>');
    expect(usage('train')).toContain('--epochs N');
  });
});

describe('parseCliArgs: compare', () => {
  it('takes --model-dir 2 to 4 times, in order, with defaults for the rest', () => {
    expect(parseCliArgs(['compare', 'a.csv', '--model-dir', 'm1', '--model-dir', 'm2'])).toEqual({
      command: 'compare',
      interactions: 'a.csv',
      items: null,
      json: false,
      modelDirs: ['m1', 'm2'],
      cohort: 'all',
      explainUsers: 50,
      seed: null,
      resamples: null,
      allowOtherData: false,
    });
    expect(
      parseCliArgs([
        'compare',
        'a.csv',
        '--model-dir=m1',
        '--model-dir',
        'm2',
        '--model-dir',
        'm3',
        '--cohort',
        'cold-items',
        '--explain-users',
        '0',
        '--resamples',
        '200',
        '--seed',
        '9',
        '--json',
      ]),
    ).toMatchObject({
      modelDirs: ['m1', 'm2', 'm3'],
      cohort: 'cold-items',
      explainUsers: 0,
      resamples: 200,
      seed: 9,
      json: true,
    });
  });

  it('refuses one model, five, a repeated folder, an unknown cohort and a repeated single option', () => {
    const refusal = (argv: string[]) => {
      try {
        parseCliArgs(argv);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refusal(['compare', 'a.csv', '--model-dir', 'm1'])).toMatch(
      /^compare takes 2 to 4 --model-dir options; got 1/,
    );
    const five = ['m1', 'm2', 'm3', 'm4', 'm5'].flatMap((m) => ['--model-dir', m]);
    expect(refusal(['compare', 'a.csv', ...five])).toMatch(/got 5/);
    expect(refusal(['compare', 'a.csv', '--model-dir', 'm1', '--model-dir', 'm1'])).toBe(
      'the same --model-dir is given twice',
    );
    expect(
      refusal(['compare', 'a.csv', '--model-dir', 'a', '--model-dir', 'b', '--cohort', 'new']),
    ).toBe(
      '--cohort must be all, cold-users, heavy-users, head-items, tail-items or cold-items; got "new"',
    );
    expect(
      refusal([
        'compare',
        'a.csv',
        '--model-dir',
        'a',
        '--model-dir',
        'b',
        '--seed',
        '1',
        '--seed',
        '2',
      ]),
    ).toBe('--seed is given more than once');
    expect(refusal(['compare', 'a.csv'])).toMatch(/^compare needs --model-dir/);
  });
});

describe('parseCliArgs: refusals with exact messages', () => {
  const cases: [string[], string][] = [
    [
      [],
      'no command given; expected inspect, train, eval, explain, compare, interests or import (see lens --help)',
    ],
    [
      ['fit', 'a.csv'],
      'unknown command "fit"; expected inspect, train, eval, explain, compare, interests or import (see lens --help)',
    ],
    [
      ['--json'],
      'unknown option --json before the command; expected inspect, train, eval, explain, compare, interests or import (see lens --help)',
    ],
    [
      ['inspect'],
      'inspect needs an interaction file: lens inspect <interactions> [--items <file>] [--sample-users F [--sample-seed S]] [--json]',
    ],
    [
      ['inspect', 'a.csv', 'b.csv'],
      'inspect takes one interaction file; unexpected extra argument: b.csv',
    ],
    [
      ['inspect', 'a.csv', '--model', 'pop'],
      'unknown option --model for inspect; valid options: --items, --json, --sample-users, --sample-seed',
    ],
    [
      ['inspect', 'a.csv', '-j'],
      'unknown option -j for inspect; valid options: --items, --json, --sample-users, --sample-seed',
    ],
    [['inspect', 'a.csv', '--items'], '--items needs a value'],
    [['inspect', 'a.csv', '--items', '--json'], '--items needs a value'],
    [['inspect', 'a.csv', '--items='], '--items needs a non-empty value'],
    [['inspect', 'a.csv', '--json=yes'], '--json takes no value'],
    [['inspect', 'a.csv', '--json', '--json'], '--json is given more than once'],
    [
      ['train', 'a.csv'],
      'train needs --model: lens train <interactions> [--items <file>] --model <id> [--epochs N] [--seed S] [--lr X] [--batch N] [--time-limit S] [--hyper k=v,...] [--sample-users F [--sample-seed S]] [--out <dir>] [--json]',
    ],
    [
      ['train', 'a.csv', '--model', 'pop', '--epochs', '0'],
      '--epochs must be a positive integer; got "0"',
    ],
    [
      ['train', 'a.csv', '--model', 'pop', '--epochs', '2.5'],
      '--epochs must be a positive integer; got "2.5"',
    ],
    [
      ['train', 'a.csv', '--model', 'pop', '--epochs', '-3'],
      '--epochs must be a positive integer; got "-3"',
    ],
    [
      ['train', 'a.csv', '--model', 'pop', '--epochs', 'ten'],
      '--epochs must be a positive integer; got "ten"',
    ],
    [
      ['train', 'a.csv', '--model', 'pop', '--seed', '-1'],
      '--seed must be an integer from 0 to 4294967295; got "-1"',
    ],
    [
      ['train', 'a.csv', '--model', 'pop', '--seed', '4294967296'],
      '--seed must be an integer from 0 to 4294967295; got "4294967296"',
    ],
    [
      ['train', 'a.csv', '--model', 'gru', '--lr', '0'],
      '--lr must be a number above 0 and at most 1; got "0"',
    ],
    [
      ['train', 'a.csv', '--model', 'gru', '--lr', 'fast'],
      '--lr must be a number above 0 and at most 1; got "fast"',
    ],
    [
      ['train', 'a.csv', '--model', 'gru', '--lr', '2'],
      '--lr must be a number above 0 and at most 1; got "2"',
    ],
    [
      ['train', 'a.csv', '--model', 'gru', '--time-limit', '1.5'],
      '--time-limit must be a positive integer; got "1.5"',
    ],
    [
      ['train', 'a.csv', '--model', 'gru', '--batch', '0'],
      '--batch must be a positive integer; got "0"',
    ],
    [
      ['train', 'a.csv', '--model', 'gru', '--hyper', 'maxLen'],
      '--hyper: hyper-parameters are name=value pairs separated by commas; got "maxLen"',
    ],
    [
      ['train', 'a.csv', '--model', 'gru', '--hyper', 'dim=8,dim=16'],
      '--hyper: hyper-parameter dim is given more than once',
    ],
    [
      ['eval', 'a.csv'],
      'eval needs --model-dir: lens eval <interactions> [--items <file>] --model-dir <dir> [--allow-other-data] [--json]',
    ],
    [
      ['eval', 'a.csv', '--model-dir', 'm', '--out', 'x'],
      'unknown option --out for eval; valid options: --items, --json, --model-dir, --allow-other-data',
    ],
    [
      ['explain', 'a.csv', '--model-dir', 'm'],
      'explain needs --user: lens explain <interactions> [--items <file>] --model-dir <dir> --user <id> [--item <id>] [--method <name>|all] [--k N] [--target score|margin] [--removal close-up|in-place] [--lime-samples N] [--seed S] [--allow-other-data] [--json]',
    ],
    [
      ['explain', 'a.csv', '--model-dir', 'm', '--user', 'u', '--method', 'lrp'],
      '--method must be exact, attention, neighbours, saliency, gradxinput, ig, occlusion, lime, shap, counterfactual or all; got "lrp"',
    ],
    [
      ['explain', 'a.csv', '--model-dir', 'm', '--user', 'u', '--k', '1001'],
      '--k must be an integer from 1 to 1000; got "1001"',
    ],
    [
      ['explain', 'a.csv', '--model-dir', 'm', '--user', 'u', '--target', 'rank'],
      '--target must be score or margin; got "rank"',
    ],
    [
      ['explain', 'a.csv', '--model-dir', 'm', '--user', 'u', '--removal', 'drop'],
      '--removal must be close-up or in-place; got "drop"',
    ],
    [
      ['explain', 'a.csv', '--model-dir', 'm', '--user', 'u', '--lime-samples', '5'],
      '--lime-samples must be an integer from 10 to 20000; got "5"',
    ],
  ];
  for (const [argv, message] of cases) {
    it(`refuses ${argv.join(' ') || '(nothing)'}`, () => {
      expect(failure(argv)).toBe(message);
    });
  }
});

describe('checkModelId', () => {
  it('accepts a listed id and refuses another, listing the valid ones', () => {
    expect(() => checkModelId('pop', ['pop', 'itemknn'])).not.toThrow();
    expect(() => checkModelId('bert4rec', ['pop', 'itemknn'])).toThrow(
      new UsageError('unknown model "bert4rec"; valid models: pop, itemknn'),
    );
  });
});
