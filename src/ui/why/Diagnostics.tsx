import type { ExplanationReport, ReportMethod } from '../../worker/api';

type Methods = ExplanationReport['methods'];

const percent = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)} %`;
const num = (x: number, digits = 3) => (Number.isFinite(x) ? x.toPrecision(digits) : '–');

/** What to know about one method's numbers, in words (empty when nothing needs saying). */
export function methodDiagnostics(m: ReportMethod): string[] {
  if (m.status === 'unavailable') return [`unavailable: ${m.reason}`];
  const lines: string[] = [];
  switch (m.method) {
    case 'ig':
      lines.push(
        `completeness gap ${percent(m.completenessGap)} of f(x) − f(baseline) after ${m.steps} steps (${m.baseline} baseline)${m.converged ? '' : ' — not converged at the most steps allowed'}`,
      );
      break;
    case 'lime':
      lines.push(
        `surrogate weighted R² ${num(m.r2)}; seed spread ${percent(m.seedSpread)} over ${m.seeds} seeds (rank agreement ≥ ${num(m.seedRankAgreement, 2)}); ${m.samplesPerSeed.join('/')} samples per seed`,
      );
      break;
    case 'shap':
      lines.push(
        m.estimator === 'exact'
          ? 'exact Shapley values (every coalition)'
          : `${m.estimator === 'kernel' ? `KernelSHAP on ${m.samples} coalitions` : `${m.permutations} permutations`}; largest standard error ${num(m.stderr)}`,
      );
      lines.push(`efficiency gap ${num(m.efficiencyGap)}`);
      break;
    case 'attention':
      lines.push(
        `${m.source}${m.blocks ? `, ${m.blocks} block${m.blocks === 1 ? '' : 's'}` : ''}${m.heads ? `, ${m.heads} head${m.heads === 1 ? '' : 's'}` : ''}: weights show where the model looked, not how much the score moved`,
      );
      break;
    case 'saliency':
      lines.push('gradient norms: sensitivity, without a sign');
      break;
    default:
      break;
  }
  if (m.note) lines.push(m.note);
  return lines;
}

/**
 * Diagnostics where they matter: IG's completeness gap and steps, LIME's R² and seed spread,
 * SHAP's estimator and standard error, attention's source; a method the model cannot offer
 * (and a model whose score ignores the history) said in words.
 */
export function Diagnostics({ report }: { report: ExplanationReport }) {
  const methods = Object.values(report.methods as Methods).filter(
    (m): m is ReportMethod => m !== undefined,
  );
  const unavailable = methods.filter((m) => m.status === 'unavailable');
  const ok = methods.filter((m) => m.status === 'ok');
  return (
    <section className="card diagnostics" data-testid="diagnostics" aria-labelledby="diag-title">
      <h3 id="diag-title">Diagnostics</h3>
      {report.historyIndependent && (
        <p className="note" data-testid="history-independent">
          {report.model}'s score does not depend on the user's history (it ranks every user's items
          the same way); the history only decides which items are excluded as already seen. Every
          attribution is therefore zero.
        </p>
      )}
      {report.unread > 0 && (
        <p className="muted small">
          The model reads the last {report.read} of {report.read + report.unread} interactions; the{' '}
          {report.unread} older ones cannot influence this score.
          {report.heldFixed > 0 &&
            ` ${report.heldFixed} read items before the explained ones are held fixed.`}
        </p>
      )}
      <dl className="diag-list">
        {ok.map((m) => {
          const lines = methodDiagnostics(m);
          return (
            <div key={m.method} data-method={m.method}>
              <dt>
                <code>{m.method}</code>{' '}
                <span className="muted small">
                  {m.unit} · {Math.round(m.ms)} ms · {m.evaluations} model rows
                </span>
              </dt>
              <dd>{lines.length > 0 ? lines.join('; ') : 'nothing to flag'}</dd>
            </div>
          );
        })}
        {unavailable.map((m) => (
          <div key={m.method} data-method={m.method} data-unavailable="true">
            <dt>
              <code>{m.method}</code> <span className="muted small">not available</span>
            </dt>
            <dd>{m.status === 'unavailable' ? m.reason : ''}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
