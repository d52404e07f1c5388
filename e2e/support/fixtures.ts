/**
 * The shared ingest fixtures (e2e/fixtures, written by generate-fixtures.ts) and the exact
 * outcomes expected.json / expected-items.json promise for them; the unit tests check the
 * same numbers in Node, these specs check them through the real page.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export interface LoadedExpectation {
  kind: 'loads';
  file: string;
  users: number;
  items: number;
  interactions: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
}

export interface FailingExpectation {
  kind: 'fails';
  file: string;
  /** A substring of the one-sentence message the page must show. */
  error: string;
}

export type FixtureExpectation = LoadedExpectation | FailingExpectation;

export interface ItemsExpectation {
  file: string;
  interactionsFile: string;
  rows: number;
  matchedItems: number;
  unknownItems: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  categories: number;
  itemsWithTitle: number;
}

export const fixturePath = (file: string): string => join(FIXTURES_DIR, file);

function readJson(name: string): Record<string, Record<string, unknown>> {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8'));
}

/** Every interaction fixture with its expected outcome, in expected.json's order. */
export function loadExpectations(): FixtureExpectation[] {
  return Object.entries(readJson('expected.json')).map(([file, e]) =>
    typeof e.error === 'string'
      ? { kind: 'fails', file, error: e.error }
      : {
          kind: 'loads',
          file,
          users: Number(e.users),
          items: Number(e.items),
          interactions: Number(e.interactions),
          rejected: Number(e.rejected),
          rejectedByReason: (e.rejectedByReason ?? {}) as Record<string, number>,
        },
  );
}

/** The expected result of one interaction fixture that loads; throws if it is not listed. */
export function expectationFor(file: string): LoadedExpectation {
  const found = loadExpectations().find((e) => e.file === file && e.kind === 'loads');
  if (found?.kind !== 'loads') {
    throw new Error(`e2e/fixtures/expected.json has no loading entry for ${file}`);
  }
  return found;
}

/** Every item metadata fixture with the interactions file it joins onto. */
export function loadItemsExpectations(): ItemsExpectation[] {
  return Object.entries(readJson('expected-items.json')).map(([file, e]) => ({
    file,
    ...(e as Omit<ItemsExpectation, 'file'>),
  }));
}
