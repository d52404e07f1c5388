import { type KeyboardEvent, useId, useMemo, useRef, useState } from 'react';
import type { TimelineItem } from '../../worker/api';
import { rovingTarget } from '../rovingFocus';
import '../why/why.css';
import { TIMELINE_WIDTH, type TimelineMark, timelineLayout } from './timelineLayout';

interface UserTimelineProps {
  /** The user's whole history (any order; drawn by position). */
  items: TimelineItem[];
  /** Positions removed by the what-if: drawn crossed out. */
  removed: ReadonlySet<number>;
  /** A position to ring (e.g. the item picked in the attribution bars). */
  selected?: number | null;
  /** Click, Enter or Space on a mark: remove it from (or restore it to) the what-if history. */
  onToggle?: (position: number) => void;
  /** viewBox width; give the attribution strip the same width to line it up. */
  width?: number;
  /**
   * Categories to point out (the explained item's): marks of items in any of them get a tick
   * above them and `data-highlighted="true"`.
   */
  highlight?: ReadonlySet<string>;
}

/** The mark's name for screen readers, with its what-if state. */
function markLabel(mark: TimelineMark, removed: boolean, toggles: boolean): string {
  const state = removed ? ', removed in the what-if' : '';
  const action = toggles ? (removed ? ' (press to restore)' : ' (press to remove)') : '';
  return `${mark.label}${state}${action}`;
}

/**
 * A user's history on a timeline: one mark per interaction coloured by its first category,
 * unread ones grey and hollow, removed ones crossed out, the read part bracketed. The marks
 * are buttons (one tab stop; arrow keys move, Enter or Space toggles), so the `<svg>` is a
 * labelled group: its drawing is a `role="img"` part labelled with the chart's content, the
 * marks a labelled group of buttons (a control inside `role="img"` would be hidden from
 * assistive technology, and axe flags it).
 */
export function UserTimeline({
  items,
  removed,
  selected = null,
  onToggle,
  width = TIMELINE_WIDTH,
  highlight,
}: UserTimelineProps) {
  const titleId = useId();
  const showRemovedKey = onToggle !== undefined || removed.size > 0;
  const layout = useMemo(
    () => timelineLayout(items, { width, showRemovedKey }),
    [items, width, showRemovedKey],
  );
  const { marks, columns } = layout;
  const categoriesAt = useMemo(
    () => new Map(items.map((item) => [item.position, item.categories])),
    [items],
  );
  const [active, setActive] = useState(-1);
  const [hovered, setHovered] = useState<number | null>(null);
  const [focused, setFocused] = useState<number | null>(null);
  const markRefs = useRef<(SVGGElement | null)[]>([]);
  // The one mark in the tab order: the last focused one, else the newest (what a user edits first).
  const tabIndex = active >= 0 && active < marks.length ? active : marks.length - 1;

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(marks.length - 1, index));
    setActive(next);
    markRefs.current[next]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<SVGGElement>, index: number) => {
    const mark = marks[index];
    const next = rovingTarget(event.key, index, marks.length, {
      axis: 'horizontal',
      wrap: false,
    });
    if (next !== null) {
      event.preventDefault();
      moveTo(next);
    } else if ((event.key === 'Enter' || event.key === ' ') && onToggle) {
      event.preventDefault();
      onToggle(mark.position);
    }
  };

  const shown = marks.find((m) => m.position === (hovered ?? focused ?? selected)) ?? null;
  const halfLane = 14;

  return (
    <figure className="chart why-timeline">
      {/* biome-ignore lint/a11y/useSemanticElements: an <svg> cannot be a <fieldset>; it holds the marks' buttons, so it is a group, not an img. */}
      <svg
        data-testid="user-timeline"
        role="group"
        aria-labelledby={titleId}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        className="chart-svg timeline-svg"
      >
        <title id={titleId}>User history timeline</title>
        {/* biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: an SVG <g> is not interactive; this one is the chart's drawing (no controls inside). */}
        <g role="img" aria-label={layout.description}>
          {layout.timed && (
            <g className="time-lane">
              {layout.readSpan && (
                <rect
                  className="read-span"
                  x={layout.readSpan.x1}
                  y={layout.timeAxisY - 7}
                  width={layout.readSpan.x2 - layout.readSpan.x1}
                  height={14}
                  fill="#e3e8f6"
                />
              )}
              <line
                className="axis"
                x1={columns.left}
                x2={columns.right}
                y1={layout.timeAxisY}
                y2={layout.timeAxisY}
                stroke="#8a93a3"
              />
              {layout.timeTicks.map((tick) => (
                <text
                  key={`t${tick.position}`}
                  x={tick.position}
                  y={layout.timeAxisY - 9}
                  textAnchor={tick.anchor}
                >
                  {tick.label}
                </text>
              ))}
              {marks.map((m) =>
                m.timeX === null ? null : (
                  <g key={`c${m.position}`}>
                    <line
                      x1={m.timeX}
                      x2={m.timeX}
                      y1={layout.timeAxisY - 5}
                      y2={layout.timeAxisY + 5}
                      stroke={m.colour}
                      strokeWidth={1.5}
                    />
                    <line
                      className="connector"
                      x1={m.timeX}
                      y1={layout.timeAxisY + 6}
                      x2={m.x}
                      y2={m.y - halfLane}
                      stroke={m.read ? '#b9c3d6' : '#dfe3e9'}
                      strokeWidth={0.75}
                    />
                  </g>
                ),
              )}
            </g>
          )}
          {layout.positionTicks.map((tick) => (
            <text
              key={`p${tick.label}`}
              x={tick.position}
              y={layout.laneY - halfLane - 6}
              textAnchor="middle"
            >
              {tick.label}
            </text>
          ))}
          {[layout.readBracket, layout.unreadBracket].map(
            (b, k) =>
              b && (
                <path
                  key={k === 0 ? 'read' : 'unread'}
                  className={k === 0 ? 'read-bracket' : 'unread-bracket'}
                  d={`M${b.x1},${b.y - 5}V${b.y}H${b.x2}V${b.y - 5}`}
                  fill="none"
                  stroke={k === 0 ? '#2f5fd0' : '#b4bac4'}
                  strokeWidth={1.5}
                />
              ),
          )}
          {layout.readBracket && (
            <text
              className="read-label ink"
              x={(layout.readBracket.x1 + layout.readBracket.x2) / 2}
              y={layout.labelY}
              textAnchor="middle"
            >
              {layout.readLabel}
            </text>
          )}
          {layout.unreadBracket && (
            <text
              x={(layout.unreadBracket.x1 + layout.unreadBracket.x2) / 2}
              y={layout.labelY}
              textAnchor="middle"
            >
              {layout.unreadLabel}
            </text>
          )}
          {!layout.readBracket && !layout.empty && (
            <text x={columns.readLeft} y={layout.labelY} className="ink">
              {layout.readLabel}
            </text>
          )}
          {layout.empty && (
            <text x={width / 2} y={layout.laneY} textAnchor="middle">
              no history
            </text>
          )}
          {layout.legend.map((entry) => (
            <g key={`${entry.kind}:${entry.label}`} transform={`translate(${entry.x},${entry.y})`}>
              <LegendSwatch kind={entry.kind} colour={entry.colour} />
              <text x={12} className="ink">
                {entry.label}
              </text>
            </g>
          ))}
        </g>
        {/* biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole lint/a11y/useSemanticElements: an SVG <g> is not interactive and cannot be a <fieldset>; it groups the marks' buttons. */}
        <g
          role="group"
          aria-label={`${marks.length} interactions, oldest first${onToggle ? ': Enter removes one from the what-if history or restores it' : ''}; arrow keys move`}
        >
          {marks.map((m, index) => {
            const isRemoved = removed.has(m.position);
            const isSelected = selected === m.position;
            const isHighlighted =
              highlight !== undefined &&
              (categoriesAt.get(m.position) ?? []).some((c) => highlight.has(c));
            const r = m.r;
            return (
              // biome-ignore lint/a11y/useSemanticElements: SVG has no <button>; this <g> is one.
              <g
                key={m.position}
                ref={(el) => {
                  markRefs.current[index] = el;
                }}
                role="button"
                tabIndex={index === tabIndex ? 0 : -1}
                aria-label={markLabel(m, isRemoved, onToggle !== undefined)}
                aria-pressed={onToggle ? isRemoved : undefined}
                aria-disabled={onToggle ? undefined : true}
                className={`timeline-mark${m.read ? '' : ' unread'}${isRemoved ? ' removed' : ''}`}
                data-testid="timeline-item"
                data-item-id={m.itemId}
                data-position={m.position}
                data-read={m.read ? 'true' : 'false'}
                data-removed={isRemoved ? 'true' : 'false'}
                data-highlighted={isHighlighted ? 'true' : 'false'}
                onClick={() => {
                  setActive(index);
                  onToggle?.(m.position);
                }}
                onKeyDown={(event) => onKeyDown(event, index)}
                onFocus={() => {
                  setActive(index);
                  setFocused(m.position);
                }}
                onBlur={() => setFocused(null)}
                onMouseEnter={() => setHovered(m.position)}
                onMouseLeave={() => setHovered(null)}
              >
                <title>{m.tooltip}</title>
                <rect
                  x={m.x - Math.max(m.slotWidth, 2) / 2}
                  y={m.y - halfLane}
                  width={Math.max(m.slotWidth, 2)}
                  height={halfLane * 2}
                  fill="transparent"
                />
                <circle className="focus-ring" cx={m.x} cy={m.y} r={r + 4} />
                {isHighlighted && (
                  <path
                    className="timeline-highlight"
                    d={`M${m.x},${m.y - r - 9}L${m.x},${m.y - r - 3}`}
                    stroke="#1d2330"
                    strokeWidth={2}
                  />
                )}
                {isSelected && (
                  <circle
                    cx={m.x}
                    cy={m.y}
                    r={r + 2.5}
                    fill="none"
                    stroke="#1d2330"
                    strokeWidth={1.5}
                  />
                )}
                <circle
                  cx={m.x}
                  cy={m.y}
                  r={r}
                  fill={m.read ? m.colour : '#ffffff'}
                  stroke={m.read ? '#1d2330' : m.colour}
                  strokeWidth={m.read ? 0.6 : 1.2}
                  opacity={isRemoved ? 0.45 : 1}
                />
                {isRemoved && (
                  <path
                    d={`M${m.x - r - 2},${m.y - r - 2}L${m.x + r + 2},${m.y + r + 2}M${m.x - r - 2},${m.y + r + 2}L${m.x + r + 2},${m.y - r - 2}`}
                    stroke="#c03030"
                    strokeWidth={1.6}
                  />
                )}
              </g>
            );
          })}
        </g>
      </svg>
      <p className="timeline-readout" data-testid="timeline-readout">
        {shown ? (
          <>
            <span className="readout-name">{shown.name}</span>{' '}
            <span className="muted-inline">
              {shown.categories.length ? shown.categories.join(', ') : 'no category'} ·{' '}
              {shown.date ?? 'no date'} · #{shown.position} ·{' '}
              {shown.read ? 'read by the model' : 'not read by the model'}
              {removed.has(shown.position) ? ' · removed in the what-if' : ''}
            </span>
          </>
        ) : (
          <span className="muted-inline">
            Point at or focus an interaction to see it
            {onToggle ? '; click it (or press Enter) to remove it from the what-if history' : ''}.
          </span>
        )}
      </p>
    </figure>
  );
}

/** The legend's key: a filled dot, a hollow one (not read) or a crossed one (removed). */
function LegendSwatch({ kind, colour }: { kind: string; colour: string }) {
  if (kind === 'unread') {
    return <circle cx={4} cy={-4} r={4} fill="#ffffff" stroke={colour} strokeWidth={1.2} />;
  }
  if (kind === 'removed') {
    return (
      <>
        <circle cx={4} cy={-4} r={4} fill="#8f99a8" opacity={0.45} />
        <path d="M-1,-9L9,1M-1,1L9,-9" stroke={colour} strokeWidth={1.6} />
      </>
    );
  }
  return <circle cx={4} cy={-4} r={4} fill={colour} stroke="#1d2330" strokeWidth={0.6} />;
}
