import { useMemo } from 'react';
import '../why/why.css';
import './compareCharts.css';
import { ChartSvg, EmptyNote, XAxis } from './ChartParts';
import { type IntervalInput, intervalLayout } from './intervalLayout';

const WIDTH = 560;
const CAP = 5;
const DOT_RADIUS = 4.5;

interface IntervalChartProps {
  /** One row per model, drawn in this order. */
  rows: IntervalInput[];
  /** What the x axis measures, e.g. "NDCG@10 (95% bootstrap interval)". */
  metricLabel: string;
  /** Chart title, also its accessible name. */
  title: string;
  /** A sentence summarising the chart for screen readers. */
  description: string;
  testId?: string;
  /** viewBox width (the chart scales with its container). */
  width?: number;
}

/**
 * A forest plot: per model a line over its interval with end caps, a dot at the value in the
 * model's colour, the model's name on the left and the value with its interval as text.
 */
export function IntervalChart({
  rows,
  metricLabel,
  title,
  description,
  testId,
  width = WIDTH,
}: IntervalChartProps) {
  const layout = useMemo(() => intervalLayout(rows, { width }), [rows, width]);
  const { plot } = layout;

  return (
    <figure className="chart compare-interval" style={{ maxWidth: layout.width }}>
      <ChartSvg
        width={layout.width}
        height={layout.height}
        title={title}
        description={description}
        testId={testId}
      >
        {layout.xTicks.map((tick) => (
          <line
            key={`g${tick.label}`}
            className="grid"
            x1={tick.position}
            x2={tick.position}
            y1={plot.top}
            y2={plot.bottom}
          />
        ))}
        {layout.zeroX !== null && (
          <line
            className="axis"
            x1={layout.zeroX}
            x2={layout.zeroX}
            y1={plot.top}
            y2={plot.bottom}
          />
        )}
        <XAxis ticks={layout.xTicks} plot={plot} labelOffset={15} />
        <text className="axis-label" x={(plot.left + plot.right) / 2} y={layout.axisLabelY}>
          {metricLabel}
        </text>
        {layout.rows.map((row) => (
          <g
            key={row.key}
            className="interval-row"
            data-testid="interval-row"
            data-key={row.key}
            data-value={String(row.value)}
            data-lo={String(row.lo)}
            data-hi={String(row.hi)}
          >
            <title>{`${row.fullLabel}: ${metricLabel} ${row.valueText}`}</title>
            <text x={8} y={row.labelY} className="ink">
              {row.label}
            </text>
            {row.hasInterval && (
              <path
                className="interval-line"
                d={`M${row.loX},${row.y - CAP}V${row.y + CAP}M${row.loX},${row.y}H${row.hiX}M${row.hiX},${row.y - CAP}V${row.y + CAP}`}
              />
            )}
            {row.hasData && (
              <circle
                className="interval-dot"
                cx={row.cx}
                cy={row.y}
                r={DOT_RADIUS}
                fill={row.colour}
              />
            )}
            <text
              x={row.textX}
              y={row.textY}
              textAnchor={row.textAnchor}
              className={row.hasData ? 'ink interval-value' : 'interval-value'}
            >
              {row.valueText}
            </text>
          </g>
        ))}
        {layout.empty && <EmptyNote plot={plot}>no models</EmptyNote>}
      </ChartSvg>
    </figure>
  );
}
