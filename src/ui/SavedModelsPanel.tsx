import type { ChangeEvent } from 'react';
import { importModelFiles } from '../state/savedModelActions';
import { useAppStore, useShallow } from '../state/store';
import { SavedModelRow } from './SavedModelRow';

/**
 * Models saved in this browser (IndexedDB) with Load, Rename and Delete, and the import of a
 * model exported as files (`.model.json` + `.weights.bin`, chosen together).
 */
export function SavedModelsPanel() {
  const { models, busy, message, listError, hasDataset } = useAppStore(
    useShallow((s) => ({
      models: s.savedModels,
      busy: s.savedBusy,
      message: s.savedMessage,
      listError: s.savedListError,
      hasDataset: s.summary !== null,
    })),
  );
  const onImport = (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.currentTarget.files ?? [])];
    event.currentTarget.value = '';
    if (files.length > 0) void importModelFiles(files);
  };
  return (
    <section className="card saved-models" aria-labelledby="saved-title" data-testid="saved-models">
      <h2 id="saved-title">Saved models</h2>
      <label className={`file-button${busy || !hasDataset ? ' disabled' : ''}`}>
        <input
          type="file"
          multiple
          className="visually-hidden"
          accept=".json,.bin,application/json,application/octet-stream"
          data-testid="import-model"
          disabled={busy || !hasDataset}
          aria-describedby="import-model-hint"
          onChange={onImport}
        />
        <span>Import model (.json + .bin)</span>
      </label>
      <p id="import-model-hint" className="muted small">
        Choose both files of an exported model together. A model trained on other data is matched to
        this dataset by item id, or refused with the reason.
      </p>
      {message && (
        <p
          className={message.level === 'error' ? 'error-text' : 'note'}
          role={message.level === 'error' ? 'alert' : 'status'}
          data-testid="saved-models-message"
        >
          {message.text}
        </p>
      )}
      {models.length === 0 ? (
        <p className="muted" data-testid="saved-models-empty">
          {listError ?? 'No models saved in this browser yet.'}
        </p>
      ) : (
        <ul className="saved-list">
          {models.map((model) => (
            <SavedModelRow key={model.key} model={model} busy={busy} />
          ))}
        </ul>
      )}
    </section>
  );
}
