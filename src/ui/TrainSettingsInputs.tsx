import type { TrainSettings } from '../state/modelsSlice';
import { useAppStore } from '../state/store';

/** Most epochs one run may ask for from the page. */
const MAX_EPOCHS = 200;

/** Reads a whole number from an input; null when it is not one (the store keeps the last good). */
function wholeNumber(text: string, min: number, max: number): number | null {
  const n = Number(text);
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
}

interface Props {
  id: string;
  neural: boolean;
  settings: TrainSettings;
  disabled: boolean;
}

/** The epochs (neural models) and seed inputs of a model card. */
export function TrainSettingsInputs({ id, neural, settings, disabled }: Props) {
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
