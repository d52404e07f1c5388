import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './args';

describe('parseCliArgs: import', () => {
  it('takes model files, --data and --out, with an optional sidecar', () => {
    expect(
      parseCliArgs([
        'import',
        'model.json',
        'group1-shard1of2.bin',
        'group1-shard2of2.bin',
        '--data',
        'log.parquet',
        '--mapping',
        'map.json',
        '--out',
        'models/keras',
      ]),
    ).toEqual({
      command: 'import',
      files: ['model.json', 'group1-shard1of2.bin', 'group1-shard2of2.bin'],
      interactions: 'log.parquet',
      items: null,
      mapping: 'map.json',
      out: 'models/keras',
      name: null,
      json: false,
    });
  });
  it('refuses an import without data, output or files, in one line', () => {
    expect(() => parseCliArgs(['import', 'model.json', '--out', 'x'])).toThrow(
      /--data <interactions> is required/,
    );
    expect(() => parseCliArgs(['import', 'model.json', '--data', 'a.csv'])).toThrow(
      /--out <dir> is required/,
    );
    expect(() => parseCliArgs(['import', '--data', 'a.csv', '--out', 'x'])).toThrow(
      /give the model files/,
    );
    expect(() =>
      parseCliArgs(['import', 'm.json', '--data', 'a.csv', '--out', 'x', '--bogus']),
    ).toThrow(/^import: Unknown option '--bogus'/);
  });
});
