/**
 * Test-only helpers for the CLI tests: run `lens` in-process with captured output, fixture
 * paths, and small behaviour files written to a temporary folder.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './cli';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = path.join(REPO_ROOT, 'e2e', 'fixtures');
export const SAMPLE_INTERACTIONS = path.join(REPO_ROOT, 'sample-data', 'interactions.csv');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one invocation in this process; stdout and stderr are collected, not printed. */
export async function lens(...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

/** A fresh temporary folder for one test file. */
export function tempFolder(): string {
  return mkdtempSync(path.join(tmpdir(), 'lens-cli-'));
}

/**
 * A small interaction CSV: `users` users, each touching `perUser` items in time order from a
 * catalogue named `${prefix}1..${prefix}${items}` (item of user u at step s: (u + 2s) mod items).
 */
export function writeInteractions(
  file: string,
  options: { users: number; perUser: number; items: number; prefix?: string; extra?: string },
): string {
  const prefix = options.prefix ?? 'i';
  const lines = ['user_id,item_id,timestamp'];
  for (let u = 0; u < options.users; u++) {
    for (let s = 0; s < options.perUser; s++) {
      lines.push(`u${u},${prefix}${((u + 2 * s) % options.items) + 1},${1_700_000_000 + 60 * s}`);
    }
  }
  if (options.extra) lines.push(options.extra);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
