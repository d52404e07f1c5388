import { useAppStore, useShallow } from '../state/store';

/**
 * The one-sentence reason the last load failed. The worker keeps its previous dataset on
 * failure, so when there is one we say it is still loaded (its summary stays on the page).
 */
export function IngestErrorNotice() {
  const { status, error, errorKind, fileName, previous } = useAppStore(
    useShallow((s) => ({
      status: s.status,
      error: s.error,
      errorKind: s.errorKind,
      fileName: s.fileName,
      previous: s.summary?.fileName ?? null,
    })),
  );
  if (status !== 'error' || !error) return null;
  const what =
    errorKind === 'items'
      ? `The item metadata file ${fileName ?? ''} could not be joined`
      : errorKind === 'reapply'
        ? 'The edited mapping could not be applied'
        : `${fileName ?? 'The file'} could not be loaded`;
  return (
    <div className="ingest-error" role="alert">
      <strong>{what}</strong>
      <p data-testid="ingest-error">{error}</p>
      {previous && (
        <p className="muted">
          {errorKind === 'items'
            ? `The interactions of ${previous} are still loaded, without this metadata.`
            : `The previous dataset (${previous}) is still loaded and shown.`}
        </p>
      )}
    </div>
  );
}
