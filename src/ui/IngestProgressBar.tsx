import type { IngestProgress } from '../core/data/types';
import { cancelLoad } from '../state/actions';
import type { LoadKind } from '../state/dataSlice';
import { useAppStore, useShallow } from '../state/store';
import { formatBytes, formatCount } from './format';

/** What is being loaded, in words. */
function loadHeadline(kind: LoadKind | null, fileName: string | null): string {
  const name = fileName ?? 'file';
  switch (kind) {
    case 'sample':
      return `Loading the bundled sample (${name})`;
    case 'reapply':
      return `Re-reading ${name} with the edited mapping`;
    case 'items':
      return `Joining item metadata from ${name}`;
    default:
      return `Loading ${name}`;
  }
}

/** Bytes and rows so far, and the phase once reading is done. */
function progressDetail(progress: IngestProgress | null): string {
  if (!progress) return 'Starting…';
  const rows = `${formatCount(progress.rows)} rows`;
  if (progress.phase === 'indexing') return `Indexing ${rows}…`;
  if (progress.phase === 'summarising') return `Summarising ${rows}…`;
  return `${formatBytes(progress.bytesRead)} of ${formatBytes(progress.totalBytes)} read · ${rows} so far`;
}

/** Determinate progress of the running load, with Cancel (the previous dataset stays). */
export function IngestProgressBar() {
  const { status, kind, fileName, progress } = useAppStore(
    useShallow((s) => ({
      status: s.status,
      kind: s.loadKind,
      fileName: s.fileName,
      progress: s.progress,
    })),
  );
  if (status !== 'loading') return null;
  const total = Math.max(1, progress?.totalBytes ?? 1);
  const read = Math.min(total, progress?.bytesRead ?? 0);
  const headline = loadHeadline(kind, fileName);
  return (
    <div className="ingest-progress" aria-live="polite">
      <div className="ingest-progress-head">
        <strong>{headline}</strong>
        <button type="button" data-testid="cancel-load" onClick={cancelLoad}>
          Cancel
        </button>
      </div>
      <progress data-testid="ingest-progress" max={total} value={read} aria-label={headline} />
      <p className="muted">{progressDetail(progress)}</p>
    </div>
  );
}
