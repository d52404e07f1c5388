/**
 * The Interests view (`#view=interests`): a user's layered interests (surface: now, middle: in
 * context, deep: long term) observed from the data next to what the layered model's heads
 * predict; how the mix evolves window by window with drift, change points and a forecast of
 * the next window; the same for everyone or a cohort; and the interest map (the model's item
 * embeddings in 2-D with the user's history and recommendations on it). Every parameter is
 * visible and editable.
 */
import { useMemo, useState } from 'react';
import { DEFAULT_INTEREST_OPTIONS, type InterestOptions } from '../../core/interests/types';
import {
  cancelInterests,
  checkHeads,
  interestModel,
  loadInterestMap,
  setInterestOptions,
  trainEvolution,
} from '../../state/interestsActions';
import type { InterestScope } from '../../state/interestsSlice';
import { type AppState, useAppStore, useShallow } from '../../state/store';
import { EvolutionChart } from '../charts/EvolutionChart';
import { InterestMap } from '../charts/InterestMap';
import { UserPicker } from '../UserPicker';
import { ChartCard } from '../why/ChartCard';
import { ObservedLayers, PredictedLayers } from './LayerLists';
import './interests.css';

function NumberOption({
  label,
  value,
  min,
  max,
  step = 1,
  onChange,
  testId,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  onChange: (v: number) => void;
  testId: string;
}) {
  return (
    <label className="interest-option">
      {label}
      <input
        type="number"
        data-testid={testId}
        value={value}
        min={min}
        max={max}
        step={step}
        onChange={(e) => {
          const v = Number(e.currentTarget.value);
          if (Number.isFinite(v) && v >= min && v <= max) onChange(v);
        }}
      />
    </label>
  );
}

/** Every layer parameter, editable; a change re-computes the layers at once. */
function OptionsEditor({ options }: { options: InterestOptions }) {
  const set = (patch: (o: InterestOptions) => InterestOptions) =>
    setInterestOptions(patch(options));
  return (
    <details className="interest-options" data-testid="interest-options">
      <summary>Parameters</summary>
      <div className="interest-options-grid">
        <label className="interest-option interest-check">
          <input
            type="checkbox"
            data-testid="option-collapse-repeats"
            checked={options.counting.collapseRepeats}
            onChange={(e) => {
              const collapseRepeats = e.currentTarget.checked;
              set((o) => ({ ...o, counting: { collapseRepeats } }));
            }}
          />
          Count an item's repeats within a session once
        </label>
        <label className="interest-option">
          Surface
          <select
            data-testid="option-surface-mode"
            value={options.surface.mode}
            onChange={(e) => {
              const mode = e.currentTarget.value as 'session' | 'last-n';
              set((o) => ({ ...o, surface: { ...o.surface, mode } }));
            }}
          >
            <option value="session">latest session</option>
            <option value="last-n">last N events</option>
          </select>
        </label>
        <NumberOption
          label="Session gap (min)"
          testId="option-session-gap"
          value={options.surface.sessionGapMinutes}
          min={1}
          max={525_600}
          onChange={(v) => set((o) => ({ ...o, surface: { ...o.surface, sessionGapMinutes: v } }))}
        />
        <NumberOption
          label="Last N"
          testId="option-last-n"
          value={options.surface.lastN}
          min={1}
          max={100_000}
          onChange={(v) => set((o) => ({ ...o, surface: { ...o.surface, lastN: v } }))}
        />
        <NumberOption
          label="Middle: min events"
          testId="option-middle-events"
          value={options.middle.minEvents}
          min={1}
          max={100_000}
          onChange={(v) => set((o) => ({ ...o, middle: { ...o.middle, minEvents: v } }))}
        />
        <NumberOption
          label="Middle: min JSD (bits)"
          testId="option-middle-divergence"
          value={options.middle.minDivergence}
          min={0}
          max={1}
          step={0.01}
          onChange={(v) => set((o) => ({ ...o, middle: { ...o.middle, minDivergence: v } }))}
        />
        <NumberOption
          label="Middle: min rise (z)"
          testId="option-middle-z"
          value={options.middle.minZ}
          min={0}
          max={100}
          step={0.5}
          onChange={(v) => set((o) => ({ ...o, middle: { ...o.middle, minZ: v } }))}
        />
        <NumberOption
          label="Deep half-life (days)"
          testId="option-half-life"
          value={options.deep.halfLifeDays}
          min={1}
          max={36_500}
          onChange={(v) => set((o) => ({ ...o, deep: { halfLifeDays: v } }))}
        />
        <label className="interest-option">
          Window
          <select
            data-testid="option-window"
            value={options.windows.unit}
            onChange={(e) => {
              const unit = e.currentTarget.value as InterestOptions['windows']['unit'];
              set((o) => ({ ...o, windows: { ...o.windows, unit } }));
            }}
          >
            <option value="auto">auto</option>
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
          </select>
        </label>
        <NumberOption
          label="Events per window (no times)"
          testId="option-events-per-window"
          value={options.windows.eventsPerWindow}
          min={1}
          max={100_000}
          onChange={(v) => set((o) => ({ ...o, windows: { ...o.windows, eventsPerWindow: v } }))}
        />
        <NumberOption
          label="Change point: z"
          testId="option-change-z"
          value={options.changePoints.z}
          min={0}
          max={100}
          step={0.1}
          onChange={(v) => set((o) => ({ ...o, changePoints: { ...o.changePoints, z: v } }))}
        />
        <NumberOption
          label="Change point: min JSD"
          testId="option-change-divergence"
          value={options.changePoints.minDivergence}
          min={0}
          max={1}
          step={0.01}
          onChange={(v) =>
            set((o) => ({ ...o, changePoints: { ...o.changePoints, minDivergence: v } }))
          }
        />
        <button type="button" onClick={() => setInterestOptions(DEFAULT_INTEREST_OPTIONS)}>
          Defaults
        </button>
      </div>
    </details>
  );
}

function selectView(s: AppState) {
  return {
    options: s.interestOptions,
    scope: s.interestScope,
    setScope: s.setInterestScope,
    modelKey: interestModel(s),
    setModelKey: s.setInterestModelKey,
    keys: Object.entries(s.cards)
      .filter(([, c]) => c.card !== null)
      .map(([k]) => k)
      .join(','),
    user: s.userInterests,
    population: s.population,
    training: s.evolutionTraining,
    map: s.interestMap,
    headFit: s.headFit,
    recs: s.recs,
    selectedUser: s.selectedUser,
    timeline: s.timeline,
  };
}

export function InterestsView() {
  const v = useAppStore(useShallow(selectView));
  const keys = v.keys ? v.keys.split(',') : [];
  const data = v.user.result;
  const evolution =
    v.scope === 'user' ? (data?.observed.evolution ?? null) : (v.population.result ?? null);
  const categories =
    v.scope === 'user'
      ? (data?.observed.categories ?? [])
      : (v.population.result?.categories ?? []);
  const summary = v.training.result;
  // The brushed windows, kept with the evolution they belong to (new windows drop them).
  const [selection, setSelection] = useState<{ of: object; range: [number, number] } | null>(null);
  const brushed = selection && selection.of === evolution ? selection.range : null;
  const setBrushed = (range: [number, number] | null) =>
    setSelection(range && evolution ? { of: evolution, range } : null);
  const brushedMix = useMemo(() => {
    if (!brushed || !evolution) return null;
    const [from, to] = brushed;
    const mass = new Array<number>(categories.length).fill(0);
    let events = 0;
    for (const w of evolution.windows.slice(from, to + 1)) {
      for (let c = 0; c < mass.length; c++) mass[c] += (w.distribution[c] ?? 0) * w.events;
      events += w.events;
    }
    const shares = mass
      .map((m, c) => ({ category: categories[c], share: events > 0 ? m / events : 0 }))
      .filter((x) => x.share > 0)
      .sort((a, b) => b.share - a.share);
    return { from, to, events, shares };
  }, [brushed, evolution, categories]);
  const forecast = v.scope === 'user' ? (data?.forecast.modelDistribution ?? null) : null;
  const highlights = useMemo(() => {
    const out: { itemId: string; role: 'history' | 'recent' | 'recommended' | 'explained' }[] = [];
    const items = v.timeline.userId === v.selectedUser ? v.timeline.items : [];
    for (const [i, item] of items.entries()) {
      out.push({ itemId: item.itemId, role: i >= items.length - 5 ? 'recent' : 'history' });
    }
    if (v.recs.userId === v.selectedUser) {
      for (const r of v.recs.items) out.push({ itemId: r.itemId, role: 'recommended' });
    }
    return out;
  }, [v.timeline, v.recs, v.selectedUser]);

  return (
    <div className="interests-view" data-testid="interests-view" data-scope={v.scope}>
      <section className="card interests-controls" aria-label="Whose interests">
        <UserPicker />
        <label>
          Model{' '}
          <select
            data-testid="interest-model-select"
            value={v.modelKey ?? ''}
            onChange={(e) => v.setModelKey(e.currentTarget.value || null)}
          >
            {keys.length === 0 && <option value="">no model</option>}
            {keys.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          Evolution of{' '}
          <select
            data-testid="interest-scope"
            value={v.scope}
            onChange={(e) => v.setScope(e.currentTarget.value as InterestScope)}
          >
            <option value="user">this user</option>
            <option value="all">everyone</option>
            <option value="heavy">heavy users (top 20 %)</option>
            <option value="light">light users (bottom 20 %)</option>
          </select>
        </label>
        <OptionsEditor options={v.options} />
      </section>

      {v.user.status === 'error' && (
        <p className="error-text" role="alert">
          {v.user.error}
        </p>
      )}
      {data && (
        <section className="card" aria-labelledby="observed-title">
          <h2 id="observed-title">
            Observed layers of {data.userId}
            {data.observed.derived && <span className="muted small"> (derived categories)</span>}
          </h2>
          {data.observed.notes.length > 0 && (
            <ul className="interest-notes" data-testid="interest-notes">
              {data.observed.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
          {data.observed.uncategorised > 0 && (
            <p className="muted small">
              {data.observed.uncategorised} events are of items without a category and count for no
              layer.
            </p>
          )}
          <ObservedLayers data={data} />
          <h2>Predicted by the layered model</h2>
          <PredictedLayers data={data} />
          {data.predicted && (
            <div className="head-fit">
              <button type="button" data-testid="check-heads" onClick={() => void checkHeads()}>
                How well do the heads fit each user's last window?
              </button>
              {v.headFit.status === 'running' && <span className="small"> checking…</span>}
              {v.headFit.error && <span className="error-text"> {v.headFit.error}</span>}
              {v.headFit.result && (
                <p className="small" data-testid="head-fit" data-users={v.headFit.result.users}>
                  Cross-entropy against each user's last window ({v.headFit.result.users} users,
                  bits, lower is better; in-sample: the model was trained on most of those events,
                  see docs/interests.md for the held-out check): surface head{' '}
                  {v.headFit.result.heads.surface.toFixed(2)}, middle head{' '}
                  {v.headFit.result.heads.middle.toFixed(2)}, deep head{' '}
                  {v.headFit.result.heads.deep.toFixed(2)}; the user's past mix{' '}
                  {v.headFit.result.pastMix.toFixed(2)}.
                </p>
              )}
            </div>
          )}
        </section>
      )}

      <section className="card" aria-labelledby="evolution-title">
        <h2 id="evolution-title">
          How the interests evolve
          {v.scope === 'user'
            ? data
              ? ` (${data.userId})`
              : ''
            : ` (${v.scope === 'all' ? 'everyone' : `${v.scope} users`})`}
        </h2>
        <div className="compare-actions">
          <button
            type="button"
            data-testid="train-evolution"
            disabled={v.training.status === 'running'}
            onClick={() => void trainEvolution()}
          >
            {summary ? 'Train the evolution model again' : 'Train the evolution model (forecast)'}
          </button>
          {v.training.status === 'running' && (
            <>
              <progress
                max={v.training.progress?.epochs ?? 1}
                value={v.training.progress?.epoch ?? 0}
                aria-label="Evolution model training"
              />
              <span className="small">
                {v.training.progress
                  ? `epoch ${v.training.progress.epoch} of ${v.training.progress.epochs}, loss ${v.training.progress.loss.toFixed(3)}`
                  : 'starting…'}
              </span>
              <button type="button" data-testid="cancel-evolution" onClick={cancelInterests}>
                Cancel
              </button>
            </>
          )}
          {v.training.error && <span className="muted small"> {v.training.error}</span>}
        </div>
        {summary && (
          <p className="small" data-testid="evolution-summary">
            Held-out last window of {summary.users} users (KL in nats, lower is better): GRU
            forecast {summary.model ? summary.model.kl.toFixed(3) : '–'}, "last window"{' '}
            {summary.lastWindow.kl.toFixed(3)}, "moving average of {summary.movingAverage.windows}"{' '}
            {summary.movingAverage.kl.toFixed(3)} ({summary.seconds.toFixed(1)} s to train).
          </p>
        )}
        {v.population.status === 'error' && v.scope !== 'user' && (
          <p className="error-text" role="alert">
            {v.population.error}
          </p>
        )}
        {evolution && (
          <ChartCard
            title="Category mix per window"
            description={`Each band is a category's share of the ${evolution.unit === 'count' ? 'block of events' : evolution.unit}'s events; dashed lines mark change points (a jump in Jensen-Shannon divergence)${forecast ? "; the dashed last column is the evolution model's forecast of the next window" : ''}.`}
            exportName={`interest-evolution-${v.scope === 'user' ? (data?.userId ?? 'user') : v.scope}`}
          >
            <EvolutionChart
              windows={evolution.windows}
              categories={[...categories]}
              unit={evolution.unit}
              changePoints={evolution.changePoints}
              drift={evolution.drift}
              forecast={forecast}
              forecastLabel="predicted"
              title="Interest evolution"
              description={`${evolution.windows.length} windows; change points at ${evolution.changePoints.join(', ') || 'none'}.`}
              forecastError={summary?.model?.kl ?? null}
              baselineError={summary?.lastWindow.kl ?? null}
              onBrush={setBrushed}
            />
            <p className="small" data-testid="evolution-selection">
              {brushedMix
                ? `Windows ${brushedMix.from + 1} to ${brushedMix.to + 1} (${brushedMix.events} events): ${
                    brushedMix.shares
                      .slice(0, 5)
                      .map((x) => `${x.category} ${Math.round(100 * x.share)} %`)
                      .join(', ') || 'no categorised events'
                  }.`
                : 'Drag across the time axis to see the mix of a stretch of windows.'}
            </p>
          </ChartCard>
        )}
      </section>

      <section className="card" aria-labelledby="map-title">
        <h2 id="map-title">Interest map{v.modelKey ? ` (${v.modelKey}'s item embeddings)` : ''}</h2>
        <div className="compare-actions">
          <button type="button" data-testid="map-pca" onClick={() => void loadInterestMap('pca')}>
            Draw with PCA
          </button>
          <button type="button" data-testid="map-umap" onClick={() => void loadInterestMap('umap')}>
            Draw with UMAP
          </button>
          {v.map.status === 'running' && (
            <>
              <span className="small">
                projecting…{v.map.progress !== null ? ` ${Math.round(100 * v.map.progress)} %` : ''}
              </span>
              <button type="button" onClick={cancelInterests}>
                Cancel
              </button>
            </>
          )}
        </div>
        {v.map.error && (
          <p className={v.map.status === 'error' ? 'error-text' : 'muted'} role="alert">
            {v.map.error}
          </p>
        )}
        {v.map.result && (
          <ChartCard
            title={`Items of ${v.map.result.modelKey} in 2-D (${v.map.result.method.toUpperCase()})`}
            description={`Each dot is an item, coloured by its first category; rings are the user's history (filled: the last five), diamonds the recommendations.${v.map.result.explained !== null ? ` The two axes explain ${Math.round(100 * v.map.result.explained)} % of the variance.` : ''}${v.map.result.note ? ` ${v.map.result.note}` : ''}`}
            exportName={`interest-map-${v.map.result.modelKey}`}
          >
            <InterestMap
              points={v.map.result.points}
              highlights={highlights}
              categories={[...categories]}
              title="Interest map"
              description={`${v.map.result.points.length} items of ${v.map.result.catalogue}.`}
            />
          </ChartCard>
        )}
      </section>
    </div>
  );
}
