import { useEffect, useId, useRef, useState } from 'react';
import { findItems } from '../../state/whyActions';
import type { ItemMatch } from '../../worker/api';

/** Wait this long after the last keystroke before asking the worker. */
const SEARCH_DEBOUNCE_MS = 150;

interface ItemSearchProps {
  /** The input's label, e.g. "Explain any item". */
  label: string;
  /** The button's text, e.g. "Explain" or "Add to history". */
  action: string;
  testId: string;
  disabled?: boolean;
  onPick: (match: ItemMatch) => void;
}

/**
 * Searches items by id or title as you type (most interacted first); picking a suggestion, or
 * Enter on a query that matches, hands the item to `onPick`.
 */
export function ItemSearch({ label, action, testId, disabled = false, onPick }: ItemSearchProps) {
  const [text, setText] = useState('');
  const [matches, setMatches] = useState<ItemMatch[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const listId = useId();
  const seq = useRef(0);

  useEffect(() => {
    const query = text.trim();
    const mine = ++seq.current;
    if (!query) {
      setMatches([]);
      setNote(null);
      return;
    }
    const timer = setTimeout(async () => {
      const found = await findItems(query, 12);
      if (mine !== seq.current) return;
      setMatches(found);
      setNote(found.length === 0 ? 'No item id or title contains that text.' : null);
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const pick = async () => {
    const query = text.trim();
    if (!query) return;
    // Ask again: the suggestions may be those of an earlier keystroke.
    const found = await findItems(query, 12);
    const chosen =
      found.find((m) => m.itemId === query) ??
      found.find((m) => (m.title ?? '').toLowerCase() === query.toLowerCase()) ??
      found[0];
    if (!chosen) {
      setNote('No item id or title contains that text.');
      return;
    }
    setText('');
    setMatches([]);
    setNote(null);
    onPick(chosen);
  };

  return (
    <form
      className="item-search"
      onSubmit={(event) => {
        event.preventDefault();
        void pick();
      }}
    >
      <label>
        {label}
        <input
          type="search"
          data-testid={testId}
          list={listId}
          value={text}
          placeholder="Item id or title"
          autoComplete="off"
          spellCheck={false}
          disabled={disabled}
          onChange={(event) => setText(event.currentTarget.value)}
        />
      </label>
      <datalist id={listId}>
        {matches.map((m) => (
          <option key={m.itemId} value={m.itemId}>
            {`${m.title ?? m.itemId} · ${m.interactions} interactions`}
          </option>
        ))}
      </datalist>
      <button type="submit" disabled={disabled || !text.trim()} data-testid={`${testId}-submit`}>
        {action}
      </button>
      {note && (
        <p className="muted small" role="status">
          {note}
        </p>
      )}
    </form>
  );
}
