/**
 * "Do they explain alike?": each compared model explains the same (history, held-out item)
 * pairs; per pair of models and method, the mean rank correlation of their attributions, and
 * per model and method, how faithful the attribution order is (deletion AUC against a random
 * order). Runs on request (it costs explanations), with progress and cancel; the selected user
 * can be explained alone, side by side.
 */
import { useMemo, useState } from 'react';
import type { AttributionMethod } from '../../core/explain/types';
import {
  AGREEMENT_USERS,
  cancelComparison,
  runAgreement,
  runUserAgreement,
} from '../../state/compareActions';
import type { CompareResultState } from '../../state/compareSlice';
import { useAppStore, useShallow } from '../../state/store';
import type { CompareAgreement } from '../../worker/api';
import { formatSigned } from '../charts/palette';
import { metric } from './compareText';

type AgreementState = CompareResultState<CompareAgreement, { done: number; total: number }>;

function Progress({ state, label }: { state: AgreementState; label: string }) {
  if (state.status !== 'running') return null;
  const p = state.progress;
  return (
    <div className="compare-progress" role="status">
      <progress max={p?.total ?? 1} value={p?.done ?? 0} aria-label={label} />
      <span className="small">{p ? `${p.done} of ${p.total} explanations` : 'starting…'}</span>
      <button type="button" data-testid="cancel-agreement" onClick={cancelComparison}>
        Cancel
      </button>
    </div>
  );
}

export function AgreementPanel({ stale }: { stale: (request: string | null) => boolean }) {
  const { agreement, userAgreement, selectedUser } = useAppStore(
    useShallow((s) => ({
      agreement: s.agreement,
      userAgreement: s.userAgreement,
      selectedUser: s.selectedUser,
    })),
  );
  const result = agreement.result;
  const outdated = result !== null && stale(agreement.request);
  return (
    <section className="card compare-section" aria-labelledby="compare-agreement-title">
      <h2 id="compare-agreement-title">Do they explain alike?</h2>
      <p className="muted small">
        Each model explains the same {AGREEMENT_USERS} users' held-out next item (a seeded sample of
        the cohort) with occlusion, integrated gradients, attention and exact contributions where it
        has them. ρ is the Spearman correlation of two models' attributions over the history items
        both read; deletion AUC is scaled so 1 = the full history's score and 0 = the empty
        history's (lower = the order finds what matters sooner).
      </p>
      <div className="compare-actions">
        <button
          type="button"
          data-testid="run-agreement"
          onClick={() => void runAgreement()}
          disabled={agreement.status === 'running'}
        >
          {result ? 'Explain again' : `Explain ${AGREEMENT_USERS} users with each model`}
        </button>
      </div>
      <Progress state={agreement} label="Explanation agreement progress" />
      {agreement.error && (
        <p className={agreement.status === 'error' ? 'error-text' : 'muted'} role="alert">
          {agreement.error}
        </p>
      )}
      {result && (
        <div data-testid="agreement-result" data-users={result.users} data-stale={outdated}>
          {outdated && (
            <p className="muted small">
              These figures are for other models or another cohort: explain again.
            </p>
          )}
          <AgreementTables result={result} />
        </div>
      )}
      <div className="compare-actions">
        <button
          type="button"
          data-testid="run-user-agreement"
          disabled={!selectedUser || userAgreement.status === 'running'}
          onClick={() => selectedUser && void runUserAgreement(selectedUser)}
        >
          {selectedUser
            ? `Explain ${selectedUser}'s next item with each model`
            : 'Select a user first'}
        </button>
      </div>
      <Progress state={userAgreement} label="Side-by-side explanation progress" />
      {userAgreement.error && (
        <p className={userAgreement.status === 'error' ? 'error-text' : 'muted'} role="alert">
          {userAgreement.error}
        </p>
      )}
      {userAgreement.result?.samples[0] && <SideBySide result={userAgreement.result} />}
    </section>
  );
}

function AgreementTables({ result }: { result: CompareAgreement }) {
  const pairs = result.pairs.filter((p) => p.users > 0);
  const silent = result.pairs.filter((p) => p.users === 0 && p.method === 'occlusion');
  const faithful = result.faithfulness.filter((f) => f.users > 0);
  return (
    <div className="compare-grid">
      <table className="compare-table" data-testid="agreement-pairs">
        <caption>Agreement of attributions (mean ρ over users)</caption>
        <thead>
          <tr>
            <th scope="col">Pair</th>
            <th scope="col">Method</th>
            <th scope="col">ρ</th>
            <th scope="col">Users</th>
          </tr>
        </thead>
        <tbody>
          {pairs.map((p) => (
            <tr
              key={`${p.a}|${p.b}|${p.method}`}
              data-testid="agreement-pair"
              data-a={p.a}
              data-b={p.b}
              data-method={p.method}
              data-rho={p.rho ?? ''}
            >
              <th scope="row">
                {p.a} − {p.b}
              </th>
              <td>{p.method}</td>
              <td>{metric(p.rho)}</td>
              <td>{p.users}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {silent.length > 0 && (
        <p className="muted small">
          No agreement for {silent.map((p) => `${p.a} − ${p.b}`).join(', ')}: one side's
          attributions are constant (pop's score does not depend on the history).
        </p>
      )}
      <table className="compare-table" data-testid="agreement-faithfulness">
        <caption>Faithfulness: deletion AUC (lower is better)</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Method</th>
            <th scope="col">Deletion AUC</th>
            <th scope="col">Random order</th>
            <th scope="col">Users</th>
          </tr>
        </thead>
        <tbody>
          {faithful.map((f) => (
            <tr
              key={`${f.model}|${f.method}`}
              data-testid="agreement-faithful"
              data-model={f.model}
            >
              <th scope="row">{f.model}</th>
              <td>{f.method}</td>
              <td>{metric(f.deletionAuc)}</td>
              <td>{metric(f.randomDeletionAuc)}</td>
              <td>{f.users}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One user's attributions per model for one method, row by history position. */
function SideBySide({ result }: { result: CompareAgreement }) {
  const sample = result.samples[0];
  const keys = Object.keys(sample.models);
  const offered = result.methods.filter((m) =>
    keys.some((k) => (sample.models[k].methods[m]?.length ?? 0) > 0),
  );
  const [chosen, setChosen] = useState<AttributionMethod>('occlusion');
  const method = offered.includes(chosen) ? chosen : (offered[0] ?? 'occlusion');
  const rows = useMemo(() => {
    const byPosition = new Map<
      number,
      { itemId: string; title: string | null; values: Record<string, number> }
    >();
    for (const key of keys) {
      for (const a of sample.models[key].methods[method] ?? []) {
        const row = byPosition.get(a.position) ?? { itemId: a.itemId, title: a.title, values: {} };
        row.values[key] = a.value;
        byPosition.set(a.position, row);
      }
    }
    return [...byPosition.entries()].sort((x, y) => y[0] - x[0]);
  }, [sample, keys, method]);
  return (
    <div data-testid="user-attributions" data-user={sample.userId} data-item={sample.itemId}>
      <p className="small">
        Why each model scores {sample.userId}'s next item <strong>{sample.itemId}</strong> as it
        does: {keys.map((k) => `${k} ranks it ${sample.models[k].rank}`).join(', ')}.
      </p>
      <label className="small">
        Method{' '}
        <select
          value={method}
          onChange={(e) => setChosen(e.currentTarget.value as AttributionMethod)}
        >
          {offered.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </label>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls sideways must be reachable by keyboard (axe scrollable-region-focusable). */}
      <section className="table-scroll" aria-label="Attributions side by side" tabIndex={0}>
        <table className="compare-table">
          <caption className="visually-hidden">
            {method} attribution of each history item (most recent first), per model
          </caption>
          <thead>
            <tr>
              <th scope="col">History item (newest first)</th>
              {keys.map((k) => (
                <th scope="col" key={k}>
                  {k}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(([position, row]) => (
              <tr key={position}>
                <th scope="row">{row.title ?? row.itemId}</th>
                {keys.map((k) => (
                  <td key={k}>{k in row.values ? formatSigned(row.values[k]) : 'not read'}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
