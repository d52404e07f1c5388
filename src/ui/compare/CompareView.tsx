/**
 * The compare view (`#view=compare&models=a,b&cohort=...`): which models to trust and why two
 * models differ. Pick 2 to 4 trained or loaded models (an int8 version included) and a cohort;
 * see accuracy with bootstrap intervals and paired tests, figures beyond accuracy, where their
 * lists differ user by user, and whether they explain alike. Exports as CSV and JSON.
 */
import { useCallback, useMemo } from 'react';
import { COHORTS, type Cohort } from '../../core/compare/cohorts';
import { MAX_COMPARED_MODELS } from '../../core/compare/compare';
import {
  comparedKeys,
  exportComparison,
  requestKey,
  setCohort,
  toggleComparedModel,
  trainedKeys,
} from '../../state/compareActions';
import { deriveInt8 } from '../../state/modelActions';
import { type AppState, useAppStore, useShallow } from '../../state/store';
import { IntervalChart } from '../charts/IntervalChart';
import { ChartCard } from '../why/ChartCard';
import { AgreementPanel } from './AgreementPanel';
import { ModelTable, PairTable } from './CompareTables';
import { COHORT_LABELS, modelColour } from './compareText';
import { UserDiff } from './UserDiff';
import './compare.css';

function ModelPicker({ keys, chosen }: { keys: string[]; chosen: string[] }) {
  const cards = useAppStore((s) => s.cards);
  if (keys.length < 2) {
    return (
      <p className="muted" data-testid="compare-empty">
        Train or load at least two models (Models view) to compare them.
      </p>
    );
  }
  return (
    <fieldset className="compare-picker">
      <legend>Models (2 to {MAX_COMPARED_MODELS})</legend>
      {keys.map((key) => {
        const card = cards[key]?.card;
        const on = chosen.includes(key);
        const index = chosen.indexOf(key);
        const canInt8 =
          card?.source.kind !== 'int8' &&
          !['pop', 'itemknn'].includes(card?.id ?? '') &&
          !keys.includes(`${key}-int8`);
        return (
          <span key={key} className="compare-pick">
            <label>
              <input
                type="checkbox"
                data-testid="compare-model-toggle"
                data-model={key}
                checked={on}
                onChange={() => toggleComparedModel(key)}
              />
              {on && (
                <span className="swatch" style={{ background: modelColour(index) }} aria-hidden />
              )}
              {key}
              {card?.source.kind === 'int8' && <span className="muted small"> (int8)</span>}
            </label>
            {canInt8 && card?.status === 'trained' && (
              <button
                type="button"
                className="link-button small"
                onClick={() => void deriveInt8(key)}
                title={`Quantise ${key} to int8 and add it to the list`}
              >
                + int8
              </button>
            )}
          </span>
        );
      })}
    </fieldset>
  );
}

export function CompareView() {
  // Joined: a selector returning a fresh array would re-render without end.
  const { keyList, chosenList, cohort, comparison, pairChoice, setPair } = useAppStore(
    useShallow((s: AppState) => ({
      keyList: trainedKeys(s).join(','),
      chosenList: comparedKeys(s).join(','),
      cohort: s.compareCohort,
      comparison: s.comparison,
      pairChoice: s.comparePair,
      setPair: s.setComparePair,
    })),
  );
  const keys = useMemo(() => (keyList ? keyList.split(',') : []), [keyList]);
  const chosen = useMemo(() => (chosenList ? chosenList.split(',') : []), [chosenList]);
  const agreement = useAppStore((s) => s.agreement);
  const currentAgreementKey = useAppStore((s) => requestKey(s, comparedKeys(s), 'agreement'));
  const stale = useCallback(
    (request: string | null) => request !== currentAgreementKey,
    [currentAgreementKey],
  );
  const colourOf = useCallback(
    (key: string) => modelColour(Math.max(0, chosen.indexOf(key))),
    [chosen],
  );
  const result = comparison.status === 'ready' ? comparison.result : null;
  const report = result?.report ?? null;
  const pair: [string, string] | null =
    pairChoice && chosen.includes(pairChoice[0]) && chosen.includes(pairChoice[1])
      ? pairChoice
      : chosen.length >= 2
        ? [chosen[0], chosen[1]]
        : null;
  const agreementOf = useCallback(
    (a: string, b: string) => {
      const r = agreement.result;
      if (!r || stale(agreement.request)) return null;
      return (
        r.pairs.find(
          (p) => p.method === 'occlusion' && ((p.a === a && p.b === b) || (p.a === b && p.b === a)),
        )?.rho ?? null
      );
    },
    [agreement, stale],
  );
  const intervalRows = useMemo(
    () =>
      report?.models.map((m) => ({
        key: m.key,
        label: m.key,
        colour: colourOf(m.key),
        value: m.metrics.ndcg10,
        lo: m.ci.ndcg10.lo,
        hi: m.ci.ndcg10.hi,
      })) ?? [],
    [report, colourOf],
  );
  const progress = comparison.progress;

  return (
    <div
      className="compare-view"
      data-testid="compare-view"
      data-models={chosen.join(',')}
      data-cohort={cohort}
      data-status={comparison.status}
    >
      <section className="card compare-controls" aria-label="What to compare">
        <ModelPicker keys={keys} chosen={chosen} />
        <label className="compare-cohort">
          Cohort{' '}
          <select
            data-testid="compare-cohort"
            value={cohort}
            onChange={(e) => setCohort(e.currentTarget.value as Cohort)}
          >
            {COHORTS.map((c) => (
              <option key={c} value={c}>
                {COHORT_LABELS[c]}
              </option>
            ))}
          </select>
        </label>
        {report && (
          <fieldset className="compare-actions compare-export">
            <legend className="visually-hidden">Export the comparison</legend>
            <button
              type="button"
              data-testid="export-compare-csv"
              onClick={() => exportComparison('csv')}
            >
              Export CSV
            </button>
            <button
              type="button"
              data-testid="export-compare-json"
              onClick={() => exportComparison('json')}
            >
              Export JSON
            </button>
          </fieldset>
        )}
      </section>
      {comparison.status === 'running' && (
        <div className="compare-progress" role="status">
          <progress
            max={progress ? progress.modelsTotal * Math.max(1, progress.usersTotal) : 1}
            value={progress ? progress.modelsDone * progress.usersTotal + progress.usersDone : 0}
            aria-label="Comparison progress"
          />
          <span className="small">
            {progress
              ? `Scoring ${progress.model}: ${progress.usersDone} of ${progress.usersTotal} users (model ${progress.modelsDone + 1} of ${progress.modelsTotal})`
              : 'Comparing…'}
          </span>
        </div>
      )}
      {comparison.status === 'error' && (
        <p className="error-text" role="alert">
          {comparison.error}
        </p>
      )}
      {report && result && pair && (
        <>
          <section className="card compare-section" aria-labelledby="compare-accuracy-title">
            <h2 id="compare-accuracy-title">Accuracy side by side</h2>
            <p className="muted small" data-testid="compare-cohort-note">
              {report.definition} {report.users} of {report.usersTotal} test users; 95 % percentile
              bootstrap intervals over users ({report.resamples} resamples, seed {report.seed}).
            </p>
            <div className="compare-grid">
              <ChartCard
                title="NDCG@10 with 95 % intervals"
                description="Each model's NDCG@10 on the held-out next item, with the interval users' resampling gives."
                exportName={`ndcg10-${chosen.join('-vs-')}-${cohort}`}
              >
                <IntervalChart
                  rows={intervalRows}
                  metricLabel="NDCG@10"
                  title="NDCG@10 per model"
                  description={intervalRows
                    .map(
                      (r) =>
                        `${r.label} ${r.value.toFixed(4)} (${r.lo.toFixed(4)} to ${r.hi.toFixed(4)})`,
                    )
                    .join('; ')}
                  testId="compare-intervals"
                />
              </ChartCard>
            </div>
            <ModelTable report={report} colourOf={colourOf} />
            <h3>Pairs</h3>
            <PairTable
              report={report}
              agreementOf={agreementOf}
              shownPair={pair}
              onShowPair={(a, b) => setPair([a, b])}
            />
          </section>
          <UserDiff comparison={result} pair={pair} colourOf={colourOf} />
          <AgreementPanel stale={stale} />
        </>
      )}
    </div>
  );
}
