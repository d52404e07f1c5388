import { max } from 'd3';
import type { NamedCount } from '../core/data/types';
import { formatCount } from './format';

interface BarListProps {
  title: string;
  items: readonly NamedCount[];
  /** Shown instead of the list when it is empty, e.g. "no category column". */
  emptyText: string;
  /** Most rows shown; the rest are counted in a last line, not dropped silently. */
  limit?: number;
}

/** A small ranked list with proportional bars, rendered as text and CSS (no SVG needed). */
export function BarList({ title, items, emptyText, limit = 10 }: BarListProps) {
  const shown = items.slice(0, limit);
  const maxCount = Math.max(1, max(shown, (item) => item.count) ?? 0);
  return (
    <div className="bar-list">
      <h3>{title}</h3>
      {shown.length === 0 ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <ol>
          {shown.map((item) => (
            <li key={item.name} data-name={item.name} data-count={item.count}>
              <span className="bar-label" title={item.name}>
                {item.name}
              </span>
              <span className="bar-track" aria-hidden="true">
                <span className="bar-fill" style={{ width: `${(item.count / maxCount) * 100}%` }} />
              </span>
              <span className="bar-value">{formatCount(item.count)}</span>
            </li>
          ))}
        </ol>
      )}
      {items.length > shown.length && (
        <p className="muted">and {formatCount(items.length - shown.length)} more</p>
      )}
    </div>
  );
}
