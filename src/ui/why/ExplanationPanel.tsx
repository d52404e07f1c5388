import { useMemo } from 'react';
import type { AttributionMethod } from '../../core/explain/types';
import {
  applyCounterfactual,
  cancelWhyExplanation,
  explainSelection,
  selectWhyMethod,
} from '../../state/whyActions';
import type { ExplanationState } from '../../state/whySlice';
import type { ExplanationReport } from '../../worker/api';
import { AttributionBars } from '../charts/AttributionBars';
import { AttributionStrip } from '../charts/AttributionStrip';
import { FaithfulnessChart } from '../charts/FaithfulnessChart';
import { MethodAgreementMatrix } from '../charts/MethodAgreementMatrix';
import { RollupBars } from '../charts/RollupBars';
import {
  attributionBarItems,
  attributionRows,
  okMethods,
  readTimelineItems,
} from './attributionRows';
import { ChartCard } from './ChartCard';
import { CounterfactualSentence } from './CounterfactualSentence';
import { Diagnostics } from './Diagnostics';
import { ExplanationExports } from './ExplanationExports';
import { explanationSummary, summaryMethod } from './explanationSummary';

interface ExplanationPanelProps {
  explanation: ExplanationState;
  /** The report to draw: the final one, or the streamed parts in its shape. */
  report: ExplanationReport | null;
  /** The method whose bars the user chose (null: the summary's choice). */
  chosenMethod: AttributionMethod | null;
  /** What-if edits can be applied (the timeline is loaded). */
  canEdit: boolean;
}

/** The progress line: what is done, and Cancel while it runs. */
function ExplanationProgress({
  explanation,
  methodsRun,
}: {
  explanation: ExplanationState;
  /** Methods that produced attributions (unavailable ones aside). */
  methodsRun: number;
}) {
  const { status, done, total, cancelled } = explanation;
  let text: string;
  if (status === 'running') {
    text =
      explanation.item === null
        ? 'Scoring the catalogue…'
        : total > 0
          ? `Explaining: ${done} of ${total} methods done${done === total ? ', checking the counterfactual and faithfulness…' : '…'}`
          : 'Explaining…';
  } else if (status === 'ready') {
    const ms = explanation.report?.latencyMs.total;
    text = `Explained with ${methodsRun} method${methodsRun === 1 ? '' : 's'}${ms !== undefined ? ` in ${ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`}` : ''}.`;
  } else if (status === 'error') {
    text = 'The explanation failed.';
  } else {
    text = cancelled ? `Cancelled after ${done} of ${total} methods.` : '';
  }
  return (
    <div className="why-progress" data-testid="explanation-progress">
      {status === 'running' && total > 0 && (
        <progress value={done} max={total} aria-label="Methods finished" />
      )}
      <span className="muted small" role="status">
        {text}
      </span>
      {status === 'running' ? (
        <button type="button" data-testid="cancel-explanation" onClick={cancelWhyExplanation}>
          Cancel
        </button>
      ) : (
        (cancelled || status === 'error') && (
          <button type="button" data-testid="explain-again" onClick={explainSelection}>
            Explain again
          </button>
        )
      )}
    </div>
  );
}

/**
 * "Why this item?": the explanation drawn as its parts arrive (heat-strip, ranked bars of one
 * method, method agreement, faithfulness, counterfactual, roll-ups, diagnostics, a summary).
 */
export function ExplanationPanel({
  explanation,
  report,
  chosenMethod,
  canEdit,
}: ExplanationPanelProps) {
  const request = explanation.request;
  // A model whose score ignores the history (pop) has only zeros to draw: said in words instead.
  const ok = report && !report.historyIndependent ? okMethods(report.methods) : [];
  const shownMethod =
    (chosenMethod && ok.some((m) => m.method === chosenMethod) ? chosenMethod : null) ??
    (report && ok.length > 0 ? (summaryMethod(report)?.method ?? null) : null);
  const stripItems = useMemo(() => (report ? readTimelineItems(report) : []), [report]);
  const rows = useMemo(() => (report ? attributionRows(report.methods) : []), [report]);
  const bars = useMemo(
    () => (report && shownMethod ? attributionBarItems(report, shownMethod) : []),
    [report, shownMethod],
  );
  const unit = ok.find((m) => m.method === shownMethod)?.unit ?? 'score';
  const exportBase = `explanation-${request?.userId ?? 'user'}-${explanation.item ?? 'item'}`;
  const title = report ? (report.title ?? report.item) : null;
  const ready = explanation.status === 'ready';
  const categoryRollup = shownMethod ? report?.rollups.category[shownMethod] : undefined;
  const windowRollup = shownMethod ? report?.rollups.window[shownMethod] : undefined;

  return (
    <section
      className="card explanation"
      data-testid="explanation"
      data-status={explanation.status}
      data-user={request?.userId ?? ''}
      data-item={explanation.item ?? ''}
      data-rank={explanation.rank ?? ''}
      data-model={request?.modelKey ?? ''}
      data-edits={request?.edits ?? ''}
      data-methods={ok.map((m) => m.method).join(',')}
      aria-busy={explanation.status === 'running'}
      aria-labelledby="explanation-title"
    >
      <header className="explanation-head">
        <h2 id="explanation-title">{title === null ? 'Why this item?' : <>Why “{title}”?</>}</h2>
        {report && (
          <p className="explanation-facts">
            rank <strong>{report.rank}</strong> · score {report.score.toPrecision(4)}
            {report.categories.length > 0 && <> · {report.categories.join(', ')}</>} ·{' '}
            <code>{report.item}</code>
            {request?.edits ? <span className="muted"> · on the edited history</span> : null}
          </p>
        )}
        <ExplanationProgress
          explanation={explanation}
          methodsRun={report ? okMethods(report.methods).length : 0}
        />
      </header>
      {explanation.status === 'error' && (
        <p className="error-text" role="alert">
          {explanation.error}
        </p>
      )}
      {!report && explanation.status === 'idle' && !explanation.cancelled && (
        <p className="muted">Click a recommendation (or search an item) to see why.</p>
      )}
      {report && (
        <>
          <p className="why-summary" data-testid="explanation-summary">
            {ok.length > 0 || report.historyIndependent
              ? explanationSummary(report, shownMethod ?? undefined)
              : 'The first methods are computing…'}
          </p>
          <CounterfactualSentence
            report={report}
            pending={explanation.status === 'running'}
            onApply={canEdit ? applyCounterfactual : undefined}
          />
          {ok.length > 0 && (
            <ChartCard
              title="Attributions per history item, every method"
              description="One row per method, one cell per read history item (oldest left, lined up with the timeline). Purple pushes the item up, orange pushes it down; each row is scaled to its largest value."
              exportName={`${exportBase}-attributions`}
            >
              <AttributionStrip items={stripItems} rows={rows} />
            </ChartCard>
          )}
          <div className="two-up why-two-up">
            {shownMethod && (
              <ChartCard
                title={`Most influential items: ${shownMethod}`}
                description={`The history items ranked by |attribution| under ${shownMethod} (${unit}); bars right of the axis push the item up.`}
                exportName={`${exportBase}-${shownMethod}`}
              >
                <label className="method-select">
                  Method
                  <select
                    data-testid="method-select"
                    value={shownMethod}
                    onChange={(event) =>
                      selectWhyMethod(event.currentTarget.value as AttributionMethod)
                    }
                  >
                    {ok.map((m) => (
                      <option key={m.method} value={m.method}>
                        {m.method}
                      </option>
                    ))}
                  </select>
                </label>
                <AttributionBars method={shownMethod} unit={unit} items={bars} />
              </ChartCard>
            )}
            {ok.length > 1 && (
              <ChartCard
                title="Method agreement"
                description="Spearman rank correlation of every pair of methods over the history items, and the items every method puts in its top 3."
                exportName={`${exportBase}-agreement`}
              >
                <MethodAgreementMatrix report={report} />
              </ChartCard>
            )}
          </div>
          {ok.length > 0 &&
            explanation.faithfulness &&
            Object.keys(explanation.faithfulness).length > 0 && (
              <ChartCard
                title="Faithfulness"
                description="Deletion: the score as the most important items (by each method) are removed, 10 % at a time; insertion: as only they are kept. Random order dashed. A faithful method drops fast on deletion (small area) and rises fast on insertion."
                exportName={`${exportBase}-faithfulness`}
              >
                <FaithfulnessChart faithfulness={explanation.faithfulness} />
              </ChartCard>
            )}
          {ready &&
          ok.length > 0 &&
          shownMethod &&
          (categoryRollup?.length || windowRollup?.length) ? (
            <div className="two-up why-two-up">
              {categoryRollup && categoryRollup.length > 0 && (
                <ChartCard
                  title={`By category (${shownMethod})`}
                  description="The attributions summed per category (an item in several categories split evenly)."
                  exportName={`${exportBase}-by-category`}
                >
                  <RollupBars title="Attribution by category" entries={categoryRollup} />
                </ChartCard>
              )}
              {windowRollup && windowRollup.length > 0 && (
                <ChartCard
                  title={`By time window (${shownMethod})`}
                  description="The attributions summed per time window before the most recent interaction."
                  exportName={`${exportBase}-by-window`}
                >
                  <RollupBars title="Attribution by time window" entries={windowRollup} />
                </ChartCard>
              )}
            </div>
          ) : null}
          {(ready || Object.keys(report.methods).length > 0) && <Diagnostics report={report} />}
          <ExplanationExports report={ready ? explanation.report : null} />
        </>
      )}
    </section>
  );
}
