import { useState } from 'react';
import { REJECT_REASON_LABELS, type ReasonCount, type RejectReason } from '../core/data/types';
import { downloadRejected } from '../state/actions';
import { messageOf } from '../state/messageOf';
import { useAppStore } from '../state/store';
import { formatCount } from './format';

/** "12, 40, 77, … (5 more)": the example lines and how many are not listed. */
function linesText({ count, firstLines }: ReasonCount): string {
  const more = count - firstLines.length;
  return `${firstLines.join(', ')}${more > 0 ? `, … (${formatCount(more)} more)` : ''}`;
}

/**
 * Every rejected row, counted by reason with example line numbers, and a download of all of
 * them as CSV (built in the page, no network).
 */
export function RejectsPanel() {
  const report = useAppStore((s) => s.summary?.report ?? null);
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  if (!report) return null;

  const reasons = (Object.entries(report.rejectedByReason) as [RejectReason, ReasonCount][])
    .filter(([, reasonCount]) => reasonCount.count > 0)
    .sort((a, b) => b[1].count - a[1].count);

  const onDownload = async () => {
    setDownloading(true);
    setDownloadError(null);
    try {
      await downloadRejected();
    } catch (error) {
      setDownloadError(`The rejected rows could not be exported: ${messageOf(error)}`);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <section
      className="card rejects-panel"
      data-testid="rejects-panel"
      aria-labelledby="rejects-title"
    >
      <h2 id="rejects-title">Rejected rows</h2>
      {reasons.length === 0 ? (
        <p className="muted">
          No rows rejected: all {formatCount(report.dataRows)} data rows were accepted.
        </p>
      ) : (
        <table className="rejects">
          <thead>
            <tr>
              <th scope="col">Reason</th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col">First lines</th>
            </tr>
          </thead>
          <tbody>
            {reasons.map(([reason, reasonCount]) => (
              <tr key={reason} data-reason={reason} data-count={reasonCount.count}>
                <th scope="row">{REJECT_REASON_LABELS[reason]}</th>
                <td className="num">{formatCount(reasonCount.count)}</td>
                <td className="lines">{linesText(reasonCount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.blankLines > 0 && (
        <p className="muted">
          {formatCount(report.blankLines)} blank line{report.blankLines === 1 ? '' : 's'} skipped
          (not data rows).
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          data-testid="download-rejected"
          disabled={report.rejected === 0 || downloading}
          onClick={() => void onDownload()}
        >
          Download rejected rows (CSV)
        </button>
      </div>
      {downloadError && (
        <p className="error-text" role="alert">
          {downloadError}
        </p>
      )}
    </section>
  );
}
