import {
  DELIMITERS,
  type Delimiter,
  type EncodingName,
  type ParseOptions,
  type TimestampFormat,
} from '../core/data/types';
import { applyMapping } from '../state/actions';
import { useAppStore, useShallow } from '../state/store';
import { DELIMITER_LABELS, ENCODING_LABELS, TIMESTAMP_FORMAT_LABELS } from './format';
import { MappingColumns } from './MappingColumns';
import { mappingProblems } from './mappingRoles';
import { NoticeList } from './NoticeList';
import { SampleControls } from './SampleControls';

const TIMESTAMP_FORMATS = Object.keys(TIMESTAMP_FORMAT_LABELS) as TimestampFormat[];
const ENCODINGS = Object.keys(ENCODING_LABELS) as EncodingName[];

/**
 * The mapping step: what detection understood about the file, and controls to correct it.
 * Edits stay a draft until "Re-apply", which re-parses the file in the worker (no re-upload).
 * Columns are those read with the options last applied; a new delimiter or header choice
 * shows its columns after re-applying.
 */
export function MappingEditor() {
  const { detection, draft, applied, loading, setDraft, reset } = useAppStore(
    useShallow((s) => ({
      detection: s.detection,
      draft: s.draftOptions,
      applied: s.appliedOptions,
      loading: s.status === 'loading',
      setDraft: s.setDraftOptions,
      reset: s.resetDraftOptions,
    })),
  );
  if (!detection || !draft) return null;

  // Parquet columns are named and typed: there is no delimiter, header or encoding to choose.
  const parquet = detection.format === 'parquet';
  const layoutChanged =
    !parquet &&
    applied !== null &&
    (applied.delimiter !== draft.delimiter ||
      applied.hasHeader !== draft.hasHeader ||
      applied.encoding !== draft.encoding);
  // After a layout change the column count is unknown until re-applied.
  const problems = mappingProblems(draft, layoutChanged ? null : detection.columns.length);
  const update = (patch: Partial<ParseOptions>) => setDraft({ ...draft, ...patch });

  return (
    <section
      className="card mapping-editor"
      data-testid="mapping-editor"
      aria-labelledby="mapping-title"
    >
      <h2 id="mapping-title">How the file was read</h2>
      <dl className="understood">
        {parquet ? (
          <>
            <dt>Format</dt>
            <dd data-testid="file-format">Parquet (named, typed columns)</dd>
          </>
        ) : (
          <>
            <dt>Delimiter</dt>
            <dd>{DELIMITER_LABELS[detection.delimiter]}</dd>
            <dt>Header row</dt>
            <dd>{detection.hasHeader ? 'yes' : 'no (columns are numbered)'}</dd>
            <dt>Encoding</dt>
            <dd>
              {ENCODING_LABELS[detection.encoding]}
              {detection.bom ? ', with byte-order mark' : ''}
            </dd>
          </>
        )}
        <dt>Timestamps</dt>
        <dd>{TIMESTAMP_FORMAT_LABELS[detection.timestampFormat]}</dd>
      </dl>
      <NoticeList notices={detection.notices} />

      <div className="mapping-controls">
        {!parquet && (
          <>
            <label>
              <span>Delimiter</span>
              <select
                data-testid="delimiter-select"
                value={draft.delimiter}
                disabled={loading}
                onChange={(e) => update({ delimiter: e.target.value as Delimiter })}
              >
                {DELIMITERS.map((d) => (
                  <option key={d} value={d}>
                    {DELIMITER_LABELS[d]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>Encoding</span>
              <select
                data-testid="encoding-select"
                value={draft.encoding}
                disabled={loading}
                onChange={(e) => update({ encoding: e.target.value as EncodingName })}
              >
                {ENCODINGS.map((enc) => (
                  <option key={enc} value={enc}>
                    {ENCODING_LABELS[enc]}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <label>
          <span>Timestamp format</span>
          <select
            data-testid="timestamp-format-select"
            value={draft.timestampFormat}
            disabled={loading}
            onChange={(e) => update({ timestampFormat: e.target.value as TimestampFormat })}
          >
            {TIMESTAMP_FORMATS.map((f) => (
              <option key={f} value={f}>
                {TIMESTAMP_FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
        </label>
        {!parquet && (
          <label className="checkbox">
            <input
              type="checkbox"
              data-testid="header-toggle"
              checked={draft.hasHeader}
              disabled={loading}
              onChange={(e) => update({ hasHeader: e.target.checked })}
            />
            <span>First row is a header</span>
          </label>
        )}
      </div>

      <SampleControls draft={draft} disabled={loading} onChange={setDraft} />

      {layoutChanged && (
        <p className="note" role="status">
          The columns below were read with the previous delimiter, header or encoding. Re-apply to
          read the file again, then check the roles.
        </p>
      )}
      <MappingColumns
        columns={detection.columns}
        draft={draft}
        disabled={loading}
        onChange={setDraft}
      />

      {problems.length > 0 && (
        <ul className="problems" aria-live="polite">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button
          type="button"
          className="primary"
          data-testid="reapply"
          disabled={loading || problems.length > 0}
          onClick={() => void applyMapping(draft)}
        >
          Re-apply
        </button>
        <button type="button" disabled={loading} onClick={reset}>
          Reset edits
        </button>
      </div>
    </section>
  );
}
