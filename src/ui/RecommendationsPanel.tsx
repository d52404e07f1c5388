import { refreshRecommendations } from '../state/modelActions';
import { shownModelKey } from '../state/selectionSlice';
import { useAppStore, useShallow } from '../state/store';
import { UserPicker } from './UserPicker';

/**
 * The top 10 for the selected user from the chosen model (the latest trained by default):
 * items the user has not interacted with, from the whole catalogue, best first.
 */
export function RecommendationsPanel() {
  const { shown, trained, recs, selectRecModel } = useAppStore(
    useShallow((s) => ({
      shown: shownModelKey(s),
      trained: Object.entries(s.cards)
        .filter(([, c]) => c.card !== null)
        .map(([key]) => key)
        .join(','),
      recs: s.recs,
      selectRecModel: s.selectRecModel,
    })),
  );
  const keys = trained ? trained.split(',') : [];
  return (
    <section className="card recs-panel" aria-labelledby="recs-title">
      <h2 id="recs-title">Recommendations</h2>
      <UserPicker />
      <label className="model-select">
        Model
        <select
          data-testid="rec-model-select"
          value={shown ?? ''}
          disabled={keys.length === 0}
          onChange={(event) => selectRecModel(event.currentTarget.value || null)}
        >
          {keys.length === 0 && <option value="">no trained model yet</option>}
          {keys.map((key) => (
            <option key={key} value={key}>
              {key}
            </option>
          ))}
        </select>
      </label>
      {recs.status === 'error' && (
        <p className="error-text" role="alert">
          {recs.error}{' '}
          <button type="button" onClick={() => void refreshRecommendations()}>
            Retry
          </button>
        </p>
      )}
      {!shown && <p className="muted">Train a model (or load a saved one) to see its top 10.</p>}
      {shown && (
        <ol
          className="rec-list"
          data-testid="rec-list"
          data-status={recs.status}
          data-model={recs.modelKey ?? ''}
          data-user={recs.userId ?? ''}
          aria-busy={recs.status === 'loading'}
        >
          {recs.items.map((item, i) => (
            <li
              key={item.itemId}
              data-testid="rec-item"
              data-item-id={item.itemId}
              data-score={item.score}
            >
              <span className="rank">{i + 1}</span>
              <span className="rec-title">
                {item.title ?? item.itemId}
                {item.title !== null && <code className="muted"> {item.itemId}</code>}
              </span>
              <span className="rec-categories muted">{item.categories.join(', ')}</span>
              <span className="rec-score" title="model score">
                {item.score.toFixed(3)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
