import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './testSupport';

const run = promisify(execFile);

describe('lens as a process (npx tsx src/cli/main.ts)', () => {
  it('inspects a fixture: exit 0, JSON on stdout, progress on stderr', async () => {
    const { stdout, stderr } = await run(
      'npx',
      ['tsx', 'src/cli/main.ts', 'inspect', 'e2e/fixtures/ml1m-style.dat', '--json'],
      { cwd: REPO_ROOT },
    );
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      file: 'ml1m-style.dat',
      users: 3,
      items: 5,
      interactions: 10,
      rejected: 0,
      rejectedByReason: {},
      format: { delimiter: '::', hasHeader: false },
      columns: { user: 'column 1', item: 'column 2' },
    });
    expect(stderr).toContain('ml1m-style.dat: reading');
  });
});
