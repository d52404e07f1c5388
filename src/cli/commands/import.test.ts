import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomFactors, sparkParquet } from '../../core/import/alsFixtures';
import { kerasHistoryFixture } from '../../core/import/fixtures';
import type { NamedFile } from '../../core/import/modelFiles';
import { useBackend } from '../../core/models/tfTesting';
import { SeededRandom } from '../../core/random';
import { lens, tempFolder, writeInteractions } from '../testSupport';

const ITEMS = 24;

function writeFiles(dir: string, files: readonly NamedFile[]): string[] {
  mkdirSync(dir, { recursive: true });
  return files.map((f) => {
    const file = path.join(dir, f.name);
    writeFileSync(file, f.bytes);
    return file;
  });
}

async function ok(...argv: string[]): Promise<Record<string, unknown>> {
  const run = await lens(...argv, '--json');
  expect(run.stderr).not.toContain('lens:');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}

describe('lens import', () => {
  // The fixtures are built with tfjs-layers in this process.
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('turns a sharded Keras model into a model folder that eval and explain take', async () => {
    const dir = tempFolder();
    // Items "i1".."i24": model id k is item "i<k>", listed by a mapping file.
    const data = writeInteractions(path.join(dir, 'log.csv'), {
      users: 20,
      perUser: 8,
      items: ITEMS,
    });
    const model = writeFiles(
      path.join(dir, 'keras'),
      await kerasHistoryFixture(ITEMS, { maxLen: 6, shards: 2 }),
    );
    const ids = ['', ...Array.from({ length: ITEMS }, (_, k) => `i${k + 1}`)].join('\n');
    writeFileSync(path.join(dir, 'item_ids.txt'), ids);
    writeFileSync(
      path.join(dir, 'map.json'),
      JSON.stringify({ kind: 'history', maxLen: 6, items: { kind: 'file', file: 'item_ids.txt' } }),
    );
    const out = path.join(dir, 'imported');
    const imported = await ok(
      'import',
      ...model,
      '--data',
      data,
      '--mapping',
      path.join(dir, 'map.json'),
      '--out',
      out,
    );
    expect(imported).toMatchObject({ kind: 'keras', out, mapping: { kind: 'history', maxLen: 6 } });
    const evaluated = await ok('eval', data, '--model-dir', out);
    expect((evaluated.test as { ndcg10?: number } | undefined) ?? evaluated).toBeDefined();
    expect(JSON.stringify(evaluated)).toContain('keras');
    const explained = await ok(
      'explain',
      data,
      '--model-dir',
      out,
      '--user',
      'u3',
      '--method',
      'ig',
    );
    expect(JSON.stringify(explained)).toContain('"ig"');

    const missing = await lens(
      'import',
      ...model.slice(0, 2),
      '--data',
      data,
      '--out',
      path.join(dir, 'x'),
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/group1-shard2of2\.bin, which was not given/);
  });

  it('imports ALS factor tables with their hyper-parameters', async () => {
    const dir = tempFolder();
    const data = writeInteractions(path.join(dir, 'log.csv'), {
      users: 20,
      perUser: 8,
      items: ITEMS,
    });
    const rng = new SeededRandom(3, 'cli-als');
    const itemIds = Array.from({ length: ITEMS }, (_, k) => `i${k + 1}`);
    const [table] = writeFiles(dir, [
      { name: 'itemFactors.parquet', bytes: sparkParquet(itemIds, randomFactors(rng, ITEMS, 4)) },
    ]);
    writeFileSync(
      path.join(dir, 'als.json'),
      JSON.stringify({ kind: 'als', implicit: true, lambda: 0.1, alpha: 2 }),
    );
    const out = path.join(dir, 'als');
    const imported = await ok(
      'import',
      table,
      '--data',
      data,
      '--mapping',
      path.join(dir, 'als.json'),
      '--out',
      out,
    );
    expect(imported).toMatchObject({ kind: 'als', als: { implicit: true, lambda: 0.1, alpha: 2 } });
    const explained = await ok(
      'explain',
      data,
      '--model-dir',
      out,
      '--user',
      'u2',
      '--method',
      'exact',
    );
    expect(JSON.stringify(explained)).toContain('"exact"');
  });
});
