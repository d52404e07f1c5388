import { useId, useMemo } from 'react';
import type { CountBin } from '../../core/data/types';
import { formatCount } from '../format';
import { histogramLayout } from './histogramLayout';

const WIDTH = 420;
const HEIGHT = 190;
const MARGIN = { top: 12, right: 14, bottom: 40, left: 46 };

interface HistogramProps {
  bins: readonly CountBin[];
  /** Chart title, also its accessible name, e.g. "Interactions per user". */
  title: string;
  /** What one bar counts, plural: "users". */
  entities: string;
  /** The x axis, e.g. "interactions per user (log scale)". */
  xLabel: string;
  /** A sentence summarising the distribution for screen readers, e.g. min/median/max. */
  description: string;
  testId: string;
}

/**
 * A histogram of counts, as an SVG the layout function fully determines (D3 computes, React
 * renders). It scales with its container through the viewBox.
 */
export function Histogram({ bins, title, entities, xLabel, description, testId }: HistogramProps) {
  const layout = useMemo(
    () => histogramLayout(bins, { width: WIDTH, height: HEIGHT, margin: MARGIN }),
    [bins],
  );
  const titleId = useId();
  const descId = useId();
  const { plot } = layout;

  return (
    <figure className="chart">
      <svg
        data-testid={testId}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="chart-svg"
      >
        <title id={titleId}>{title}</title>
        <desc id={descId}>{description}</desc>
        {layout.yTicks.map((tick) => (
          <g key={`y${tick.label}`} className="tick" transform={`translate(0,${tick.position})`}>
            <line x1={plot.left} x2={plot.right} className="grid" />
            <text x={plot.left - 6} dy="0.32em" textAnchor="end">
              {tick.label}
            </text>
          </g>
        ))}
        {layout.bars.map((bar) => (
          <rect
            key={bar.x0}
            className="bar"
            x={bar.x}
            y={bar.y}
            width={bar.width}
            height={bar.height}
            data-count={bar.count}
          >
            <title>{`${formatCount(bar.count)} ${entities} with ${bar.rangeLabel}`}</title>
          </rect>
        ))}
        <line className="axis" x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} />
        {layout.xTicks.map((tick) => (
          <g key={`x${tick.label}`} className="tick" transform={`translate(${tick.position},0)`}>
            <line y1={plot.bottom} y2={plot.bottom + 4} className="axis" />
            <text y={plot.bottom + 15} textAnchor="middle">
              {tick.label}
            </text>
          </g>
        ))}
        <text className="axis-label" x={(plot.left + plot.right) / 2} y={HEIGHT - 4}>
          {xLabel}
        </text>
        <text
          className="axis-label"
          transform={`translate(12,${(plot.top + plot.bottom) / 2}) rotate(-90)`}
        >
          {entities}
        </text>
        {layout.empty && (
          <text
            className="chart-empty"
            x={(plot.left + plot.right) / 2}
            y={(plot.top + plot.bottom) / 2}
          >
            no data
          </text>
        )}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}
