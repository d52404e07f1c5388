import { useId, useMemo } from 'react';
import type { TimelineItem } from '../../worker/api';
import '../why/why.css';
import { type AttributionRow, attributionStripLayout } from './attributionStripLayout';
import { ChartSvg } from './ChartParts';
import { TIMELINE_WIDTH } from './timelineLayout';

interface AttributionStripProps {
  /** The read history items (unread ones are left out), as given to the timeline. */
  items: TimelineItem[];
  /** One row per method: its unit and attribution per history position. */
  rows: AttributionRow[];
  /** viewBox width: the timeline's, so the cells sit under its marks. */
  width?: number;
}

/** An id usable inside `url(#…)`: React's ids may hold characters a URL fragment does not. */
function safeId(id: string): string {
  return `g${id.replace(/[^A-Za-z0-9_-]/g, '')}`;
}

/**
 * Attributions per read history item for every method, as a heat-strip lined up with the
 * timeline: one row per method, diverging colours symmetric around 0 (purple pushes the item
 * up, orange down; a sign on strong cells), each row scaled by its own largest |value|.
 */
export function AttributionStrip({ items, rows, width = TIMELINE_WIDTH }: AttributionStripProps) {
  const layout = useMemo(() => attributionStripLayout(items, rows, width), [items, rows, width]);
  const gradientId = safeId(useId());
  const { legend } = layout;
  return (
    <figure className="chart why-strip">
      <ChartSvg
        width={layout.width}
        height={layout.height}
        title="Attributions per history item and method"
        description={layout.description}
        testId="attribution-strip"
      >
        <defs>
          <linearGradient id={gradientId} x1="0" x2="1" y1="0" y2="0">
            {legend.stops.map((stop) => (
              <stop key={stop.offset} offset={stop.offset} stopColor={stop.colour} />
            ))}
          </linearGradient>
        </defs>
        {layout.rowLabels.map((row) => (
          <g key={row.method} className="strip-row-label">
            <text x={layout.labelX} y={row.y + 10} className="ink" fontWeight={600}>
              {row.method}
            </text>
            <text x={layout.labelX} y={row.y + 20} fontSize={9}>
              {row.scale}
            </text>
          </g>
        ))}
        {layout.cells.map((cell) =>
          cell.value === null ? (
            <rect
              key={`${cell.method}:${cell.position}`}
              className="attribution-missing"
              x={cell.x}
              y={cell.y}
              width={cell.width}
              height={cell.height}
              fill={cell.fill}
            >
              <title>{cell.tooltip}</title>
            </rect>
          ) : (
            <g
              key={`${cell.method}:${cell.position}`}
              data-testid="attribution"
              data-method={cell.method}
              data-item-id={cell.itemId}
              data-position={cell.position}
              data-value={cell.value}
            >
              <title>{cell.tooltip}</title>
              <rect
                x={cell.x}
                y={cell.y}
                width={cell.width}
                height={cell.height}
                fill={cell.fill}
              />
              {cell.glyph && (
                <text
                  x={cell.x + cell.width / 2}
                  y={cell.y + cell.height / 2}
                  dy="0.35em"
                  textAnchor="middle"
                  fontSize={10}
                  style={{ fill: cell.glyphFill }}
                >
                  {cell.glyph}
                </text>
              )}
            </g>
          ),
        )}
        {!layout.empty && (
          <g className="strip-legend" transform={`translate(${legend.x},${legend.y})`}>
            <text x={0} y={11}>
              − pushes down
            </text>
            <rect
              x={84}
              y={2}
              width={legend.width}
              height={12}
              fill={`url(#${gradientId})`}
              stroke="#c4cad4"
              strokeWidth={0.5}
            />
            <text x={84 + legend.width + 6} y={11}>
              + pushes up
            </text>
            {legend.note.map((line, k) => (
              <text key={line} x={0} y={28 + k * 14}>
                {line}
              </text>
            ))}
          </g>
        )}
        {layout.empty && (
          <text x={layout.width / 2} y={20} textAnchor="middle">
            no attributions yet
          </text>
        )}
      </ChartSvg>
    </figure>
  );
}
