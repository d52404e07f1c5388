import {
  type D3ZoomEvent,
  pointer,
  select,
  type ZoomBehavior,
  type ZoomTransform,
  zoom,
  zoomIdentity,
} from 'd3';
import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { rovingTarget } from '../rovingFocus';
import '../why/why.css';
import './interestCharts.css';
import {
  type HighlightRole,
  type InterestMapLayout,
  interestMapLayout,
  MAP_HEIGHT,
  MAP_WIDTH,
  type MapHighlight,
  type MapLegendEntry,
  POINT_RADIUS,
  roleSymbol,
} from './interestMapLayout';

interface InterestMapProps {
  /** The catalogue, projected (up to ~20k items). */
  points: { itemId: string; title: string | null; categories: string[]; x: number; y: number }[];
  /** The user's items to mark; an item may come with several roles. */
  highlights: { itemId: string; role: HighlightRole }[];
  /** Legend order; points are coloured by their first category. */
  categories: string[];
  colourOf?: (category: string) => string;
  /** Chart title, also its accessible name. */
  title: string;
  /** A sentence summarising the map for screen readers. */
  description: string;
  testId?: string;
  /** viewBox width and plot height (the chart scales with its container). */
  width?: number;
  height?: number;
}

const MAX_ZOOM = 40;
const ZOOM_STEP = 1.6;

/**
 * Item embeddings in 2-D: the catalogue as faint dots coloured by first category, the user's
 * history (rings), latest items (filled rings), recommendations (diamonds) and the explained
 * item (a labelled star) on top. Scroll or drag to zoom and pan (d3-zoom; the +, − and reset
 * buttons do the same from the keyboard); the marks keep their size while the dots spread out.
 *
 * The marked items are one tab stop (arrow keys, Home and End move between them); a focused or
 * pointed-at item shows its label and its description under the map. Because the `<svg>` holds
 * focusable marks it is a labelled group (with a title and a description), its drawing a
 * `role="img"` part: a focusable element inside `role="img"` would be hidden from assistive
 * technology. A visually hidden list repeats the marked items as text.
 */
export function InterestMap({
  points,
  highlights,
  categories,
  colourOf,
  title,
  description,
  testId = 'interest-map',
  width = MAP_WIDTH,
  height = MAP_HEIGHT,
}: InterestMapProps) {
  const titleId = useId();
  const descId = useId();
  const clipId = `interest-map-clip-${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const layout = useMemo(
    () => interestMapLayout({ points, highlights, categories, colourOf }, { width, height }),
    [points, highlights, categories, colourOf, width, height],
  );
  const { plot } = layout;
  const svgRef = useRef<SVGSVGElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  const [active, setActive] = useState(0);
  const [focused, setFocused] = useState<string | null>(null);
  const [hovered, setHovered] = useState<string | null>(null);
  const markRefs = useRef<(SVGGElement | null)[]>([]);

  // Zoom and pan, reset whenever the plot changes.
  const { left, top, right, bottom } = plot;
  const empty = layout.empty;
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg || empty) return;
    const behaviour = zoom<SVGSVGElement, unknown>()
      // d3's default filter, and only over the plot: the wheel still scrolls the page over the
      // legend.
      .filter((event: MouseEvent | TouchEvent) => {
        if ((event as MouseEvent).button || (event.ctrlKey && event.type !== 'wheel')) return false;
        if (!('clientX' in event)) return true;
        const [x, y] = pointer(event, svg);
        return x >= left && x <= right && y >= top && y <= bottom;
      })
      .scaleExtent([1, MAX_ZOOM])
      .extent([
        [left, top],
        [right, bottom],
      ])
      .translateExtent([
        [left, top],
        [right, bottom],
      ])
      .on('zoom', (event: D3ZoomEvent<SVGSVGElement, unknown>) => setTransform(event.transform));
    const selection = select(svg);
    selection.call(behaviour);
    selection.call(behaviour.transform, zoomIdentity);
    zoomRef.current = behaviour;
    return () => {
      zoomRef.current = null;
      selection.on('.zoom', null);
    };
  }, [left, top, right, bottom, empty]);

  // The dots: one path per colour, re-rendered only when the layout or the zoom level changes
  // (their stroke width keeps a dot POINT_RADIUS across at any zoom).
  const k = transform.k;
  const dots = useMemo(
    () =>
      layout.pointGroups.map((group) => (
        <path
          key={group.colour}
          d={group.path}
          stroke={group.colour}
          strokeWidth={(POINT_RADIUS * 2) / k}
          strokeLinecap="round"
          data-count={group.count}
        />
      )),
    [layout, k],
  );

  const zoomBy = (factor: number) => {
    const svg = svgRef.current;
    if (svg && zoomRef.current) select(svg).call(zoomRef.current.scaleBy, factor);
  };
  const resetZoom = () => {
    const svg = svgRef.current;
    if (svg && zoomRef.current) select(svg).call(zoomRef.current.transform, zoomIdentity);
  };

  const marks = layout.highlights;
  const tabIndex = active >= 0 && active < marks.length ? active : 0;
  const at = (h: MapHighlight) => ({ x: transform.applyX(h.x), y: transform.applyY(h.y) });
  const inView = (x: number, y: number) =>
    x >= plot.left && x <= plot.right && y >= plot.top && y <= plot.bottom;

  const moveTo = (index: number) => {
    setActive(index);
    markRefs.current[index]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<SVGGElement>, index: number) => {
    const next =
      rovingTarget(event.key, index, marks.length, { axis: 'horizontal', wrap: false }) ??
      rovingTarget(event.key, index, marks.length, { axis: 'vertical', wrap: false });
    if (next !== null) {
      event.preventDefault();
      moveTo(next);
    }
  };
  const onFocus = (h: MapHighlight, index: number) => {
    setActive(index);
    setFocused(h.itemId);
    // Bring a mark zoomed out of view back to the middle.
    const { x, y } = at(h);
    const svg = svgRef.current;
    if (!inView(x, y) && svg && zoomRef.current) {
      select(svg).call(zoomRef.current.translateTo, h.x, h.y);
    }
  };

  const shownId = hovered ?? focused;
  const shown = shownId === null ? null : (marks.find((h) => h.itemId === shownId) ?? null);
  // The explained item is drawn last (on top); focus order is strongest role first.
  const drawOrder = marks.map((_, index) => marks.length - 1 - index);
  const zoomed = transform.k !== 1 || transform.x !== 0 || transform.y !== 0;

  return (
    <figure className="chart interest-map" style={{ maxWidth: layout.width }}>
      {/* biome-ignore lint/a11y/useSemanticElements: an <svg> cannot be a <fieldset>; it holds focusable marks, so it is a group, not an img. */}
      <svg
        ref={svgRef}
        data-testid={testId}
        data-points={points.length}
        data-highlights={marks.length}
        data-skipped-highlights={layout.skippedHighlights}
        role="group"
        aria-labelledby={titleId}
        aria-describedby={descId}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        className="chart-svg map-svg"
      >
        <title id={titleId}>{title}</title>
        <desc id={descId}>{description}</desc>
        <defs>
          <clipPath id={clipId}>
            <rect
              x={plot.left}
              y={plot.top}
              width={plot.right - plot.left}
              height={plot.bottom - plot.top}
            />
          </clipPath>
        </defs>
        {/* biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: an SVG <g> is not interactive; this one is the map's drawing (no controls inside). */}
        <g role="img" aria-label={mapSummary(layout, points.length)}>
          <rect
            className="map-frame"
            x={plot.left}
            y={plot.top}
            width={plot.right - plot.left}
            height={plot.bottom - plot.top}
          />
          <g clipPath={`url(#${clipId})`}>
            <g className="map-points" transform={transform.toString()}>
              {dots}
            </g>
          </g>
          {layout.empty && (
            <text
              className="chart-empty"
              x={(plot.left + plot.right) / 2}
              y={(plot.top + plot.bottom) / 2}
            >
              no items to map
            </text>
          )}
          {layout.legend.map((entry) => (
            <g key={entry.key} transform={`translate(${entry.x},${entry.y})`}>
              {entry.label !== entry.fullLabel && <title>{entry.fullLabel}</title>}
              <MapLegendSwatch entry={entry} />
              <text x={14} className="ink">
                {entry.label}
              </text>
            </g>
          ))}
        </g>
        {marks.length > 0 && (
          // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole lint/a11y/useSemanticElements: an SVG <g> is not interactive and cannot be a <fieldset>; it groups the focusable marks.
          <g
            role="group"
            aria-label={`${marks.length} marked items, strongest first; arrow keys move`}
            clipPath={`url(#${clipId})`}
          >
            {drawOrder.map((index) => {
              const h = marks[index];
              const { x, y } = at(h);
              const showLabel = h.labelled || h.itemId === shownId;
              return (
                // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: a mark is a picture of one item, focusable only so keyboard users can read it (one tab stop; arrow keys move); it has no action.
                <g
                  key={h.itemId}
                  ref={(el) => {
                    markRefs.current[index] = el;
                  }}
                  role="img"
                  aria-label={h.tooltip}
                  tabIndex={index === tabIndex ? 0 : -1}
                  className="map-highlight"
                  data-testid="map-highlight"
                  data-item-id={h.itemId}
                  data-role={h.role}
                  data-roles={h.roles.join(' ')}
                  transform={`translate(${round2(x)},${round2(y)})`}
                  onFocus={() => onFocus(h, index)}
                  onBlur={() => setFocused(null)}
                  onKeyDown={(event) => onKeyDown(event, index)}
                  onMouseEnter={() => setHovered(h.itemId)}
                  onMouseLeave={() => setHovered(null)}
                >
                  <title>{h.tooltip}</title>
                  <circle className="focus-ring" r={h.radius + 4} />
                  <HighlightShape h={h} />
                  {showLabel && (
                    <text
                      className="map-highlight-label ink"
                      x={h.labelDx}
                      y={4}
                      textAnchor={h.labelAnchor}
                      paintOrder="stroke"
                      strokeLinejoin="round"
                    >
                      {h.label}
                    </text>
                  )}
                </g>
              );
            })}
          </g>
        )}
      </svg>
      <div className="map-actions">
        <span className="muted-inline">Zoom:</span>
        <button
          type="button"
          aria-label="Zoom in"
          onClick={() => zoomBy(ZOOM_STEP)}
          disabled={layout.empty || transform.k >= MAX_ZOOM}
        >
          +
        </button>
        <button
          type="button"
          aria-label="Zoom out"
          onClick={() => zoomBy(1 / ZOOM_STEP)}
          disabled={layout.empty || transform.k <= 1}
        >
          −
        </button>
        <button type="button" onClick={resetZoom} disabled={layout.empty || !zoomed}>
          reset
        </button>
      </div>
      <p className="interest-readout" data-testid={`${testId}-readout`}>
        {shown ? (
          <span>{shown.tooltip}</span>
        ) : (
          <span className="muted-inline">
            {layout.empty
              ? 'No items to map.'
              : `Scroll or drag to zoom and pan${marks.length ? '; point at or Tab to a marked item to read it' : ''}.`}
            {layout.skippedHighlights > 0
              ? ` ${layout.skippedHighlights} marked item${layout.skippedHighlights === 1 ? ' is' : 's are'} not on the map.`
              : ''}
          </span>
        )}
      </p>
      {marks.length > 0 && (
        <ul className="visually-hidden" data-testid={`${testId}-list`}>
          {marks.map((h) => (
            <li key={h.itemId}>{h.tooltip}</li>
          ))}
        </ul>
      )}
    </figure>
  );
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** One sentence on what the drawing shows, for its accessible name. */
function mapSummary(layout: InterestMapLayout, total: number): string {
  if (layout.empty) return 'No items to map.';
  const counts = layout.roleCounts;
  const parts = [
    counts.history ? `${counts.history} from your history` : '',
    counts.recent ? `${counts.recent} latest` : '',
    counts.recommended ? `${counts.recommended} recommended` : '',
    counts.explained ? `${counts.explained} explained` : '',
  ].filter(Boolean);
  const items = `${layout.points.length} of ${total} item${total === 1 ? '' : 's'} mapped`;
  return parts.length ? `${items}; marked: ${parts.join(', ')}.` : `${items}.`;
}

/** A marked item's shape at the origin: ring, filled ring, diamond or star. */
function HighlightShape({ h }: { h: MapHighlight }) {
  if (h.shape === 'ring') {
    return (
      <circle r={h.radius} fill="#ffffff" fillOpacity={0.35} stroke="#1d2330" strokeWidth={1.5} />
    );
  }
  if (h.shape === 'filled-ring') {
    return (
      <>
        <circle r={h.radius + 1} fill="none" stroke="#1d2330" strokeWidth={1.5} />
        <circle r={h.radius - 1.5} fill={h.colour} stroke="#ffffff" strokeWidth={0.75} />
      </>
    );
  }
  return (
    <path d={h.symbol} fill={h.colour} stroke="#1d2330" strokeWidth={1.5} strokeLinejoin="round" />
  );
}

/** The legend's key: a dot per category, the role's shape per role. */
function MapLegendSwatch({ entry }: { entry: MapLegendEntry }) {
  switch (entry.kind) {
    case 'category':
    case 'other':
    case 'none':
      return <circle cx={4} cy={-4} r={4} fill={entry.colour} />;
    case 'history':
      return <circle cx={4} cy={-4} r={4} fill="none" stroke={entry.colour} strokeWidth={1.5} />;
    case 'recent':
      return (
        <>
          <circle cx={4} cy={-4} r={4.5} fill="none" stroke={entry.colour} strokeWidth={1.25} />
          <circle cx={4} cy={-4} r={2.5} fill="#8f99a8" />
        </>
      );
    default:
      return (
        <path
          d={roleSymbol(entry.kind, entry.kind === 'explained' ? 0.6 : 0.8)}
          transform="translate(4,-4)"
          fill="#ffffff"
          stroke={entry.colour}
          strokeWidth={1.25}
        />
      );
  }
}
