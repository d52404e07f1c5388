import type { ChangeEvent } from 'react';
import type { ForeignDraft } from '../state/foreignSlice';
import { useAppStore } from '../state/store';
import type { ModelMapping } from '../worker/api';

type IdMapping = ModelMapping['items'];

interface IdFieldProps {
  label: string;
  testId: string;
  value: IdMapping;
  file: File | null;
  onChange: (value: IdMapping) => void;
  onFile: (file: File | null) => void;
}

/** How a model's integer ids map to the dataset's: identity, an offset, or a mapping file. */
function IdField({ label, testId, value, file, onChange, onFile }: IdFieldProps) {
  const kind = value.kind;
  const pick = (event: ChangeEvent<HTMLInputElement>) =>
    onFile(event.currentTarget.files?.[0] ?? null);
  return (
    <fieldset className="id-mapping" data-testid={testId}>
      <legend>{label}</legend>
      <select
        aria-label={`${label}: how model ids map`}
        value={kind}
        onChange={(e) => {
          const next = e.currentTarget.value;
          onChange(
            next === 'offset'
              ? { kind: 'offset', offset: 1 }
              : next === 'list'
                ? { kind: 'list', ids: [] }
                : { kind: 'identity' },
          );
        }}
      >
        <option value="identity">model id = dataset id</option>
        <option value="offset">model id = dataset id + offset</option>
        <option value="list">a mapping file (line k = dataset id of model id k)</option>
      </select>
      {value.kind === 'offset' && (
        <label>
          offset{' '}
          <input
            type="number"
            step={1}
            value={value.offset}
            onChange={(e) =>
              onChange({ kind: 'offset', offset: Math.trunc(Number(e.currentTarget.value)) || 0 })
            }
          />
        </label>
      )}
      {value.kind === 'list' && (
        <label className="file-button">
          <input
            type="file"
            className="visually-hidden"
            accept=".txt,.csv,.json"
            data-testid={`${testId}-file`}
            onChange={pick}
          />
          <span>{file ? `Mapping file: ${file.name}` : 'Choose the mapping file'}</span>
        </label>
      )}
    </fieldset>
  );
}

/** The editable mapping of a TF.js model's inputs and ids onto the loaded data. */
export function ForeignMappingEditor({ draft }: { draft: ForeignDraft }) {
  const edit = useAppStore((s) => s.editForeignDraft);
  const mapping = draft.mapping;
  if (!mapping) return null;
  const set = (change: Partial<ModelMapping>) =>
    edit({ mapping: { ...mapping, ...change } as ModelMapping });
  const number = (value: string, min: number) => Math.max(min, Math.trunc(Number(value)) || min);
  return (
    <div className="foreign-mapping" data-testid="foreign-mapping" data-kind={mapping.kind}>
      {mapping.kind === 'history' ? (
        <div className="row">
          <label>
            history length{' '}
            <input
              type="number"
              min={1}
              max={10_000}
              value={mapping.maxLen}
              data-testid="foreign-maxlen"
              onChange={(e) => set({ maxLen: Math.min(10_000, number(e.currentTarget.value, 1)) })}
            />
          </label>
          <label>
            padding{' '}
            <select
              value={mapping.padding}
              data-testid="foreign-padding"
              onChange={(e) =>
                set({ padding: e.currentTarget.value === 'right' ? 'right' : 'left' })
              }
            >
              <option value="left">left (Keras pad_sequences default)</option>
              <option value="right">right</option>
            </select>
          </label>
          <label>
            padding id{' '}
            <input
              type="number"
              min={0}
              value={mapping.padValue}
              onChange={(e) => set({ padValue: number(e.currentTarget.value, 0) })}
            />
          </label>
          <label>
            output column of model id k{' '}
            <select
              value={mapping.outputOffset}
              onChange={(e) => set({ outputOffset: Number(e.currentTarget.value) === 1 ? 1 : 0 })}
            >
              <option value={0}>k</option>
              <option value={1}>k − 1 (no padding column)</option>
            </select>
          </label>
        </div>
      ) : (
        <p className="muted small">
          User id input: <code>{mapping.userInput}</code>; item id input:{' '}
          <code>{mapping.itemInput}</code>.
        </p>
      )}
      <IdField
        label="Item ids"
        testId="foreign-item-ids"
        value={mapping.items}
        file={draft.itemIdsFile}
        onChange={(items) => set({ items })}
        onFile={(file) => edit({ itemIdsFile: file })}
      />
      {mapping.kind === 'ids' && (
        <IdField
          label="User ids"
          testId="foreign-user-ids"
          value={mapping.users}
          file={draft.userIdsFile}
          onChange={(users) => set({ users } as Partial<ModelMapping>)}
          onFile={(file) => edit({ userIdsFile: file })}
        />
      )}
    </div>
  );
}
