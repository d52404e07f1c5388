import type { ColumnMapping, ParseOptions, Role } from '../core/data/types';
import { ROLES } from '../core/data/types';
import { userSampleProblem } from '../core/data/userSample';

/** What a column can be set to in the mapping editor: one of the roles, or ignored. */
export type ColumnRole = Role | 'ignore';

export const COLUMN_ROLE_LABELS: Record<ColumnRole, string> = {
  user: 'user',
  item: 'item',
  timestamp: 'timestamp',
  action: 'action type',
  value: 'value / rating',
  category: 'category',
  title: 'title',
  ignore: 'ignore',
};

/** The role a column plays under a mapping (`ignore` when none). */
export function roleOfColumn(mapping: ColumnMapping, columnIndex: number): ColumnRole {
  return ROLES.find((role) => mapping[role] === columnIndex) ?? 'ignore';
}

/**
 * Gives a column a role. Each role belongs to at most one column, so the column that held the
 * role before loses it (becomes ignored), as a user picking "user" for another column expects.
 */
export function assignRole(
  mapping: ColumnMapping,
  columnIndex: number,
  role: ColumnRole,
): ColumnMapping {
  const next: ColumnMapping = { ...mapping };
  for (const r of ROLES) if (next[r] === columnIndex) next[r] = null;
  if (role !== 'ignore') next[role] = columnIndex;
  return next;
}

/**
 * Problems that would make a parse pointless, worded for the editor; empty when it can run.
 * `columnCount` is the number of columns detected with the options in force, so a role left on
 * a column that no longer exists is caught before re-applying (null: unknown, skip that check).
 */
export function mappingProblems(options: ParseOptions, columnCount: number | null): string[] {
  const { mapping } = options;
  const problems: string[] = [];
  if (mapping.user === null) problems.push('Choose the column that holds the user id.');
  if (mapping.item === null) problems.push('Choose the column that holds the item id.');
  if (mapping.timestamp !== null && options.timestampFormat === 'none') {
    problems.push('Choose how the timestamp column is written (timestamp format).');
  }
  if (columnCount !== null) {
    for (const role of ROLES) {
      const index = mapping[role];
      if (index !== null && index >= columnCount) {
        problems.push(
          `The ${role} role points at column ${index + 1}, which this file does not have.`,
        );
      }
    }
  }
  if (options.sample) {
    const problem = userSampleProblem(options.sample);
    if (problem) problems.push(problem);
  }
  return problems;
}
