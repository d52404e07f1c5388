import { IMPORTED_MODEL_IDS, type ImportedModelId } from '../core/models/types';
import { useAppStore, useShallow } from '../state/store';
import type { VariantInfo } from '../worker/api';
import { ModelCard } from './ModelCard';
import { protocolLabel } from './modelText';

const isImportedId = (id: string): id is ImportedModelId =>
  (IMPORTED_MODEL_IDS as readonly string[]).includes(id);

const IMPORTED_DESCRIPTIONS: Record<ImportedModelId, string> = {
  keras: 'A Keras model trained elsewhere, converted to the TF.js layers format and imported.',
  graph: 'A TF.js graph model (from a TensorFlow SavedModel), imported and scored as a black box.',
  als: 'Matrix factorisation trained by Spark ALS (or anything writing its factor tables), imported.',
};

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
            const card = state.card;
            const source = card?.source;
            const kind = !card
              ? null
              : isImportedId(card.id)
                ? 'imported'
                : source?.kind === 'int8'
                  ? 'int8'
                  : null;
            if (!card || !kind) return null;
            const variant: VariantInfo = {
              id: card.id,
              kind: 'neural',
              description:
                kind === 'imported'
                  ? IMPORTED_DESCRIPTIONS[card.id as ImportedModelId]
                  : `${card.id} with its weight matrices stored as per-row int8 codes and scales, derived from ${source?.kind === 'int8' ? source.from : card.id}.`,
              hyper: null,
              training: null,
            };
            return (
              <ModelCard
                key={key}
                modelKey={key}
                variant={variant}
                state={state}
                derived={kind === 'int8'}
                imported={kind === 'imported'}
                otherTraining={false}
              />
            );
          })}
        </div>
      )}
    </section>
  );
}
