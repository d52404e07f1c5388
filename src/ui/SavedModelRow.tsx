import { useState } from 'react';
import { deleteSavedModel, loadSavedModel, renameSavedModel } from '../state/savedModelActions';
import type { SavedModelSummary } from '../worker/api';
import { formatBytes } from './format';
import { formatMetric } from './modelText';

/** One saved model: what it is and on what it was trained, with Load, Rename and Delete. */
export function SavedModelRow({ model, busy }: { model: SavedModelSummary; busy: boolean }) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(model.name);
  const saved = new Date(model.savedAt);
  return (
    <li
      className="saved-model"
      data-testid="saved-model"
      data-key={model.key}
      data-model-id={model.modelId}
    >
      {renaming ? (
        <form
          className="rename-form"
          onSubmit={(event) => {
            event.preventDefault();
            setRenaming(false);
            void renameSavedModel(model.key, name);
          }}
        >
          <label>
            <span className="visually-hidden">New name</span>
            <input
              value={name}
              maxLength={200}
              data-testid="saved-model-name-input"
              onChange={(event) => setName(event.currentTarget.value)}
            />
          </label>
          <button type="submit" disabled={!name.trim()}>
            Save name
          </button>
          <button type="button" onClick={() => setRenaming(false)}>
            Keep
          </button>
        </form>
      ) : (
        <p className="saved-name" data-testid="saved-model-name">
          {model.name}
        </p>
      )}
      <p className="muted small">
        <code>{model.modelId}</code> · trained on {model.datasetName} · test HR@10{' '}
        {formatMetric(model.metrics?.hr10)}, NDCG@10 {formatMetric(model.metrics?.ndcg10)} ·{' '}
        {formatBytes(model.bytes)} · saved{' '}
        <time dateTime={model.savedAt}>
          {Number.isNaN(saved.getTime()) ? model.savedAt : saved.toLocaleString()}
        </time>
      </p>
      <div className="actions">
        <button
          type="button"
          data-testid="load-saved-model"
          disabled={busy}
          onClick={() => void loadSavedModel(model.key)}
        >
          Load
        </button>
        <button
          type="button"
          data-testid="rename-saved-model"
          disabled={busy || renaming}
          onClick={() => {
            setName(model.name);
            setRenaming(true);
          }}
        >
          Rename
        </button>
        <button
          type="button"
          data-testid="delete-saved-model"
          disabled={busy}
          onClick={() => void deleteSavedModel(model.key)}
        >
          Delete
        </button>
      </div>
    </li>
  );
}
