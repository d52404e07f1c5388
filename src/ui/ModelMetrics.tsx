import type { MetricReport } from '../core/models/baseline-types';
import type { ModelCardSummary } from '../worker/api';
import { formatCount } from './format';
import { formatMetric, formatSeconds, protocolLabel } from './modelText';

/** Why a run ended, after its epoch count (nothing when every asked-for epoch ran). */
const STOP_NOTE: Record<NonNullable<ModelCardSummary['record']['stoppedBy']>, string> = {
  epochs: '',
  fitted: '',
  patience: ' (stopped early)',
  time: ' (time limit)',
};

/** The test metrics of a trained model, with the protocol they were measured under. */
export function ModelMetrics({ card }: { card: ModelCardSummary }) {
  const { record } = card;
  const test = record.test;
  return (
    <div className="model-metrics">
      <p className="protocol" data-testid={`protocol-${card.key}`}>
        {protocolLabel(test?.protocol ?? record.protocol)}
      </p>
      {test ? <MetricTable report={test} /> : <p className="muted">No test report.</p>}
      <dl className="facts run-facts">
        <dt>Training time</dt>
        <dd>{formatSeconds(record.trainSeconds)}</dd>
        <dt>Examples/s</dt>
        <dd>{card.examplesPerSec === null ? '—' : formatCount(Math.round(card.examplesPerSec))}</dd>
        <dt>Epochs</dt>
        <dd>
          {record.epochs === 0
            ? 'fitted in one pass'
            : `${record.epochs} run, best ${record.bestEpoch}${STOP_NOTE[record.stoppedBy ?? 'epochs']}`}
        </dd>
        <dt>Backend, seed</dt>
        <dd>
          {record.backend}, {record.seed}
        </dd>
        {record.training && (
          <>
            <dt>Learning rate, batch</dt>
            <dd data-testid={`training-settings-${card.key}`}>
              {record.training.learningRate}, {record.training.batchSize} windows
            </dd>
          </>
        )}
        {record.lossDescription && (
          <>
            <dt>Loss</dt>
            <dd data-testid={`training-loss-${card.key}`}>{record.lossDescription}</dd>
          </>
        )}
      </dl>
    </div>
  );
}

function MetricTable({ report }: { report: MetricReport }) {
  const at10 = report.atK.find((m) => m.k === 10);
  const at20 = report.atK.find((m) => m.k === 20);
  const cells: [string, number | null | undefined][] = [
    ['HR@10', at10?.hitRate],
    ['NDCG@10', at10?.ndcg],
    ['MRR', report.mrr],
    ['Recall@20', at20?.recall],
    ['Coverage@10', at10?.coverage],
  ];
  return (
    <>
      <dl className="stat-tiles metric-tiles">
        {cells.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{formatMetric(value)}</dd>
          </div>
        ))}
      </dl>
      <p className="muted small">
        {formatCount(report.usersEvaluated)} users evaluated
        {report.usersExcluded > 0
          ? `; ${formatCount(report.usersExcluded)} with fewer than ${report.minInteractions} interactions not evaluated`
          : ''}
        {report.repeatTargets > 0
          ? `; ${formatCount(report.repeatTargets)} targets already seen (cannot be hit)`
          : ''}
        .
      </p>
    </>
  );
}
