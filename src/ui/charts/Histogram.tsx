import { useMemo } from 'react';
import type { CountBin } from '../../core/data/types';
import { formatCount } from '../format';
import { ChartSvg, EmptyNote, GridTicks, XAxis } from './ChartParts';
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
  const { plot } = layout;

  return (
    <figure className="chart">
      <ChartSvg
        width={WIDTH}
        height={HEIGHT}
        title={title}
        description={description}
        testId={testId}
      >
        <GridTicks ticks={layout.yTicks} plot={plot} keyPrefix="y" labelGap={6} />
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
        <XAxis ticks={layout.xTicks} plot={plot} labelOffset={15} />
        <text className="axis-label" x={(plot.left + plot.right) / 2} y={HEIGHT - 4}>
          {xLabel}
        </text>
        <text
          className="axis-label"
          transform={`translate(12,${(plot.top + plot.bottom) / 2}) rotate(-90)`}
        >
          {entities}
        </text>
        {layout.empty && <EmptyNote plot={plot}>no data</EmptyNote>}
      </ChartSvg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}
