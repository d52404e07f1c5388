import { loadFile, loadItemFile } from '../state/actions';
import { useAppStore, useShallow } from '../state/store';
import { FileButton, INTERACTION_FILE_ACCEPT } from './FileButton';
import { IngestErrorNotice } from './IngestErrorNotice';
import { IngestProgressBar } from './IngestProgressBar';

/**
 * Where data comes in: a drop zone (the whole page accepts drops, see `usePageFileDrop`),
 * the file buttons, the progress of a running load and the reason a load failed.
 */
export function DataPanel() {
  const { loading, hasDataset, dropActive } = useAppStore(
    useShallow((s) => ({
      loading: s.status === 'loading',
      hasDataset: s.summary !== null,
      dropActive: s.dropActive,
    })),
  );
  return (
    <section className="card data-panel" aria-labelledby="data-panel-title">
      <h2 id="data-panel-title">Data</h2>
      <div className={`drop-zone${dropActive ? ' active' : ''}`}>
        <p className="drop-title">
          Drop a CSV or Parquet file of user behaviour anywhere on the page
        </p>
        <p className="muted">
          One row per interaction: user, item, and optionally time, action, value, category, title.
          Comma, tab, semicolon, pipe or <code>::</code> separated text, or Parquet. A file larger
          than a tab can hold is loaded as a sample of its users. Nothing leaves your browser.
        </p>
        <div className="file-buttons">
          <FileButton
            label="Choose interactions file"
            testId="csv-input"
            accept={INTERACTION_FILE_ACCEPT}
            primary
            onFile={(file) => void loadFile(file)}
          />
          <FileButton
            label="Add item metadata"
            testId="items-input"
            disabled={!hasDataset || loading}
            hint="A second file with item id, title and categories, joined onto the loaded interactions."
            onFile={(file) => void loadItemFile(file)}
          />
        </div>
      </div>
      <IngestProgressBar />
      <IngestErrorNotice />
    </section>
  );
}
