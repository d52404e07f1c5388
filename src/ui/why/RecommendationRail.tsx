import { type KeyboardEvent, useRef } from 'react';
import type { RecommendedItem } from '../../worker/api';
import { rovingTarget } from '../rovingFocus';

interface RecommendationRailProps {
  /** The list shown (the user's own top-K, or the edited history's). */
  items: readonly RecommendedItem[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** The item explained now, highlighted. */
  explained: string | null;
  onExplain: (itemId: string) => void;
  /** Labels the list, e.g. "Top 10 for u0113". */
  label: string;
  /** Rank of each item in the list before the what-if edits (when they differ). */
  rankBefore?: ReadonlyMap<string, number>;
}

/**
 * The top-K recommendations as buttons: click or Enter explains one; Up/Down (and Home/End)
 * move through them, one tab stop for the whole list.
 */
export function RecommendationRail({
  items,
  status,
  explained,
  onExplain,
  label,
  rankBefore,
}: RecommendationRailProps) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const current = items.findIndex((item) => item.itemId === explained);
  const tabStop = current >= 0 ? current : 0;

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const next = rovingTarget(event.key, index, items.length, { axis: 'vertical', wrap: false });
    if (next === null) return;
    event.preventDefault();
    buttons.current[next]?.focus();
  };

  if (items.length === 0) {
    return (
      <p className="muted small">
        {status === 'loading' ? 'Ranking the catalogue…' : 'No recommendations yet.'}
      </p>
    );
  }
  return (
    <ol
      className="why-recs"
      data-testid="why-rec-list"
      data-status={status}
      aria-label={label}
      aria-busy={status === 'loading'}
    >
      {items.map((item, i) => {
        const before = rankBefore?.get(item.itemId);
        const moved = rankBefore !== undefined && before !== i + 1;
        return (
          <li key={item.itemId}>
            <button
              type="button"
              ref={(el) => {
                buttons.current[i] = el;
              }}
              data-testid="why-rec-item"
              data-item-id={item.itemId}
              data-rank={i + 1}
              data-score={item.score}
              aria-current={item.itemId === explained ? 'true' : undefined}
              tabIndex={i === tabStop ? 0 : -1}
              className={item.itemId === explained ? 'why-rec explained' : 'why-rec'}
              onClick={() => onExplain(item.itemId)}
              onKeyDown={(event) => onKeyDown(event, i)}
            >
              <span className="rank">{i + 1}</span>
              <span className="why-rec-text">
                <span className="why-rec-title">{item.title ?? item.itemId}</span>
                <span className="muted small">
                  {item.categories.join(', ') || 'no category'} · score {item.score.toFixed(3)}
                  {moved && (before === undefined ? ' · new' : ` · was ${before}`)}
                </span>
              </span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
