import { useId, useMemo } from 'react';
import '../why/why.css';
import './compareCharts.css';
import { type BumpColumnInput, bumpChartLayout, bumpChartWidth } from './bumpChartLayout';
import { EmptyNote } from './ChartParts';

interface BumpChartProps {
  /** 2-4 ranked lists (e.g. one user's top-10 per model), drawn left to right. */
  columns: BumpColumnInput[];
  /** Chart title, also its accessible name. */
  title: string;
  /** A sentence summarising the chart for screen readers. */
  description: string;
  testId?: string;
  /** viewBox width (default: room for 170 px per column). */
  width?: number;
}

/**
 * Ranked lists side by side: each model's header (its name beside a swatch of its colour),
 * rank numbers and item labels, and grey links joining an item's ranks in adjacent lists
 * (darker and thicker where the rank is the same). Items in no neighbouring list are muted and
 * unlinked; the held-out item is starred and bold.
 */
export function BumpChart({
  columns,
  title,
  description,
  testId = 'bump-chart',
  width,
}: BumpChartProps) {
  const titleId = useId();
  const descId = useId();
  const chartWidth = width ?? bumpChartWidth(columns.length);
  const layout = useMemo(
    () => bumpChartLayout(columns, { width: chartWidth }),
    [columns, chartWidth],
  );

  return (
    <figure className="chart compare-bump" style={{ maxWidth: layout.width }}>
      <svg
        data-testid={testId}
        data-links={layout.links.length}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        className="chart-svg bump-svg"
      >
        <title id={titleId}>{title}</title>
        <desc id={descId}>{description}</desc>
        {layout.links.map((link) => (
          <path
            key={link.key}
            className={link.sameRank ? 'bump-link same-rank' : 'bump-link'}
            d={link.path}
            data-item={link.itemId}
            data-from-rank={link.fromRank}
            data-to-rank={link.toRank}
          >
            <title>{`${link.itemId}: rank ${link.fromRank} → ${link.toRank}`}</title>
          </path>
        ))}
        {layout.columns.map((column) => (
          <g key={column.key} className="bump-column" data-key={column.key}>
            <rect
              x={column.x}
              y={column.headerY - 9}
              width={9}
              height={9}
              fill={column.colour}
              className="bump-swatch"
            />
            <text x={column.x + 14} y={column.headerY} className="ink bump-header">
              <title>{column.fullLabel}</title>
              {column.label}
            </text>
            <line
              x1={column.x}
              x2={column.x + column.width}
              y1={column.headerY + 5}
              y2={column.headerY + 5}
              stroke={column.colour}
              strokeWidth={2}
            />
            {column.rows.map((row) => (
              <g
                key={row.rank}
                className="bump-row"
                data-item={row.itemId}
                data-rank={row.rank}
                data-shared={row.shared}
                data-hit={row.hit}
              >
                <title>{`${row.rank}. ${row.fullLabel}${row.hit ? ' (held-out item)' : ''}`}</title>
                <text x={row.rankX} y={row.y} textAnchor="end" className="bump-rank">
                  {row.rank}
                </text>
                <text
                  x={row.x}
                  y={row.y}
                  className={`bump-label${row.shared ? ' ink' : ' unshared'}${row.hit ? ' hit' : ''}`}
                >
                  {row.label}
                </text>
              </g>
            ))}
          </g>
        ))}
        {layout.empty && (
          <EmptyNote plot={{ left: 0, right: layout.width, top: 0, bottom: layout.height + 20 }}>
            no recommendations
          </EmptyNote>
        )}
      </svg>
    </figure>
  );
}
