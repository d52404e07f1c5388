import { belowSentence } from '../core/train/baselineVerdict';
import { cancelTraining, deriveInt8, trainVariant } from '../state/modelActions';
import type { ModelCardState } from '../state/modelsSlice';
import { exportModelFiles, saveModelToBrowser } from '../state/savedModelActions';
import { useAppStore } from '../state/store';
import type { ModelSource, VariantInfo } from '../worker/api';
import { TrainingCurve } from './charts/TrainingCurve';
import { ModelMetrics } from './ModelMetrics';
import { sourceText, trainingLine } from './modelText';
import { TrainSettingsInputs } from './TrainSettingsInputs';

interface ModelCardProps {
  /** The live model's key: the variant id, or `<id>-int8` for a derived variant. */
  modelKey: string;
  variant: VariantInfo;
  state: ModelCardState;
  /** Another card is training (the worker trains one model at a time). */
  otherTraining: boolean;
  /** A variant derived in the page (int8): no training or saving of its own. */
  derived: boolean;
  /** A model trained by another engine: no training here; save and export. */
  imported?: boolean;
}

const STATUS_TEXT = {
  untrained: 'not trained',
  training: 'training',
  trained: 'trained',
  error: 'failed',
} as const;

/** A model mapped onto this dataset from other data: it can be used, not quantised or saved. */
const isMapped = (source: ModelSource) =>
  source.kind !== 'trained' && source.kind !== 'int8' && source.match === 'mapped';

/** Save in the browser and download the model's files. */
function SaveExportButtons({ id, disabled }: { id: string; disabled: boolean }) {
  return (
    <>
      <button
        type="button"
        data-testid={`save-model-${id}`}
        disabled={disabled}
        onClick={() => void saveModelToBrowser(id)}
      >
        Save
      </button>
      <button
        type="button"
        data-testid={`export-model-${id}`}
        disabled={disabled}
        onClick={() => void exportModelFiles(id)}
      >
        Export
      </button>
    </>
  );
}

/** One model variant: settings, Train/Cancel, Save/Export, live curve and test metrics. */
export function ModelCard({
  modelKey,
  variant,
  state,
  otherTraining,
  derived,
  imported = false,
}: ModelCardProps) {
  const id = modelKey;
  const busy = useAppStore((s) => s.savedBusy);
  const derivingFrom = useAppStore((s) => s.derivingFrom);
  const datasetReady = useAppStore((s) => s.summary !== null);
  const { status, card, run } = state;
  const at10 = status === 'trained' ? card?.record.test?.atK.find((m) => m.k === 10) : undefined;
  const curves = run ? run.curves : state.curves;
  const training = status === 'training';

  return (
    <article
      className={`model-card status-${status}`}
      data-testid={`model-card-${id}`}
      data-status={status}
      data-hr10={at10 ? at10.hitRate : undefined}
      data-ndcg10={at10 ? at10.ndcg : undefined}
      aria-labelledby={`model-title-${id}`}
      aria-busy={training}
    >
      <header className="model-card-head">
        <h3 id={`model-title-${id}`}>
          <code>{id}</code>{' '}
          <span className="muted kind">
            {derived ? 'int8' : imported ? 'imported' : variant.kind}
          </span>
        </h3>
        <span className={`status-pill ${status}`}>{STATUS_TEXT[status]}</span>
      </header>
      <p className="muted description">{variant.description}</p>
      {status === 'trained' && card && (card.record.belowBaselines?.length ?? 0) > 0 && (
        <p
          className="warning-text below-baselines"
          role="note"
          data-testid={`below-baselines-${id}`}
          data-baselines={(card.record.belowBaselines ?? []).join(',')}
        >
          ⚠ {belowSentence(card.record)}
        </p>
      )}
      {imported && (
        <div className="actions">
          <SaveExportButtons id={id} disabled={!card || busy} />
        </div>
      )}
      {!derived && !imported && (
        <div className="model-controls">
          <TrainSettingsInputs
            id={id}
            neural={variant.kind === 'neural'}
            settings={state.settings}
            defaultLearningRate={variant.training?.learningRate ?? null}
            disabled={training}
          />
          <div className="actions">
            {training ? (
              <button
                type="button"
                data-testid={`cancel-train-${id}`}
                onClick={() => cancelTraining(id)}
              >
                Cancel
              </button>
            ) : (
              <button
                type="button"
                className="primary"
                data-testid={`train-${id}`}
                disabled={otherTraining || !datasetReady}
                title={otherTraining ? 'Another model is training; one at a time.' : undefined}
                onClick={() => void trainVariant(id)}
              >
                {card ? 'Train again' : 'Train'}
              </button>
            )}
            <SaveExportButtons id={id} disabled={!card || busy} />
            {variant.kind === 'neural' && (
              <button
                type="button"
                data-testid={`derive-int8-${id}`}
                disabled={!card || derivingFrom !== null || isMapped(card.source)}
                title="Post-training int8 quantisation of this model, evaluated on the same split."
                onClick={() => void deriveInt8(id)}
              >
                {derivingFrom === id ? 'Deriving int8…' : 'Derive int8 variant'}
              </button>
            )}
          </div>
        </div>
      )}
      {run && (
        <p className="training-line" role="status" data-testid={`train-progress-${id}`}>
          {trainingLine(run)}
        </p>
      )}
      {state.error && (
        <p className="error-text" role="alert" data-testid={`train-error-${id}`}>
          {state.error}
        </p>
      )}
      {variant.kind === 'neural' &&
        (curves.batchLoss.length > 0 || curves.epochLoss.length > 0 || training) && (
          <TrainingCurve
            curves={curves}
            epochs={run ? run.epochs : card?.record.epochs}
            title={`${id} training curve`}
            testId={`curve-${id}`}
          />
        )}
      {card && (
        <>
          {card.source.kind !== 'trained' && <p className="note">{sourceText(card.source)}</p>}
          {card.source.kind === 'imported' && card.source.engine && (
            <ul className="muted small engine-notes" data-testid={`engine-notes-${id}`}>
              {card.source.engine.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          )}
          {training && <p className="muted small">Current model, until the new one is trained:</p>}
          <ModelMetrics card={card} />
        </>
      )}
    </article>
  );
}
