import { describe, expect, it } from 'vitest';
import { plainCsvOptions } from '../core/data/testSupport';
import { assignRole, mappingProblems, roleOfColumn } from './mappingRoles';

const options = plainCsvOptions();
const { mapping } = options;

describe('roleOfColumn / assignRole', () => {
  it('reads the role of a column, ignore when none', () => {
    expect(roleOfColumn(mapping, 1)).toBe('item');
    expect(roleOfColumn(mapping, 3)).toBe('ignore');
  });

  it('moves a role to the new column and frees the column that held it', () => {
    const next = assignRole(mapping, 3, 'user');
    expect(next.user).toBe(3);
    expect(roleOfColumn(next, 0)).toBe('ignore');
    expect(mapping.user).toBe(0); // the input is not mutated
  });

  it('gives a column a single role: its old role is cleared', () => {
    const next = assignRole(mapping, 2, 'value');
    expect(next.value).toBe(2);
    expect(next.timestamp).toBeNull();
  });

  it('ignoring a column clears its role', () => {
    expect(assignRole(mapping, 1, 'ignore').item).toBeNull();
  });
});

describe('mappingProblems', () => {
  it('accepts a complete mapping', () => {
    expect(mappingProblems(options, 3)).toEqual([]);
  });

  it('asks for the user and item columns when missing', () => {
    const problems = mappingProblems(
      { ...options, mapping: { ...mapping, user: null, item: null } },
      3,
    );
    expect(problems).toEqual([
      'Choose the column that holds the user id.',
      'Choose the column that holds the item id.',
    ]);
  });

  it('asks for a timestamp format when a timestamp column is set without one', () => {
    expect(mappingProblems({ ...options, timestampFormat: 'none' }, 3)).toHaveLength(1);
  });

  it('catches roles pointing past the last column', () => {
    expect(mappingProblems(options, 2)).toEqual([
      'The timestamp role points at column 3, which this file does not have.',
    ]);
    expect(mappingProblems(options, null)).toEqual([]);
  });

  it('says what is wrong with a user sample, and accepts a valid one', () => {
    expect(mappingProblems({ ...options, sample: { fraction: 0.1, seed: 3 } }, 3)).toEqual([]);
    expect(mappingProblems({ ...options, sample: { fraction: 0, seed: 0 } }, 3)).toEqual([
      'The share of users to keep must be a number from 0.000001 to 1 (1 keeps everyone); got 0.',
    ]);
    expect(mappingProblems({ ...options, sample: { fraction: 0.5, seed: 1.5 } }, 3)).toHaveLength(
      1,
    );
  });
});
