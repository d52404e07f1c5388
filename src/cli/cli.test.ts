import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, lens, tempFolder, writeInteractions } from './testSupport';

const fixture = (name: string) => path.join(FIXTURES, name);
/** The error line: progress lines come before it on stderr. */
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

describe('lens usage and usage errors (exit 2)', () => {
  it('prints the usage on stderr and exits 2 without arguments', async () => {
    const run = await lens();
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: lens <command>');
  });

  it('prints the usage on stdout and exits 0 for --help, per command too', async () => {
    const all = await lens('--help');
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('Exit codes: 0 ok, 1 data error');
    const train = await lens('train', '--help');
    expect(train.code).toBe(0);
    expect(train.stdout).toMatch(/^Usage: lens train <interactions>/);
  });

  const usageErrors: [string[], string][] = [
    [
      ['fit', 'x.csv'],
      'lens: unknown command "fit"; expected inspect, train, eval, explain, compare, interests or import (see lens --help)\n',
    ],
    [
      ['train', fixture('ml1m-style.dat'), '--model', 'pop', '--epochs', '0'],
      'lens: --epochs must be a positive integer; got "0"\n',
    ],
    [['inspect', '/no/such/file.csv'], 'lens: interaction file not found: /no/such/file.csv\n'],
    [['inspect', FIXTURES], `lens: interaction file is a folder, not a file: ${FIXTURES}\n`],
    [
      ['inspect', fixture('ml1m-style.dat'), '--items', '/no/items.csv'],
      'lens: item file not found: /no/items.csv\n',
    ],
    [
      ['eval', fixture('ml1m-style.dat'), '--model-dir', '/no/model'],
      'lens: model folder not found: /no/model\n',
    ],
  ];
  for (const [argv, message] of usageErrors) {
    it(`exits 2 for: ${argv.map((a) => path.basename(a)).join(' ')}`, async () => {
      const run = await lens(...argv);
      expect(run).toEqual({ code: 2, stdout: '', stderr: message });
    });
  }

  it('refuses an unknown model id, listing the valid ones', async () => {
    const run = await lens('train', fixture('ml1m-style.dat'), '--model', 'bert4rec');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^lens: unknown model "bert4rec"; valid models: pop, itemknn, .*gru/,
    );
    expect(run.stderr.split('\n')).toHaveLength(2);
  });
});

describe('lens data errors (exit 1, one line)', () => {
  for (const [file, reason] of [
    ['not-a-table.bin', 'found binary data'],
    ['empty.csv', 'This file is empty'],
    ['one-column.txt', 'found only one column'],
  ]) {
    it(`refuses ${file}`, async () => {
      const run = await lens('inspect', fixture(file), '--json');
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(reason);
      expect(run.stderr).toMatch(/^lens: [^\n]+\n$/);
    });
  }

  it('refuses a corrupt model folder with the reason', async () => {
    const dir = tempFolder();
    writeFileSync(path.join(dir, 'model.json'), '{"weightsManifest": [');
    writeFileSync(path.join(dir, 'weights.bin'), new Uint8Array(8));
    const run = await lens('eval', fixture('ml1m-style.dat'), '--model-dir', dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^lens: The model file is not valid JSON \(.*\)\.\n$/);
  });

  it('refuses a model folder without weights.bin', async () => {
    const dir = tempFolder();
    writeFileSync(path.join(dir, 'model.json'), '{}');
    const run = await lens('eval', fixture('ml1m-style.dat'), '--model-dir', dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `lens: The model folder ${dir} has no weights.bin; it needs model.json and weights.bin as written by lens train --out.\n`,
    );
  });
});

describe('lens eval against other data', () => {
  const dir = tempFolder();
  const trainedOn = writeInteractions(path.join(dir, 'a.csv'), { users: 6, perUser: 5, items: 7 });
  const model = path.join(dir, 'pop-a');

  it('refuses data that shares too few items, with matchDataset’s reason', async () => {
    const trained = await lens('train', trainedOn, '--model', 'pop', '--out', model);
    expect(trained.code).toBe(0);
    expect(trained.stderr).toContain(`saved to ${model}: pop on a.csv\n`);
    const other = writeInteractions(path.join(dir, 'c.csv'), {
      users: 6,
      perUser: 5,
      items: 7,
      prefix: 'x',
    });
    const run = await lens('eval', other, '--model-dir', model);
    expect(run.code).toBe(1);
    expect(lastLine(run.stderr)).toMatch(
      /^lens: This model was trained on other data \("a.csv"\): it knows only 0 of this dataset's 7 items/,
    );
  });

  it('refuses overlapping other data unless --allow-other-data, then labels the result', async () => {
    const grown = writeInteractions(path.join(dir, 'b.csv'), {
      users: 6,
      perUser: 5,
      items: 7,
      extra: 'u0,i3,1800000000',
    });
    const refused = await lens('eval', grown, '--model-dir', model);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('pass --allow-other-data');
    const allowed = await lens('eval', grown, '--model-dir', model, '--allow-other-data', '--json');
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ datasetMatch: 'mapped', unknownItems: 0 });
    expect(allowed.stderr).toContain('note: evaluating through the item-id mapping');
  });

  it('says that --epochs and --seed do nothing for a baseline', async () => {
    const run = await lens('train', trainedOn, '--model', 'pop', '--epochs', '3', '--seed', '1');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'note: pop is a baseline fitted in one pass, so --epochs has no effect\n',
    );
    expect(run.stderr).toContain(
      'note: pop is a baseline fitted in one pass, so --seed has no effect\n',
    );
  });

  it('says so when --out replaces a model saved before', async () => {
    const again = await lens('train', trainedOn, '--model', 'pop', '--out', model);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`replaced the model in ${model}: pop on a.csv\n`);
  });

  it('refuses --out that names an existing file', async () => {
    const file = path.join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const run = await lens('train', trainedOn, '--model', 'pop', '--out', file);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`lens: --out must be a folder, but ${file} is a file\n`);
    expect(run.stdout).toBe('');
  });
});
