import { shownModelKey } from '../state/selectionSlice';
import { useAppStore, useShallow } from '../state/store';
import { BackendBadge } from './BackendBadge';
import { formatCount } from './format';
import { NavBar } from './nav/NavBar';
import { WorkerNotice } from './WorkerNotice';

/**
 * The compact header every view shares: product name and compute backend, then the view tabs
 * with the loaded dataset and the selected model beside them, so what the page is looking at
 * is always in sight; below them, in every view, the notice that the background worker died.
 */
export function Header() {
  const { status, fileName, users, model, bundled } = useAppStore(
    useShallow((s) => {
      const key = shownModelKey(s);
      return {
        status: s.status,
        fileName: s.summary?.fileName ?? null,
        users: s.summary?.users ?? null,
        model: key,
        bundled: key !== null && s.cards[key]?.card?.source.kind === 'bundled',
      };
    }),
  );
  const dataText =
    fileName === null
      ? status === 'loading'
        ? 'loading…'
        : 'none yet'
      : `${fileName}${users === null ? '' : ` · ${formatCount(users)} users`}${status === 'loading' ? ' (loading another file…)' : ''}`;
  return (
    <header className="app-header">
      <div className="app-header-top">
        <div className="brand">
          <h1>Interest Lens</h1>
          <p className="tagline">Why did the recommender recommend this item to this user?</p>
        </div>
        <BackendBadge />
      </div>
      <div className="app-header-nav">
        <NavBar />
        <dl className="header-facts">
          <div data-testid="header-dataset" data-status={status}>
            <dt>Data</dt>
            <dd>{dataText}</dd>
          </div>
          <div data-testid="header-model" data-model={model ?? ''}>
            <dt>Model</dt>
            <dd>
              {model === null ? (
                'none yet'
              ) : (
                <>
                  <code>{model}</code>
                  {bundled && <span className="muted"> (shipped with the app)</span>}
                </>
              )}
            </dd>
          </div>
        </dl>
      </div>
      <WorkerNotice />
    </header>
  );
}
