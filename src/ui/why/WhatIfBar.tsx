import { useAppStore, useShallow } from '../../state/store';
import { type EditedEntry, encodeEdits, type WhatIfEdit } from '../../state/whatIf';
import { applyEdit, removeEditAt, resetEdits, undoEdit } from '../../state/whyActions';
import { ItemSearch } from './ItemSearch';

/** Most history rows listed for editing (the newest; older ones are on the timeline). */
const MAX_ROWS = 60;

interface WhatIfBarProps {
  /** The edited history, oldest first. */
  entries: readonly EditedEntry[];
  /** Title of an original position (for the edit list). */
  titleAt: (position: number) => string;
  /** The item explained, and its rank before and after the edits (null while unknown). */
  itemLabel: string | null;
  rankBefore: number | null;
  rankAfter: number | null;
  /** The explanation is computing the edited history. */
  updating: boolean;
  /** No explained item yet: edits wait for one. */
  disabled: boolean;
}

/** Stable React keys for an edit list (an edit's encoding, numbered where it repeats). */
function editKeys(edits: readonly WhatIfEdit[]): string[] {
  const seen = new Map<string, number>();
  return edits.map((edit) => {
    const code = encodeEdits([edit]);
    const n = (seen.get(code) ?? 0) + 1;
    seen.set(code, n);
    return `${code}#${n}`;
  });
}

function describeEdit(edit: WhatIfEdit, titleAt: (position: number) => string): string {
  switch (edit.kind) {
    case 'remove':
      return `Removed ${titleAt(edit.position)}`;
    case 'add':
      return `Added ${edit.title ?? edit.itemId}${edit.index === null ? ' (most recent)' : ` at ${edit.index + 1}`}`;
    case 'move': {
      const steps = Math.abs(edit.by);
      return `Moved ${titleAt(edit.position)} ${steps} step${steps === 1 ? '' : 's'} ${edit.by < 0 ? 'earlier' : 'later'}`;
    }
  }
}

/**
 * What-if editing of the history (the seed papers' feedback loop): remove, add or move items,
 * each edit listed with Undo and Reset; the explained item's rank before → after stays in view.
 */
export function WhatIfBar({
  entries,
  titleAt,
  itemLabel,
  rankBefore,
  rankAfter,
  updating,
  disabled,
}: WhatIfBarProps) {
  const { edits, readLimit } = useAppStore(
    useShallow((s) => ({ edits: s.edits, readLimit: s.timeline.readLimit })),
  );
  const keys = editKeys(edits);
  const firstRead = readLimit === null ? 0 : Math.max(0, entries.length - readLimit);
  const shownFrom = Math.max(0, entries.length - MAX_ROWS);
  const rows = entries.slice(shownFrom).map((entry, k) => ({ entry, index: shownFrom + k }));
  rows.reverse();

  const removeEntry = (entry: EditedEntry) => {
    if (entry.origin !== null) applyEdit({ kind: 'remove', position: entry.origin });
    else if (entry.addedBy !== null) removeEditAt(entry.addedBy);
  };

  return (
    <section className="card whatif" aria-labelledby="whatif-title" data-testid="whatif">
      <div className="whatif-head">
        <h2 id="whatif-title">What if…</h2>
        <p
          className="whatif-summary"
          data-testid="whatif-summary"
          data-rank-before={rankBefore ?? ''}
          data-rank-after={rankAfter ?? ''}
          data-edits={edits.length}
          aria-live="polite"
        >
          {itemLabel === null ? (
            'Explain an item first, then edit the history to see how its rank moves.'
          ) : edits.length === 0 ? (
            <>
              Remove, add or move history items to see how {itemLabel}’s rank moves
              {rankBefore !== null && <> (now rank {rankBefore})</>}.
            </>
          ) : (
            <>
              {itemLabel}: rank <strong>{rankBefore ?? '…'}</strong> →{' '}
              <strong>{updating || rankAfter === null ? '…' : rankAfter}</strong> with{' '}
              {edits.length} edit{edits.length === 1 ? '' : 's'}
              {updating && <span className="muted"> (updating)</span>}
            </>
          )}
        </p>
      </div>
      {edits.length > 0 && (
        <div className="whatif-edits">
          <ol aria-label="Edits, oldest first">
            {edits.map((edit, i) => (
              <li key={keys[i]} data-testid="whatif-edit" data-kind={edit.kind}>
                <span>{describeEdit(edit, titleAt)}</span>
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Drop this edit: ${describeEdit(edit, titleAt)}`}
                  onClick={() => removeEditAt(i)}
                >
                  ×
                </button>
              </li>
            ))}
          </ol>
        </div>
      )}
      <div className="whatif-controls">
        <ItemSearch
          label="Add an item to the history (as the most recent)"
          action="Add"
          testId="whatif-add"
          disabled={disabled}
          onPick={(match) =>
            applyEdit({ kind: 'add', itemId: match.itemId, index: null, title: match.title })
          }
        />
        <div className="whatif-actions">
          <button
            type="button"
            data-testid="whatif-undo"
            disabled={edits.length === 0}
            onClick={undoEdit}
          >
            Undo
          </button>
          <button
            type="button"
            data-testid="whatif-reset"
            disabled={edits.length === 0}
            onClick={resetEdits}
          >
            Reset
          </button>
        </div>
      </div>
      <details className="whatif-history">
        <summary>
          Edit the history item by item ({entries.length} interactions
          {readLimit !== null
            ? `, the model reads the last ${Math.min(readLimit, entries.length)}`
            : ''}
          )
        </summary>
        <ol className="whatif-rows">
          {rows.map(({ entry, index }) => {
            const name = entry.title ?? entry.itemId;
            const canMove = entry.origin !== null;
            return (
              <li
                key={entry.origin !== null ? `o${entry.origin}` : `a${entry.addedBy}`}
                className={index < firstRead ? 'unread' : undefined}
              >
                <span className="whatif-row-name" title={entry.itemId}>
                  {name}
                  {entry.origin === null && <span className="muted small"> (added)</span>}
                  {index < firstRead && <span className="muted small"> (not read)</span>}
                </span>
                <span className="whatif-row-actions">
                  <button
                    type="button"
                    data-testid="whatif-move-earlier"
                    data-position={entry.origin ?? ''}
                    disabled={disabled || !canMove || index === 0}
                    aria-label={`Move ${name} earlier`}
                    onClick={() =>
                      entry.origin !== null &&
                      applyEdit({ kind: 'move', position: entry.origin, by: -1 })
                    }
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    data-testid="whatif-move-later"
                    data-position={entry.origin ?? ''}
                    disabled={disabled || !canMove || index === entries.length - 1}
                    aria-label={`Move ${name} later`}
                    onClick={() =>
                      entry.origin !== null &&
                      applyEdit({ kind: 'move', position: entry.origin, by: 1 })
                    }
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    data-testid="whatif-remove"
                    data-position={entry.origin ?? ''}
                    data-item-id={entry.itemId}
                    disabled={disabled}
                    aria-label={`Remove ${name} from the history`}
                    onClick={() => removeEntry(entry)}
                  >
                    Remove
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
        {shownFrom > 0 && (
          <p className="muted small">
            {shownFrom} older interactions are not listed; remove them on the timeline.
          </p>
        )}
      </details>
    </section>
  );
}
