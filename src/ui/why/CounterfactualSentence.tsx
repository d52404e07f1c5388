import type { ExplanationReport } from '../../worker/api';
import { counterfactualSentence } from './explanationSummary';

interface CounterfactualSentenceProps {
  report: ExplanationReport;
  /** Applies the removal as a what-if; absent when the edits cannot be applied (no timeline). */
  onApply?: () => void;
  /** Still searching (the explanation runs and the counterfactual has not arrived). */
  pending: boolean;
}

/**
 * The counterfactual in one sentence ("Without A and B, X would fall from rank 3 to rank 41"),
 * verified by re-scoring, with a button that removes those items as a what-if.
 */
export function CounterfactualSentence({ report, onApply, pending }: CounterfactualSentenceProps) {
  const cf = report.counterfactual;
  if (!cf) {
    return pending ? (
      <p className="muted counterfactual-pending">Searching for the fewest items that matter…</p>
    ) : null;
  }
  const sentence = counterfactualSentence(report);
  return (
    <div
      className="counterfactual"
      data-testid="counterfactual"
      data-status={cf.status}
      data-removed={cf.removed.join(',')}
      data-new-rank={cf.newRank ?? ''}
      data-k={cf.k}
    >
      <p>
        <strong>Counterfactual: </strong>
        {sentence || 'No counterfactual for this item.'}
        {cf.status === 'found' && (
          <span className="muted small">
            {' '}
            (
            {cf.minimal
              ? 'no smaller set exists'
              : `sets up to ${cf.exhaustiveUpTo} checked exhaustively`}
            ; verified by re-scoring the catalogue)
          </span>
        )}
      </p>
      {cf.status === 'found' && onApply && (
        <button type="button" data-testid="counterfactual-apply" onClick={onApply}>
          Remove {cf.removed.length === 1 ? 'it' : `these ${cf.removed.length}`} as a what-if
        </button>
      )}
    </div>
  );
}
