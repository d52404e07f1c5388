import { type ChangeEvent, useId } from 'react';

/** File types people export behaviour logs as; anything else can still be chosen via "All files". */
export const TABLE_FILE_ACCEPT = '.csv,.tsv,.txt,.dat,.psv,text/csv,text/tab-separated-values';

/**
 * Interaction files may also be Parquet (told by content, not by name: this only fills the
 * file dialog's filter).
 */
export const INTERACTION_FILE_ACCEPT = `${TABLE_FILE_ACCEPT},.parquet,.parq,.pq,application/vnd.apache.parquet`;

interface FileButtonProps {
  label: string;
  testId: string;
  disabled?: boolean;
  primary?: boolean;
  /** Extra accessible description, e.g. what the file should contain. */
  hint?: string;
  /** The file dialog's filter; default {@link TABLE_FILE_ACCEPT}. */
  accept?: string;
  onFile: (file: File) => void;
}

/**
 * A button-styled label around a visually hidden (but focusable) file input: the input keeps
 * the keyboard and screen-reader behaviour, the label gives it a proper look.
 */
export function FileButton({
  label,
  testId,
  disabled,
  primary,
  hint,
  accept = TABLE_FILE_ACCEPT,
  onFile,
}: FileButtonProps) {
  const hintId = useId();
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Reset so choosing the same file again (after fixing it on disk) fires a change.
    event.target.value = '';
    if (file) onFile(file);
  };
  return (
    <label className={`file-button${primary ? ' primary' : ''}${disabled ? ' disabled' : ''}`}>
      <input
        type="file"
        className="visually-hidden"
        data-testid={testId}
        accept={accept}
        disabled={disabled}
        aria-describedby={hint ? hintId : undefined}
        onChange={onChange}
      />
      <span>{label}</span>
      {hint && (
        <span id={hintId} className="visually-hidden">
          {hint}
        </span>
      )}
    </label>
  );
}
