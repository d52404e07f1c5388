import type { BackendName } from '../core/backend/types';
import { switchBackend } from '../state/actions';
import { useAppStore, useShallow } from '../state/store';
import { BACKEND_LABELS, describeReport, shortReason } from './backendText';

/**
 * Which TF.js backend the worker computes on and why, with an override. A failed switch shows
 * its message and leaves the previous backend in place.
 */
export function BackendBadge() {
  const { status, report, requested, error, training } = useAppStore(
    useShallow((s) => ({
      status: s.backendStatus,
      report: s.backendReport,
      requested: s.backendRequested,
      error: s.backendError,
      training: Object.values(s.cards).some((c) => c.status === 'training'),
    })),
  );
  const busy = status === 'initialising' || status === 'switching';
  const shown = requested ?? report?.backend;
  const text = report
    ? status === 'switching'
      ? `switching to ${BACKEND_LABELS[requested ?? report.backend]}…`
      : shortReason(report)
    : status === 'error'
      ? 'no backend available'
      : 'choosing a backend…';

  return (
    <div
      className={`backend-badge backend-${status}`}
      data-testid="backend-badge"
      data-backend={report?.backend}
      data-status={status}
      title={report ? describeReport(report) : text}
    >
      <div className="backend-summary">
        <span className="backend-name">{report ? BACKEND_LABELS[report.backend] : '…'}</span>
        <span className="backend-reason">{text}</span>
      </div>
      <label className="backend-override">
        <span>Backend</span>
        <select
          data-testid="backend-select"
          value={shown ?? ''}
          disabled={busy || !report || training}
          title={
            training ? 'A model is training: switch the backend after it finishes.' : undefined
          }
          onChange={(event) => void switchBackend(event.target.value as BackendName)}
        >
          {!report && <option value="">…</option>}
          {report?.candidates.map((c) => (
            <option key={c.name} value={c.name} disabled={!c.available} title={c.note}>
              {BACKEND_LABELS[c.name]}
              {c.available ? '' : ' (unavailable)'}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p className="backend-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
