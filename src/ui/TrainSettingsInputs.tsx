import type { TrainSettings } from '../state/modelsSlice';
import { useAppStore } from '../state/store';

/** Most epochs one run may ask for from the page. */
const MAX_EPOCHS = 200;

/** Reads a whole number from an input; null when it is not one (the store keeps the last good). */
function wholeNumber(text: string, min: number, max: number): number | null {
  const n = Number(text);
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/**
 * An optional setting's input: empty = null (the default), text that `parse` refuses leaves the
 * store at its last good value.
 */
function optional(text: string, parse: (text: string) => number | null): number | null | undefined {
  if (text.trim() === '') return null;
  return parse(text) ?? undefined;
}

const learningRate = (text: string) => {
  const n = Number(text);
  return n > 0 && n <= 1 ? n : null;
};
const timeLimit = (text: string) => wholeNumber(text, 1, 24 * 3600);

interface Props {
  id: string;
  neural: boolean;
  settings: TrainSettings;
  /** The model's tuned learning rate, shown while the input is empty; null for baselines. */
  defaultLearningRate: number | null;
  disabled: boolean;
}

/** The epochs, learning rate and time limit (neural models) and seed inputs of a model card. */
export function TrainSettingsInputs({
  id,
  neural,
  settings,
  defaultLearningRate,
  disabled,
}: Props) {
  const setTrainSettings = useAppStore((s) => s.setTrainSettings);
  return (
    <div className="train-settings">
      {neural && (
        <label>
          Epochs
          <input
            type="number"
            min={1}
            max={MAX_EPOCHS}
            step={1}
            data-testid={`epochs-${id}`}
            defaultValue={settings.epochs}
            disabled={disabled}
            onChange={(event) => {
              const epochs = wholeNumber(event.currentTarget.value, 1, MAX_EPOCHS);
              if (epochs !== null) setTrainSettings(id, { epochs });
            }}
          />
        </label>
      )}
      {neural && (
        <label title="Adam learning rate; leave empty for the model's tuned default">
          Learning rate
          <input
            type="number"
            min={0}
            max={1}
            step="any"
            data-testid={`lr-${id}`}
            placeholder={defaultLearningRate === null ? undefined : String(defaultLearningRate)}
            defaultValue={settings.learningRate ?? ''}
            disabled={disabled}
            onChange={(event) => {
              const value = optional(event.currentTarget.value, learningRate);
              if (value !== undefined) setTrainSettings(id, { learningRate: value });
            }}
          />
        </label>
      )}
      {neural && (
        <label title="Stop before an epoch that would end past this many seconds; the best epoch is kept. Empty = no limit.">
          Time limit (s)
          <input
            type="number"
            min={1}
            step={1}
            data-testid={`time-limit-${id}`}
            placeholder="none"
            defaultValue={settings.maxSeconds ?? ''}
            disabled={disabled}
            onChange={(event) => {
              const value = optional(event.currentTarget.value, timeLimit);
              if (value !== undefined) setTrainSettings(id, { maxSeconds: value });
            }}
          />
        </label>
      )}
      <label>
        Seed
        <input
          type="number"
          min={0}
          step={1}
          data-testid={`seed-${id}`}
          defaultValue={settings.seed}
          disabled={disabled}
          onChange={(event) => {
            const seed = wholeNumber(event.currentTarget.value, 0, 2 ** 31 - 1);
            if (seed !== null) setTrainSettings(id, { seed });
          }}
        />
      </label>
    </div>
  );
}
