import { useEffect, useId, useRef, useState } from 'react';
import { findUsers } from '../state/modelActions';
import { useAppStore } from '../state/store';
import type { UserMatch } from '../worker/api';

/** Wait this long after the last keystroke before asking the worker (the dataset lives there). */
export const USER_SEARCH_DEBOUNCE_MS = 150;

/**
 * Searches user ids as you type (prefix, then substring; most active first) and selects one
 * when the text is exactly a matching id, e.g. picked from the suggestions, or on Enter.
 */
export function UserPicker() {
  const selectedUser = useAppStore((s) => s.selectedUser);
  const selectUser = useAppStore((s) => s.selectUser);
  const datasetKey = useAppStore((s) => s.summary);
  const [text, setText] = useState(selectedUser ?? '');
  const [matches, setMatches] = useState<UserMatch[]>([]);
  const [noMatch, setNoMatch] = useState(false);
  const focused = useRef(false);
  const listId = useId();
  const seq = useRef(0);

  // Follow selections made elsewhere (the default user, the URL) unless the user is typing.
  useEffect(() => {
    if (!focused.current) setText(selectedUser ?? '');
  }, [selectedUser]);

  // Debounced search; an exact id in the answer selects that user.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new dataset re-runs the search.
  useEffect(() => {
    const query = text;
    const mine = ++seq.current;
    const timer = setTimeout(async () => {
      const found = await findUsers(query, 20);
      if (mine !== seq.current) return;
      setMatches(found);
      setNoMatch(query.trim() !== '' && found.length === 0);
      const exact = found.find((m) => m.id === query.trim());
      if (exact && focused.current) selectUser(exact.id);
    }, USER_SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, selectUser, datasetKey]);

  const current = matches.find((m) => m.id === selectedUser);
  return (
    <div className="user-picker">
      <label>
        User
        <input
          type="search"
          data-testid="user-picker"
          list={listId}
          value={text}
          placeholder="Search user ids"
          autoComplete="off"
          spellCheck={false}
          onFocus={() => {
            focused.current = true;
          }}
          onBlur={() => {
            focused.current = false;
          }}
          onChange={(event) => setText(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key !== 'Enter') return;
            // Ask again: the suggestions may still be those of an earlier keystroke.
            const query = text.trim();
            void findUsers(query, 20).then((found) => {
              const pick = found.find((m) => m.id === query) ?? found[0];
              if (!pick) return;
              selectUser(pick.id);
              setText(pick.id);
            });
          }}
        />
      </label>
      <datalist id={listId}>
        {matches.map((m) => (
          <option key={m.id} value={m.id}>
            {`${m.interactions} interactions`}
          </option>
        ))}
      </datalist>
      <p className="muted small" aria-live="polite">
        {noMatch
          ? 'No user id contains that text.'
          : selectedUser
            ? `Selected: ${selectedUser}${current ? ` (${current.interactions} interactions)` : ''}`
            : 'No user selected.'}
      </p>
    </div>
  );
}
