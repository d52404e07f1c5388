import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lens, tempFolder } from '../testSupport';

/** 10 users over 8 weeks, each with one favourite genre, two events a week. */
const dir = tempFolder();
const data = path.join(dir, 'weeks.csv');
const items = path.join(dir, 'items.csv');
const GENRES = ['Drama', 'Comedy', 'Sci-Fi'];
const lines = ['user_id,item_id,timestamp'];
for (let u = 0; u < 10; u++) {
  for (let t = 0; t < 16; t++) {
    const genre = t < 8 || u % 2 ? u % 3 : (u + 1) % 3;
    lines.push(
      `u${u},i${genre + 3 * (t % 5)},${1_736_000_000 + Math.floor(t / 2) * 7 * 86_400 + (t % 2) * 3600}`,
    );
  }
}
writeFileSync(data, `${lines.join('\n')}\n`);
writeFileSync(
  items,
  `item_id,title,genres\n${Array.from({ length: 15 }, (_, i) => `i${i},Title ${i},${GENRES[i % 3]}`).join('\n')}\n`,
);

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

describe('lens interests', () => {
  it('--user --json: layers, weekly windows with drift and change points, a forecast with its baselines', async () => {
    const run = await lens(
      'interests',
      data,
      '--items',
      items,
      '--user',
      'u1',
      '--window',
      'week',
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.user).toBe('u1');
    expect(out.categories).toEqual(GENRES);
    expect(out.deep[0]).toMatchObject({ category: 'Comedy' });
    expect(out.deep[0].stability).toBeGreaterThan(0.5);
    expect(out.surface[0].category).toBe('Comedy');
    expect(Array.isArray(out.middle)).toBe(true);
    expect(out.unit).toBe('week');
    expect(out.windows.length).toBe(8);
    expect(out.windows[0].distribution[0].category).toBe('Comedy');
    expect(out.drift).toHaveLength(out.windows.length);
    expect(out.forecast.next.length).toBeGreaterThan(0);
    expect(out.forecast.baselines.lastWindow.next[0].category).toBe('Comedy');
    expect(out.forecast.users).toBeGreaterThan(0);
    expect(Number.isFinite(out.forecast.error.kl)).toBe(true);
  });

  it('a switching user gets a change point; --all gives the population; text output', async () => {
    const run = await lens(
      'interests',
      data,
      '--items',
      items,
      '--user',
      'u0',
      '--window',
      'week',
      '--no-forecast',
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.changePoints.length).toBeGreaterThan(0);
    expect(out.forecast).toBeNull();
    const all = await lens(
      'interests',
      data,
      '--items',
      items,
      '--all',
      '--no-forecast',
      '--window',
      'week',
    );
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^Everyone's interests over 3 categories/);
    expect(all.stdout).toMatch(/week from\s+events\s+top categories/);
  });

  it('refuses in one sentence: no user or both, an unknown user, no categories and no model', async () => {
    expect(lastLine((await lens('interests', data, '--items', items)).stderr)).toMatch(
      /exactly one of --user <id> or --all/,
    );
    const unknown = await lens('interests', data, '--items', items, '--user', 'zz');
    expect(unknown.code).toBe(2);
    expect(lastLine(unknown.stderr)).toMatch(/There is no user "zz"/);
    const bare = await lens('interests', data, '--user', 'u1');
    expect(bare.code).toBe(2);
    expect(lastLine(bare.stderr)).toMatch(/no item categories/);
  });
});
