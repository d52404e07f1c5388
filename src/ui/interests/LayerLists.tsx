/**
 * The three layers as lists of category shares: observed (surface, middle per context, deep with
 * stability) and predicted (the layered model's heads). Every list carries its figures as data
 * attributes (the test hooks in the README) and draws each share as a bar next to its number.
 */
import type { CategoryShare, PageUserInterests } from '../../worker/api';
import { formatMagnitude } from '../charts/palette';

const pct = (share: number) => `${(100 * share).toFixed(share < 0.1 ? 1 : 0)} %`;

function ShareRows({
  shares,
  max = 6,
  extra,
}: {
  shares: readonly (CategoryShare & { stability?: number })[];
  max?: number;
  extra?: (s: CategoryShare & { stability?: number }) => string | null;
}) {
  if (shares.length === 0) return <p className="muted small">No categorised events.</p>;
  const rest = shares.length - max;
  return (
    <ul className="layer-rows">
      {shares.slice(0, max).map((s) => (
        <li
          key={s.category}
          data-testid="layer-category"
          data-category={s.category}
          data-share={s.share}
          {...(s.stability !== undefined ? { 'data-stability': s.stability } : {})}
        >
          <span className="layer-name">{s.category}</span>
          <span className="layer-bar" aria-hidden>
            <span style={{ width: `${Math.min(100, 100 * s.share)}%` }} />
          </span>
          <span className="layer-value">
            {pct(s.share)}
            {extra?.(s) ? <span className="muted small"> {extra(s)}</span> : null}
          </span>
        </li>
      ))}
      {rest > 0 && <li className="muted small">and {rest} more</li>}
    </ul>
  );
}

const CONTEXT_LABELS: Record<string, string> = {
  weekday: 'on weekdays',
  weekend: 'at weekends',
  daytime: 'in the daytime (06-18 UTC)',
  evening: 'in the evening (18-06 UTC)',
};

export const contextLabel = (context: string) =>
  CONTEXT_LABELS[context] ?? (context.startsWith('action:') ? `when ${context.slice(7)}` : context);

/** The observed layers of one user. */
export function ObservedLayers({ data }: { data: PageUserInterests }) {
  const { observed, options } = data;
  const middleTop = [...observed.middle].sort((a, b) => b.divergence - a.divergence)[0];
  const surface = observed.surface;
  const when = (t: number | null) =>
    t === null ? null : new Date(t).toISOString().slice(0, 16).replace('T', ' ');
  return (
    <div className="layers" data-testid="interest-layers" data-user={data.userId}>
      <section className="layer" data-testid="layer-surface" data-top={surface.top ?? ''}>
        <h3>Surface: now</h3>
        <p className="muted small">
          {surface.mode === 'session'
            ? `The latest session (a gap of ${options.surface.sessionGapMinutes} min ends one)`
            : `The last ${options.surface.lastN} events`}
          : {surface.events} events
          {surface.from !== null ? `, ${when(surface.from)} to ${when(surface.to)} UTC` : ''}.
        </p>
        <ShareRows shares={surface.categories} />
      </section>
      <section className="layer" data-testid="layer-middle" data-top={middleTop?.top ?? ''}>
        <h3>Middle: in context</h3>
        {observed.middle.length === 0 ? (
          <p className="muted small">
            No context (weekday/weekend, time of day{observed.middle.length === 0 ? '' : ''}, action
            type) shifts the mix by {formatMagnitude(options.middle.minDivergence, 2)} bits or more
            with at least {options.middle.minEvents} events.
          </p>
        ) : (
          [...observed.middle]
            .sort((a, b) => b.divergence - a.divergence)
            .map((m) => (
              <div
                key={m.context}
                className="middle-context"
                data-testid="middle-context"
                data-context={m.context}
                data-top={m.top ?? ''}
                data-divergence={m.divergence}
                data-events={m.events}
              >
                <p className="small">
                  <strong>{contextLabel(m.context)}</strong>: more {m.top ?? '–'} (JSD{' '}
                  {m.divergence.toFixed(2)} bits from the overall mix, {m.events} events)
                </p>
                <ShareRows shares={m.categories} max={4} />
              </div>
            ))
        )}
      </section>
      <section className="layer" data-testid="layer-deep" data-top={observed.deep.top ?? ''}>
        <h3>Deep: long term</h3>
        <p className="muted small">
          Decay-weighted over {observed.deep.events} events (half-life {options.deep.halfLifeDays}{' '}
          days); stability = share of windows holding the category.
        </p>
        <ShareRows
          shares={observed.deep.categories}
          extra={(s) => (s.stability !== undefined ? `stable in ${pct(s.stability)}` : null)}
        />
      </section>
    </div>
  );
}

/** The layered model's heads for the same user. */
export function PredictedLayers({ data }: { data: PageUserInterests }) {
  const predicted = data.predicted;
  if (!predicted) {
    return (
      <p className="muted small" data-testid="predicted-note">
        {data.predictedNote}
      </p>
    );
  }
  const top = (shares: CategoryShare[]) => shares[0]?.category ?? '';
  return (
    <div className="layers" data-testid="predicted-layers">
      {(['surface', 'middle', 'deep'] as const).map((layer) => (
        <section
          key={layer}
          className="layer"
          data-testid={`layer-${layer}`}
          data-top={top(predicted[layer])}
        >
          <h3>{layer[0].toUpperCase() + layer.slice(1)} head</h3>
          <ShareRows shares={predicted[layer]} max={5} />
        </section>
      ))}
    </div>
  );
}
