import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { toGroundTruthJson, toInteractionsCsv, toItemsCsv } from './format';
import { simulateSample } from './simulate';
import type { SampleItem } from './types';

describe('the bundled CSV files', () => {
  const sample = simulateSample({ users: 120 });

  it('parse back with a standard CSV parser to exactly the simulated records', () => {
    const parsed = Papa.parse<string[]>(toItemsCsv(sample.items), { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data[0]).toEqual(['item_id', 'title', 'categories']);
    const back: SampleItem[] = parsed.data.slice(1).map(([id, title, categories]) => ({
      id,
      title,
      categories: categories.split('|'),
    }));
    expect(back).toEqual(sample.items);
    // The sample exercises quoting on purpose.
    expect(sample.items.some((i) => i.title.includes(','))).toBe(true);
    expect(sample.items.some((i) => i.title.includes('"'))).toBe(true);
  });

  it('writes the interactions with four always-filled columns and a final newline', () => {
    const text = toInteractionsCsv(sample.interactions);
    expect(text.endsWith('\n')).toBe(true);
    const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data[0]).toEqual(['user_id', 'item_id', 'timestamp', 'event_type']);
    expect(parsed.data.length - 1).toBe(sample.interactions.length);
    for (const row of parsed.data.slice(1)) {
      expect(row).toHaveLength(4);
      expect(row.every((field) => field.length > 0)).toBe(true);
    }
    expect(parsed.data[1]).toEqual([
      sample.interactions[0].user,
      sample.interactions[0].item,
      String(sample.interactions[0].timestamp),
      sample.interactions[0].eventType,
    ]);
  });

  it('neutralises a formula-like title and keeps a plain number as it is', () => {
    const items: SampleItem[] = [
      { id: 'p1', title: "-2+3+cmd|' /C calc'!A0", categories: ['Rock'] },
      { id: 'p2', title: '-1.5', categories: ['Rock'] },
    ];
    expect(toItemsCsv(items)).toBe(
      `item_id,title,categories\np1,"'-2+3+cmd|' /C calc'!A0",Rock\np2,-1.5,Rock\n`,
    );
  });

  it('refuses a category that contains a list separator', () => {
    const bad: SampleItem = { id: 'p10000', title: 'x', categories: ['Rock|Pop'] };
    expect(() => toItemsCsv([bad])).toThrow(/list separator/);
  });
});

describe('toGroundTruthJson', () => {
  it('is valid JSON that round-trips the ground truth, one user per line', () => {
    const { groundTruth } = simulateSample({ users: 30 });
    const text = toGroundTruthJson(groundTruth);
    expect(JSON.parse(text)).toEqual(groundTruth);
    const userLines = text.split('\n').filter((line) => line.trimStart().startsWith('{"user":'));
    expect(userLines).toHaveLength(30);
  });
});
