import type { DetectedColumn, ParseOptions } from '../core/data/types';
import { assignRole, COLUMN_ROLE_LABELS, type ColumnRole, roleOfColumn } from './mappingRoles';

const ROLE_CHOICES = Object.keys(COLUMN_ROLE_LABELS) as ColumnRole[];

interface MappingColumnsProps {
  columns: readonly DetectedColumn[];
  draft: ParseOptions;
  disabled: boolean;
  onChange: (options: ParseOptions) => void;
}

/** One row per detected column: its name, sample values and the role it plays. */
export function MappingColumns({ columns, draft, disabled, onChange }: MappingColumnsProps) {
  const setRole = (columnIndex: number, role: ColumnRole) => {
    const mapping = assignRole(draft.mapping, columnIndex, role);
    // Without a timestamp column there is no timestamp format to apply.
    const timestampFormat = mapping.timestamp === null ? 'none' : draft.timestampFormat;
    onChange({ ...draft, mapping, timestampFormat });
  };
  return (
    <table className="mapping-columns">
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col">Sample values</th>
          <th scope="col">Role</th>
        </tr>
      </thead>
      <tbody>
        {columns.map((column) => {
          const role = roleOfColumn(draft.mapping, column.index);
          const selectId = `role-select-${column.index}`;
          return (
            <tr key={column.index} className={role === 'ignore' ? 'ignored' : undefined}>
              <th scope="row" title={column.name}>
                <label htmlFor={selectId}>{column.name}</label>
              </th>
              <td className="samples" title={column.samples.join('\n')}>
                {column.samples.length > 0 ? (
                  column.samples.map((sample, i) => (
                    // Samples can repeat; their position is their identity.
                    // biome-ignore lint/suspicious/noArrayIndexKey: fixed list of up to 5 values
                    <code key={i}>{sample === '' ? '(empty)' : sample}</code>
                  ))
                ) : (
                  <span className="muted">no values</span>
                )}
              </td>
              <td>
                <select
                  id={selectId}
                  data-testid={`role-${column.index}`}
                  value={role}
                  disabled={disabled}
                  onChange={(event) => setRole(column.index, event.target.value as ColumnRole)}
                >
                  {ROLE_CHOICES.map((choice) => (
                    <option key={choice} value={choice}>
                      {COLUMN_ROLE_LABELS[choice]}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
