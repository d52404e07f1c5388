import type { ChangeEvent } from 'react';
import {
  cancelForeignDraft,
  chooseForeignFiles,
  importForeignDraft,
} from '../state/foreignActions';
import type { ForeignDraft } from '../state/foreignSlice';
import { useAppStore, useShallow } from '../state/store';
import { ForeignMappingEditor } from './ForeignMappingEditor';

const shape = (dims: (number | null)[]) => `[${dims.map((d) => d ?? '?').join(', ')}]`;

/** Spark ALS's hyper-parameters, or "unknown" (then the stored user factors score). */
function AlsFields({ draft }: { draft: ForeignDraft }) {
  const edit = useAppStore((s) => s.editForeignDraft);
  const als = draft.als;
  const set = (change: Partial<ForeignDraft['als']>) => edit({ als: { ...als, ...change } });
  const nonNegative = (value: string) => Math.max(0, Number(value) || 0);
  return (
    <fieldset className="als-params" data-testid="foreign-als">
      <legend>ALS hyper-parameters</legend>
      <label>
        <input
          type="checkbox"
          checked={als.known}
          data-testid="foreign-als-known"
          onChange={(e) => set({ known: e.currentTarget.checked })}
        />{' '}
        I know them (fold histories in; exact contributions)
      </label>
      {als.known && (
        <div className="row">
          <label>
            <input
              type="checkbox"
              checked={als.implicit}
              onChange={(e) => set({ implicit: e.currentTarget.checked })}
            />{' '}
            implicitPrefs
          </label>
          <label>
            λ (regParam){' '}
            <input
              type="number"
              min={0}
              step="any"
              value={als.lambda}
              data-testid="foreign-als-lambda"
              onChange={(e) => set({ lambda: nonNegative(e.currentTarget.value) })}
            />
          </label>
          <label>
            α (alpha){' '}
            <input
              type="number"
              min={0}
              step="any"
              value={als.alpha}
              data-testid="foreign-als-alpha"
              onChange={(e) => set({ alpha: nonNegative(e.currentTarget.value) })}
            />
          </label>
        </div>
      )}
    </fieldset>
  );
}

/**
 * Models trained by another engine: a Keras or TF.js graph model (model.json with its .bin
 * shards, chosen together) or Spark ALS factor tables (Parquet or CSV). The page proposes how
 * the model maps onto the loaded data; the user checks it and imports.
 */
export function ForeignImportPanel() {
  const { draft, busy, message, hasDataset } = useAppStore(
    useShallow((s) => ({
      draft: s.foreignDraft,
      busy: s.foreignBusy,
      message: s.foreignMessage,
      hasDataset: s.summary !== null,
    })),
  );
  const onPick = (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.currentTarget.files ?? [])];
    event.currentTarget.value = '';
    void chooseForeignFiles(files);
  };
  const proposal = draft?.proposal;
  return (
    <section
      className="card foreign-import"
      aria-labelledby="foreign-title"
      data-testid="foreign-import"
    >
      <h2 id="foreign-title">Models from other engines</h2>
      <label className={`file-button${busy || !hasDataset ? ' disabled' : ''}`}>
        <input
          type="file"
          multiple
          className="visually-hidden"
          accept=".json,.bin,.parquet,.csv,.txt"
          data-testid="foreign-files"
          disabled={busy || !hasDataset}
          aria-describedby="foreign-hint"
          onChange={onPick}
        />
        <span>Choose model files…</span>
      </label>
      <p id="foreign-hint" className="muted small">
        A Keras or TensorFlow model converted with <code>tensorflowjs_converter</code> (its
        model.json and every .bin shard, chosen together), or Spark ALS factor tables (itemFactors,
        and userFactors if you have them) as Parquet or CSV. See docs/scale-out.md.
      </p>
      {busy && (
        <p className="muted" role="status">
          Reading the model…
        </p>
      )}
      {message && (
        <p
          className={message.level === 'error' ? 'error-text' : 'note'}
          role={message.level === 'error' ? 'alert' : 'status'}
          data-testid="foreign-message"
        >
          {message.text}
        </p>
      )}
      {draft && proposal && (
        <div className="foreign-draft" data-testid="foreign-draft" data-kind={proposal.kind}>
          {proposal.kind === 'tfjs' ? (
            <>
              <p data-testid="foreign-summary">
                {proposal.summary.kind === 'keras' ? 'Keras model' : 'Graph model'} from{' '}
                {proposal.summary.source}: inputs{' '}
                {proposal.summary.inputs.map((i) => `${i.name} ${shape(i.shape)}`).join(', ')},
                output {shape(proposal.summary.output)},{' '}
                {proposal.summary.parameters.toLocaleString('en-US')} parameters.
              </p>
              <ForeignMappingEditor draft={draft} />
            </>
          ) : (
            <>
              <p data-testid="foreign-summary">
                Factor tables: {proposal.files.map((f) => `${f.name} (${f.role})`).join(', ')}.
              </p>
              <AlsFields draft={draft} />
            </>
          )}
          <ul className="muted small" data-testid="foreign-notes">
            {proposal.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
          <div className="actions">
            <button
              type="button"
              className="primary"
              data-testid="foreign-import-button"
              disabled={busy}
              onClick={() => void importForeignDraft()}
            >
              Import and evaluate
            </button>
            <button type="button" disabled={busy} onClick={cancelForeignDraft}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
