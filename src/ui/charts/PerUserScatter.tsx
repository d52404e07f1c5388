import { brush, type D3BrushEvent, select } from 'd3';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { formatCount } from '../format';
import '../why/why.css';
import './compareCharts.css';
import { EmptyNote, GridTicks, XAxis } from './ChartParts';
import {
  groupsInBox,
  perUserScatterLayout,
  pointsInBox,
  pointsOnSide,
  type ScatterPoint,
  type ScatterSide,
} from './perUserScatterLayout';

const WIDTH = 420;

interface PerUserScatterProps {
  /** One point per user: model A's score (x) and model B's (y), in [0, 1]. */
  points: ScatterPoint[];
  xLabel: string;
  yLabel: string;
  /** Chart title, also its accessible name. */
  title: string;
  /** A sentence summarising the chart for screen readers. */
  description: string;
  /** The ids inside a brushed box (on brush end), or [] when the brush is cleared. */
  onBrush: (ids: string[]) => void;
  testId?: string;
  /** viewBox width (the chart scales with its container). */
  width?: number;
  /** Short model names in tooltips and corner counts (default "A" and "B"). */
  aName?: string;
  bName?: string;
}

const SIDE_BUTTONS: { side: ScatterSide; label: (a: string, b: string) => string }[] = [
  { side: 'b', label: (_a, b) => `${b} better` },
  { side: 'a', label: (a) => `${a} better` },
  { side: 'tie', label: () => 'ties' },
];

/**
 * Per-user scores of two models against each other: identical scores share one circle sized by
 * its count, the y = x diagonal dashed, users per side counted in the corners. Drag a box to
 * select users (d3-brush); a click outside the box clears it. The buttons under the chart
 * select a whole side from the keyboard.
 */
export function PerUserScatter({
  points,
  xLabel,
  yLabel,
  title,
  description,
  onBrush,
  testId = 'per-user-scatter',
  width = WIDTH,
  aName = 'A',
  bName = 'B',
}: PerUserScatterProps) {
  const titleId = useId();
  const descId = useId();
  const layout = useMemo(
    () => perUserScatterLayout(points, { width, aName, bName }),
    [points, width, aName, bName],
  );
  const { plot } = layout;
  const brushRef = useRef<SVGGElement>(null);
  const clearBrushRef = useRef<() => void>(() => {});
  const onBrushRef = useRef(onBrush);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());

  useEffect(() => {
    onBrushRef.current = onBrush;
  });

  useEffect(() => {
    setSelected(new Set());
    const node = brushRef.current;
    if (!node || layout.empty) return;
    const g = select(node);
    const brushing = brush<unknown>()
      .extent([
        [layout.plot.left, layout.plot.top],
        [layout.plot.right, layout.plot.bottom],
      ])
      .on('end', (event: D3BrushEvent<unknown>) => {
        // Only the user's own gestures: moving the brush from code (clearing it) fires too.
        if (!event.sourceEvent) return;
        const selection = event.selection as [[number, number], [number, number]] | null;
        if (!selection) {
          setSelected(new Set());
          onBrushRef.current([]);
          return;
        }
        setSelected(new Set(groupsInBox(layout, selection).map((group) => group.key)));
        onBrushRef.current(pointsInBox(layout, selection));
      });
    g.call(brushing);
    clearBrushRef.current = () => g.call(brushing.move, null);
    return () => {
      clearBrushRef.current = () => {};
      g.on('.brush', null).selectAll('*').remove();
    };
  }, [layout]);

  const selectSide = (side: ScatterSide) => {
    clearBrushRef.current();
    setSelected(new Set(layout.groups.filter((g) => g.side === side).map((g) => g.key)));
    onBrush(pointsOnSide(layout, side));
  };
  const clear = () => {
    clearBrushRef.current();
    setSelected(new Set());
    onBrush([]);
  };

  const corners = [layout.corners.b, layout.corners.a, layout.corners.tie];
  return (
    <figure className="chart compare-scatter" style={{ maxWidth: layout.width }}>
      <svg
        data-testid={testId}
        data-points={layout.pointCount}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        className="chart-svg scatter-svg"
      >
        <title id={titleId}>{title}</title>
        <desc id={descId}>{description}</desc>
        <GridTicks ticks={layout.yTicks} plot={plot} keyPrefix="y" labelGap={6} />
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
        <line className="axis" x1={plot.left} x2={plot.left} y1={plot.top} y2={plot.bottom} />
        <XAxis ticks={layout.xTicks} plot={plot} labelOffset={15} />
        <text className="axis-label" x={(plot.left + plot.right) / 2} y={layout.height - 6}>
          {xLabel}
        </text>
        <text
          className="axis-label"
          transform={`translate(14,${(plot.top + plot.bottom) / 2}) rotate(-90)`}
        >
          {yLabel}
        </text>
        <line
          className="scatter-diagonal"
          x1={layout.diagonal.x1}
          y1={layout.diagonal.y1}
          x2={layout.diagonal.x2}
          y2={layout.diagonal.y2}
        />
        {/* Under the circles, so their titles still show on hover; drag from empty space. */}
        <g ref={brushRef} className="scatter-brush" />
        {layout.groups.map((group) => (
          <circle
            key={group.key}
            className={selected.has(group.key) ? 'scatter-dot selected' : 'scatter-dot'}
            cx={group.cx}
            cy={group.cy}
            r={group.r}
            data-count={group.count}
            data-side={group.side}
          >
            <title>{group.title}</title>
          </circle>
        ))}
        {!layout.empty &&
          corners.map((corner) => (
            <text
              key={corner.text}
              className="scatter-corner ink"
              x={corner.x}
              y={corner.y}
              textAnchor={corner.anchor}
            >
              {corner.text}
            </text>
          ))}
        {layout.empty && <EmptyNote plot={plot}>no users</EmptyNote>}
      </svg>
      {!layout.empty && (
        <div className="scatter-actions">
          <span className="muted-inline">Select users:</span>
          {SIDE_BUTTONS.map(({ side, label }) => (
            <button key={side} type="button" onClick={() => selectSide(side)}>
              {`${label(aName, bName)} (${formatCount(layout.counts[side])})`}
            </button>
          ))}
          <button type="button" onClick={clear}>
            clear
          </button>
        </div>
      )}
    </figure>
  );
}
