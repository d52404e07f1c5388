import { useEffect, useState } from 'react';
import type { ParseOptions } from '../core/data/types';

interface SampleControlsProps {
  draft: ParseOptions;
  disabled: boolean;
  onChange: (options: ParseOptions) => void;
}

/**
 * A number input that keeps what the user types (a half-typed "0." stays) and follows the
 * draft when it changes from elsewhere (reset, a new file).
 */
function useNumberText(value: number): [string, (text: string) => void] {
  const [text, setText] = useState(String(value));
  useEffect(() => {
    setText((current) => (Number(current) === value ? current : String(value)));
  }, [value]);
  return [text, setText];
}

/**
 * The user-hash sample in the mapping step: the share of users to keep (100 = everyone) and
 * the hash's seed. A file too large for the tab arrives here with the share that was loaded.
 * A value that is not a valid share is not applied, and the editor lists why.
 */
export function SampleControls({ draft, disabled, onChange }: SampleControlsProps) {
  const sample = draft.sample ?? null;
  const percent = sample ? Number((sample.fraction * 100).toPrecision(6)) : 100;
  const seed = sample?.seed ?? 0;
  const [percentText, setPercentText] = useNumberText(percent);
  const [seedText, setSeedText] = useNumberText(seed);
  const parse = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

  return (
    <div className="mapping-controls">
      <label>
        <span>Users kept (%)</span>
        <input
          type="number"
          data-testid="sample-percent"
          min={0.0001}
          max={100}
          step="any"
          value={percentText}
          disabled={disabled}
          onChange={(e) => {
            setPercentText(e.target.value);
            const value = parse(e.target.value);
            if (!Number.isFinite(value)) return;
            onChange({ ...draft, sample: value >= 100 ? null : { fraction: value / 100, seed } });
          }}
        />
      </label>
      <label>
        <span>Sample seed</span>
        <input
          type="number"
          data-testid="sample-seed"
          min={0}
          step={1}
          value={seedText}
          disabled={disabled || sample === null}
          onChange={(e) => {
            setSeedText(e.target.value);
            const value = parse(e.target.value);
            if (!Number.isFinite(value) || sample === null) return;
            onChange({ ...draft, sample: { fraction: sample.fraction, seed: value } });
          }}
        />
      </label>
      <p className="muted">
        Below 100%, every interaction of each kept user is loaded, and users are chosen by a hash of
        their id: the same share and seed always keep the same users.
      </p>
    </div>
  );
}
