/**
 * Test-only helpers (imported by tests and their fixtures only): fixture files, byte sources
 * that record how they were read, and the options of a plain CSV.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bytesSource } from './sources';
import type { ByteSource, Dataset, ParseOptions } from './types';

const FIXTURES = fileURLToPath(new URL('../../../e2e/fixtures/', import.meta.url));

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${FIXTURES}${name}`));
}

export function fixtureSource(name: string): ByteSource {
  return bytesSource(fixtureBytes(name), name);
}

export function fixtureJson<T>(name: string): T {
  return JSON.parse(readFileSync(`${FIXTURES}${name}`, 'utf8')) as T;
}

export function textSource(text: string, name = 'test.csv'): ByteSource {
  return bytesSource(new TextEncoder().encode(text), name);
}

/** A dataset as plain arrays, for deep equality across runs. */
export function plainDataset(d: Dataset): Record<string, unknown> {
  return {
    userIds: d.userIds,
    itemIds: d.itemIds,
    actionNames: d.actionNames,
    categoryNames: d.categoryNames,
    user: [...d.user],
    item: [...d.item],
    timestamp: [...d.timestamp],
    action: [...d.action],
    value: [...d.value],
    line: [...d.line],
    userOffsets: [...d.userOffsets],
    itemTitle: d.itemTitle,
    itemCategories: d.itemCategories,
    hasTimestamps: d.hasTimestamps,
  };
}

/** Options of a plain `user,item,timestamp` CSV (epoch seconds), with `mapping` overrides. */
export function plainCsvOptions(mapping: Partial<ParseOptions['mapping']> = {}): ParseOptions {
  return {
    delimiter: ',',
    hasHeader: true,
    encoding: 'utf-8',
    timestampFormat: 'epoch-s',
    mapping: {
      user: 0,
      item: 1,
      timestamp: 2,
      action: null,
      value: null,
      category: null,
      title: null,
      ...mapping,
    },
  };
}
