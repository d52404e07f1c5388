import { useAppStore, useShallow } from '../state/store';
import { BarList } from './BarList';
import { Histogram } from './charts/Histogram';
import { formatCount } from './format';
import { MetadataSummary } from './MetadataSummary';
import { NoticeList } from './NoticeList';
import { SummaryStats } from './SummaryStats';

/** "943 users; from 20 to 737 interactions each, median 65.": a histogram's text alternative. */
function spreadSentence(
  total: number,
  entities: string,
  spread: { min: number; median: number; max: number },
): string {
  return `${formatCount(total)} ${entities}; from ${formatCount(spread.min)} to ${formatCount(spread.max)} interactions each, median ${formatCount(spread.median)}.`;
}

/**
 * The loaded dataset at a glance. Always rendered (tests wait on its data attributes): with
 * no dataset its counts are 0. While a new file loads or after it failed, the previous
 * dataset's summary stays, because it is still the worker's dataset; `data-status` says which.
 */
export function DatasetSummaryPanel() {
  const { status, summary } = useAppStore(
    useShallow((s) => ({ status: s.status, summary: s.summary })),
  );
  const shownStatus = status === 'idle' && !summary ? 'loading' : status;

  return (
    <section
      className={`card dataset-summary status-${shownStatus}`}
      data-testid="dataset-summary"
      data-status={shownStatus}
      data-users={summary?.users ?? 0}
      data-items={summary?.items ?? 0}
      data-interactions={summary?.interactions ?? 0}
      data-rejected={summary?.report.rejected ?? 0}
      data-format={summary?.report.format ?? 'delimited'}
      data-sample-fraction={summary?.report.sample?.fraction ?? 1}
      aria-labelledby="summary-title"
      aria-busy={status === 'loading'}
    >
      <h2 id="summary-title">
        Dataset{summary ? ': ' : ''}
        {summary && <span className="file-name">{summary.fileName}</span>}
      </h2>
      {!summary ? (
        <p className="muted">
          {status === 'loading'
            ? 'Loading…'
            : 'No dataset loaded yet. Drop a CSV or Parquet file to begin.'}
        </p>
      ) : (
        <>
          {status === 'loading' && (
            <p className="note">Showing the current dataset until the new file is loaded.</p>
          )}
          {status === 'error' && (
            <p className="note">The last load failed; this is the dataset still loaded.</p>
          )}
          <SummaryStats summary={summary} />
          <NoticeList notices={summary.report.notices} />
          <div className="two-up">
            <Histogram
              bins={summary.perUser.bins}
              title="Interactions per user"
              entities="users"
              xLabel="interactions per user (log scale)"
              description={spreadSentence(summary.users, 'users', summary.perUser)}
              testId="hist-per-user"
            />
            <Histogram
              bins={summary.perItem.bins}
              title="Interactions per item"
              entities="items"
              xLabel="interactions per item (log scale)"
              description={spreadSentence(summary.items, 'items', summary.perItem)}
              testId="hist-per-item"
            />
          </div>
          <div className="two-up">
            <BarList
              title="Top categories"
              items={summary.topCategories}
              emptyText="No categories (no category column or item metadata)."
            />
            <BarList
              title="Action types"
              items={summary.actionTypes}
              emptyText="No action column: every row counts as one interaction."
            />
          </div>
          {summary.metadata && <MetadataSummary metadata={summary.metadata} />}
        </>
      )}
    </section>
  );
}
