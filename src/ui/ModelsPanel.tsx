import { useAppStore, useShallow } from '../state/store';
import type { VariantInfo } from '../worker/api';
import { ModelCard } from './ModelCard';
import { protocolLabel } from './modelText';

/**
 * One card per model variant. Every variant is trained on the same temporal leave-last-out
 * split of the loaded dataset and evaluated by the same code, so the cards compare fairly.
 */
export function ModelsPanel() {
  const { variants, cards } = useAppStore(
    useShallow((s) => ({ variants: s.variants, cards: s.cards })),
  );
  const trainingKey = Object.entries(cards).find(([, c]) => c.status === 'training')?.[0] ?? null;
  return (
    <section
      className="card models-panel"
      aria-labelledby="models-title"
      data-testid="models-panel"
    >
      <h2 id="models-title">Models</h2>
      <p className="muted">
        Each variant trains in the background on the same split of the loaded dataset (per user:
        last interaction = test, second last = validation) and is scored by the same code:{' '}
        <strong>{protocolLabel('full-ranking')}</strong>.
      </p>
      {variants.length === 0 ? (
        <p className="muted">Listing the model variants…</p>
      ) : (
        <div className="model-grid">
          {variants.map((variant) => {
            const state = cards[variant.id];
            if (!state) return null;
            return (
              <ModelCard
                key={variant.id}
                modelKey={variant.id}
                variant={variant}
                state={state}
                derived={false}
                otherTraining={trainingKey !== null && trainingKey !== variant.id}
              />
            );
          })}
          {Object.entries(cards).map(([key, state]) => {
            const source = state.card?.source;
            if (!state.card || source?.kind !== 'int8') return null;
            const variant: VariantInfo = {
              id: state.card.id,
              kind: 'neural',
              description: `${state.card.id} with its weight matrices stored as per-row int8 codes and scales, derived from ${source.from}.`,
              hyper: null,
              training: null,
            };
            return (
              <ModelCard
                key={key}
                modelKey={key}
                variant={variant}
                state={state}
                derived
                otherTraining={false}
              />
            );
          })}
        </div>
      )}
    </section>
  );
}
