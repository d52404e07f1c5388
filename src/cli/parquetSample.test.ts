/**
 * `lens inspect` and `lens train` on Parquet files (told by content) and with a user-hash
 * sample (`--sample-users`, `--sample-seed`).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from './args';
import { lens, tempFolder, writeInteractions } from './testSupport';

const folder = tempFolder();

/** The same table as `writeInteractions` (60 users x 8 items), as Parquet with typed columns. */
function writeParquet(file: string, users = 60, perUser = 8, items = 40): string {
  const user: string[] = [];
  const item: bigint[] = [];
  const time: Date[] = [];
  for (let u = 0; u < users; u++) {
    for (let s = 0; s < perUser; s++) {
      user.push(`u${u}`);
      item.push(BigInt(((u + 2 * s) % items) + 1));
      time.push(new Date((1_700_000_000 + 60 * s) * 1000));
    }
  }
  const bytes = parquetWriteBuffer({
    columnData: [
      { name: 'user_id', type: 'STRING', data: user },
      { name: 'item_id', type: 'INT64', data: item },
      { name: 'timestamp', type: 'TIMESTAMP', data: time },
    ],
    rowGroupSize: 100,
  });
  writeFileSync(file, new Uint8Array(bytes));
  return file;
}

async function json(...argv: string[]): Promise<Record<string, unknown>> {
  const run = await lens(...argv, '--json');
  expect(run.stderr).not.toContain('lens:');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}

describe('lens on Parquet', () => {
  const parquet = writeParquet(path.join(folder, 'log.data')); // no .parquet: told by content
  const csv = writeInteractions(path.join(folder, 'log.csv'), { users: 60, perUser: 8, items: 40 });

  it('inspect reads Parquet and counts as for the same CSV', async () => {
    const fromParquet = await json('inspect', parquet);
    const fromCsv = await json('inspect', csv);
    expect(fromParquet).toMatchObject({
      fileFormat: 'parquet',
      users: 60,
      items: 40,
      interactions: 480,
      rejected: 0,
      columns: { user: 'user_id', item: 'item_id', timestamp: 'timestamp' },
      timeRange: fromCsv.timeRange,
      sample: null,
    });
    expect(fromCsv).toMatchObject({ fileFormat: 'delimited', users: 60, interactions: 480 });
    const text = await lens('inspect', parquet);
    expect(text.stdout).toMatch(/format\s+Parquet, timestamps epoch-ms/);
  });

  it('inspect and train load a user sample, say so, and keep the same users each time', async () => {
    const a = await json('inspect', parquet, '--sample-users', '0.5', '--sample-seed', '3');
    const b = await json('inspect', csv, '--sample-users', '50%', '--sample-seed', '3');
    const sample = a.sample as Record<string, number>;
    expect(sample).toMatchObject({ fraction: 0.5, seed: 3, reason: 'asked' });
    expect(sample.keptUsers + sample.droppedUsers).toBe(60);
    expect(a.users).toBe(sample.keptUsers);
    expect((a.interactions as number) + sample.droppedRows).toBe(480);
    expect(b.sample).toEqual(a.sample);
    const text = await lens('inspect', parquet, '--sample-users', '0.5', '--sample-seed', '3');
    expect(text.stdout).toMatch(
      /user sample\s+50% of users \(hash of the user id, seed 3\): \d+ users and \d+ rows left out/,
    );

    const trained = await lens(
      'train',
      parquet,
      '--model',
      'pop',
      '--sample-users',
      '0.5',
      '--sample-seed',
      '3',
      '--json',
    );
    expect(trained.code).toBe(0);
    expect(trained.stderr).toMatch(/note: Only a sample of users was loaded: 50% of users/);
    expect(JSON.parse(trained.stdout).sample).toEqual(a.sample);
  });

  it('parses the sample options, and refuses bad values with one line', () => {
    const inspect = parseCliArgs(['inspect', 'x.parquet', '--sample-users', '5%']);
    expect(inspect).toMatchObject({ command: 'inspect', sample: { fraction: 0.05, seed: 0 } });
    expect(parseCliArgs(['inspect', 'x.csv'])).toMatchObject({ sample: null });
    const bad: [string[], RegExp][] = [
      [['inspect', 'x', '--sample-users', '0'], /--sample-users must be a share of users/],
      [['inspect', 'x', '--sample-users', '1.5'], /got "1.5"/],
      [['inspect', 'x', '--sample-users', 'half'], /got "half"/],
      [
        ['train', 'x', '--model', 'pop', '--sample-seed', '4'],
        /--sample-seed needs --sample-users/,
      ],
      [
        ['inspect', 'x', '--sample-users', '0.1', '--sample-seed', '-1'],
        /--sample-seed must be an integer/,
      ],
      [['eval', 'x', '--model-dir', 'm', '--sample-users', '0.1'], /unknown option --sample-users/],
    ];
    for (const [argv, message] of bad) {
      expect(() => parseCliArgs(argv), argv.join(' ')).toThrow(UsageError);
      expect(() => parseCliArgs(argv)).toThrow(message);
    }
  });

  it('says in one sentence that a truncated Parquet file is one', async () => {
    const cut = path.join(folder, 'cut.parquet');
    const whole = writeParquet(path.join(folder, 'whole.parquet'));
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(whole);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const run = await lens('inspect', cut);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'lens: This file is a Parquet file, but it is corrupt or truncated: it does not end with the Parquet footer, so it was probably cut short while being copied or downloaded.\n',
    );
  });
});
