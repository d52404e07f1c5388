import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/types';
import { makeDataset } from '../train/testing';
import { datasetFingerprint, fnv1a64Hex } from './fingerprint';

const bytes = (s: string) => new TextEncoder().encode(s);

const rows = [
  ['u1', 'a', 1000],
  ['u1', 'b', 2000],
  ['u2', 'a', 1500],
  ['u2', 'c', 2500],
  ['u3', 'b', 3000],
] as const;

/** A fresh copy of the same data, so caching cannot make two fingerprints agree. */
const fresh = (): Dataset => makeDataset(rows.map((r) => [...r] as const));

describe('fnv1a64Hex', () => {
  it('matches the published FNV-1a 64 test vectors', () => {
    expect(fnv1a64Hex(bytes(''))).toBe('cbf29ce484222325');
    expect(fnv1a64Hex(bytes('a'))).toBe('af63dc4c8601ec8c');
    expect(fnv1a64Hex(bytes('foobar'))).toBe('85944171f73967e8');
  });
});

describe('datasetFingerprint', () => {
  it('is stable: the same data built twice has the same fingerprint', () => {
    const a = datasetFingerprint(fresh());
    expect(a).toMatch(/^fnv1a64:[0-9a-f]{16}$/);
    expect(datasetFingerprint(fresh())).toBe(a);
  });

  it('changes with any change to ids, order, times, values, titles or categories', () => {
    const base = datasetFingerprint(fresh());
    const edits: [string, (d: Dataset) => void][] = [
      ['item id', (d) => (d.itemIds[0] = 'z')],
      ['user id', (d) => (d.userIds[2] = 'u9')],
      ['timestamp', (d) => (d.timestamp[1] += 1)],
      ['item order', (d) => d.item.reverse()],
      ['value', (d) => (d.value[0] = 4)],
      ['action', (d) => (d.action[0] = 0)],
      ['title', (d) => (d.itemTitle[1] = 'Blue')],
      ['category', (d) => (d.itemCategories[2] = [0])],
      ['category names', (d) => d.categoryNames.push('jazz')],
    ];
    const seen = new Set([base]);
    for (const [what, edit] of edits) {
      const d = fresh();
      edit(d);
      const fingerprint = datasetFingerprint(d);
      expect(fingerprint, what).not.toBe(base);
      seen.add(fingerprint);
    }
    expect(seen.size).toBe(edits.length + 1);
  });

  it('tells apart id lists that concatenate to the same text', () => {
    const a = fresh();
    const b = fresh();
    a.itemIds = ['ab', 'c', 'd'];
    b.itemIds = ['a', 'bc', 'd'];
    expect(datasetFingerprint(a)).not.toBe(datasetFingerprint(b));
  });
});
