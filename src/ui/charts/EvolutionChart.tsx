import { brushX, type D3BrushEvent, select } from 'd3';
import { type PointerEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import '../why/why.css';
import './interestCharts.css';
import { EmptyNote, GridTicks } from './ChartParts';
import {
  EVOLUTION_HEIGHT,
  EVOLUTION_WIDTH,
  type EvolutionLayout,
  type EvolutionLegendEntry,
  type EvolutionUnit,
  evolutionLayout,
  windowAt,
  windowsInRange,
} from './evolutionLayout';
import { formatMagnitude } from './palette';

interface EvolutionChartProps {
  /** The user's time windows, oldest first. */
  windows: { start: number; end: number; events: number; distribution: number[] }[];
  /** Category names; `distribution` and `forecast` index into them. */
  categories: string[];
  unit: EvolutionUnit;
  /** Window indices where the mix changes sharply. */
  changePoints: number[];
  /** Jensen-Shannon divergence (bits) of each window from the previous non-empty one. */
  drift: number[];
  /** The next window's distribution, drawn as a dashed column after the last window. */
  forecast: number[] | null;
  /** The forecast column's label (default "predicted"). */
  forecastLabel?: string;
  /** Categories with their own colour (default 7, by total share); the rest merge into "other". */
  maxSeries?: number;
  colourOf?: (category: string) => string;
  /** Chart title, also its accessible name. */
  title: string;
  /** A sentence summarising the chart for screen readers (a note on gaps is appended). */
  description: string;
  testId?: string;
  /** viewBox width (the chart scales with its container). */
  width?: number;
  /** Window indices [from, to] selected by dragging over the time axis; null when cleared. */
  onBrush?: (range: [number, number] | null) => void;
  forecastError?: number | null;
  baselineError?: number | null;
}

const attr = (value: number | null | undefined) =>
  value === null || value === undefined ? '' : String(value);

/** A pointer event's position in the svg's viewBox units, null when it cannot be mapped. */
function viewBoxPoint(event: PointerEvent<SVGSVGElement>): { x: number; y: number } | null {
  const matrix = event.currentTarget.getScreenCTM();
  if (!matrix) return null;
  return new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
}

/**
 * A user's interests over time: category shares per window as a stacked area (largest at the
 * bottom, each window summing to 100%), windows without events left as hatched gaps, change
 * points as dashed lines with a ▲, the drift between windows as a thin line under the time
 * axis, and the forecast of the next window as a dashed column after the last one. Pointing at
 * a window shows its mix under the chart; with `onBrush`, dragging across the windows selects
 * a range (snapped to whole windows; a click outside it clears it).
 */
export function EvolutionChart({
  windows,
  categories,
  unit,
  changePoints,
  drift,
  forecast,
  forecastLabel,
  maxSeries,
  colourOf,
  title,
  description,
  testId = 'evolution-chart',
  width = EVOLUTION_WIDTH,
  onBrush,
  forecastError = null,
  baselineError = null,
}: EvolutionChartProps) {
  const titleId = useId();
  const descId = useId();
  const hatchId = `evolution-hatch-${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const layout = useMemo(
    () =>
      evolutionLayout(
        {
          windows,
          categories,
          unit,
          changePoints,
          drift,
          forecast,
          forecastLabel,
          maxSeries,
          colourOf,
        },
        { width, height: EVOLUTION_HEIGHT },
      ),
    [
      windows,
      categories,
      unit,
      changePoints,
      drift,
      forecast,
      forecastLabel,
      maxSeries,
      colourOf,
      width,
    ],
  );
  const { plot } = layout;
  const [hovered, setHovered] = useState<number | 'forecast' | null>(null);
  const [selected, setSelected] = useState<[number, number] | null>(null);

  const brushRef = useRef<SVGGElement>(null);
  const clearBrushRef = useRef<() => void>(() => {});
  const layoutRef = useRef<EvolutionLayout>(layout);
  const onBrushRef = useRef(onBrush);
  useEffect(() => {
    onBrushRef.current = onBrush;
    layoutRef.current = layout;
  });

  // The brush depends on the columns' geometry only (not on colours or labels), so a new
  // `colourOf` from the parent does not drop the selection.
  const brushable = onBrush !== undefined && !layout.empty;
  // (The columns are equal slices of the extent: it and their count fix them.)
  const [[x0, y0], [x1, y1]] = layout.brushExtent;
  const columnCount = layout.columns.length;
  useEffect(() => {
    setSelected(null);
    const node = brushRef.current;
    if (!node || !brushable || columnCount === 0) return;
    const g = select(node);
    const brushing = brushX<unknown>()
      .extent([
        [x0, y0],
        [x1, y1],
      ])
      .on('end', (event: D3BrushEvent<unknown>) => {
        // Only the user's gestures: moving the brush from code (snapping, clearing) fires too.
        if (!event.sourceEvent) return;
        const selection = event.selection as [number, number] | null;
        const range = selection ? windowsInRange(layoutRef.current, selection) : null;
        if (!range) {
          if (selection) g.call(brushing.move, null);
          setSelected(null);
          onBrushRef.current?.(null);
          return;
        }
        const { columns } = layoutRef.current;
        g.call(brushing.move, [columns[range[0]].x0, columns[range[1]].x1]);
        setSelected(range);
        onBrushRef.current?.(range);
      });
    g.call(brushing);
    clearBrushRef.current = () => g.call(brushing.move, null);
    return () => {
      clearBrushRef.current = () => {};
      g.on('.brush', null).selectAll('*').remove();
    };
  }, [x0, y0, x1, y1, columnCount, brushable]);

  const clear = () => {
    clearBrushRef.current();
    setSelected(null);
    onBrush?.(null);
  };

  // Over the columns, from the labels above the plot down to the drift strip (not the legend).
  const hoverBottom = layout.driftStrip?.bottom ?? layout.xLabelY;
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const p = viewBoxPoint(event);
    const over = p !== null && p.y >= plot.top - 20 && p.y <= hoverBottom;
    setHovered(over ? windowAt(layout, p.x) : null);
  };

  const hoveredColumn = typeof hovered === 'number' ? layout.columns[hovered] : null;
  const outline =
    hovered === 'forecast' && layout.forecastColumn
      ? { x0: layout.forecastColumn.x0, x1: layout.forecastColumn.x1 }
      : hoveredColumn;
  const errorText =
    forecastError !== null
      ? ` · error ${formatMagnitude(forecastError)}${baselineError !== null ? ` (baseline ${formatMagnitude(baselineError)})` : ''}`
      : '';
  const readout =
    hovered === 'forecast' && layout.forecastColumn
      ? `${layout.forecastColumn.summary}${errorText}`
      : (hoveredColumn?.summary ?? null);
  const axisY = plot.bottom;

  return (
    <figure className="chart interest-evolution" style={{ maxWidth: layout.width }}>
      <svg
        data-testid={testId}
        data-windows={layout.windowCount}
        data-change-points={changePoints.join(',')}
        data-forecast-error={attr(forecastError)}
        data-baseline-error={attr(baselineError)}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        className="chart-svg evolution-svg"
        onPointerMove={onPointerMove}
        onPointerLeave={() => setHovered(null)}
      >
        <title id={titleId}>{title}</title>
        <desc id={descId}>{layout.note ? `${description} ${layout.note}` : description}</desc>
        <defs>
          <pattern id={hatchId} width={6} height={6} patternUnits="userSpaceOnUse">
            <path d="M-1,1L1,-1M0,6L6,0M5,7L7,5" stroke="#b4bac4" strokeWidth={1} />
          </pattern>
        </defs>
        <GridTicks ticks={layout.yTicks} plot={plot} keyPrefix="y" labelGap={6} />
        {layout.gaps.map((gap) => (
          <rect
            key={`gap${gap.index}`}
            className="evolution-gap"
            x={gap.x0}
            y={plot.top}
            width={Math.max(0, gap.x1 - gap.x0)}
            height={plot.bottom - plot.top}
            fill={`url(#${hatchId})`}
            data-window={gap.index}
          >
            <title>{`${layout.columns[gap.index].longLabel}: ${gap.reason}`}</title>
          </rect>
        ))}
        {layout.series.map((series) => (
          <path
            key={series.key}
            className="evolution-area"
            d={series.path}
            fill={series.colour}
            data-category={series.category}
            data-other={series.isOther ? 'true' : undefined}
            data-total={series.total.toFixed(4)}
          >
            <title>
              {`${series.isOther ? `other (${series.members.join(', ')})` : series.category}: mean share ${Math.round(series.meanShare * 100)}%`}
            </title>
          </path>
        ))}
        {layout.labels.map((label) => (
          <text
            key={`l${label.key}`}
            className="evolution-label ink"
            x={label.x}
            y={label.y}
            paintOrder="stroke"
            strokeLinejoin="round"
          >
            {label.text}
          </text>
        ))}
        {layout.forecastColumn && (
          <g className="evolution-forecast" data-testid={`${testId}-forecast`}>
            <title>{`${layout.forecastColumn.summary}${errorText}`}</title>
            <line
              className="evolution-forecast-edge"
              x1={layout.forecastColumn.x0}
              x2={layout.forecastColumn.x0}
              y1={plot.top - 2}
              y2={plot.bottom}
            />
            {layout.forecastColumn.segments.map((seg) =>
              seg.share > 0 ? (
                <rect
                  key={seg.key}
                  className="evolution-forecast-segment"
                  x={layout.forecastColumn?.x0}
                  y={seg.y1}
                  width={Math.max(
                    0,
                    (layout.forecastColumn?.x1 ?? 0) - (layout.forecastColumn?.x0 ?? 0),
                  )}
                  height={Math.max(0, seg.y0 - seg.y1)}
                  fill={seg.colour}
                  stroke={seg.colour}
                  data-category={seg.category}
                />
              ) : null,
            )}
            <text
              className="evolution-forecast-label ink"
              x={layout.forecastColumn.labelX}
              y={layout.forecastColumn.labelY}
              textAnchor={layout.forecastColumn.labelAnchor}
              paintOrder="stroke"
              strokeLinejoin="round"
            >
              {layout.forecastColumn.label}
            </text>
          </g>
        )}
        {layout.changePointMarks.map((mark) => (
          <g key={`cp${mark.index}`} className="evolution-change" data-window={mark.index}>
            <title>{mark.title}</title>
            <line x1={mark.x} x2={mark.x} y1={mark.y1} y2={mark.y2} />
            <text className="ink" x={mark.x} y={mark.labelY} textAnchor="middle">
              ▲
            </text>
          </g>
        ))}
        <line className="axis" x1={plot.left} x2={plot.right} y1={axisY} y2={axisY} />
        {layout.xTicks.map((tick) => (
          <g key={`x${tick.position}`} className="tick" transform={`translate(${tick.position},0)`}>
            <line y1={axisY} y2={axisY + 4} className="axis" />
            <text y={layout.xLabelY} textAnchor={tick.anchor}>
              {tick.label}
            </text>
          </g>
        ))}
        {layout.driftStrip && (
          <g className="evolution-drift">
            <title>{layout.driftStrip.title}</title>
            <line
              className="axis"
              x1={plot.left}
              x2={layout.brushExtent[1][0]}
              y1={layout.driftStrip.bottom}
              y2={layout.driftStrip.bottom}
            />
            <line
              className="grid"
              x1={plot.left}
              x2={layout.brushExtent[1][0]}
              y1={layout.driftStrip.top}
              y2={layout.driftStrip.top}
            />
            <path className="evolution-drift-line" d={layout.driftStrip.path} />
            <text x={layout.driftStrip.labelX} y={layout.driftStrip.labelY} textAnchor="end">
              {layout.driftStrip.label}
            </text>
          </g>
        )}
        {outline && (
          <rect
            className="evolution-hover"
            x={outline.x0}
            y={plot.top}
            width={Math.max(0, outline.x1 - outline.x0)}
            height={plot.bottom - plot.top}
          />
        )}
        {brushable && <g ref={brushRef} className="evolution-brush" />}
        {layout.legend.map((entry) => (
          <g key={`k${entry.key}`} transform={`translate(${entry.x},${entry.y})`}>
            {entry.label !== entry.fullLabel && <title>{entry.fullLabel}</title>}
            <LegendSwatch entry={entry} hatchId={hatchId} />
            <text x={14} className="ink">
              {entry.label}
            </text>
          </g>
        ))}
        {layout.empty && <EmptyNote plot={plot}>no categorised events</EmptyNote>}
      </svg>
      <p className="interest-readout" data-testid={`${testId}-readout`}>
        {readout ? (
          <span>{readout}</span>
        ) : selected ? (
          <>
            <span>
              {`Selected ${layout.columns[selected[0]]?.longLabel ?? ''}${selected[1] > selected[0] ? ` to ${layout.columns[selected[1]]?.longLabel ?? ''}` : ''} (${selected[1] - selected[0] + 1} window${selected[1] > selected[0] ? 's' : ''}). `}
            </span>
            <button type="button" className="interest-inline-button" onClick={clear}>
              clear selection
            </button>
          </>
        ) : (
          <span className="muted-inline">
            {layout.empty
              ? 'No window has categorised events.'
              : `Point at a window to see its mix${brushable ? '; drag across windows to select a range' : ''}.`}
          </span>
        )}
      </p>
    </figure>
  );
}

/** The legend's key: a filled square per series, a hatched one for gaps, a dashed one for the forecast. */
function LegendSwatch({ entry, hatchId }: { entry: EvolutionLegendEntry; hatchId: string }) {
  switch (entry.kind) {
    case 'gap':
      return (
        <rect
          x={0}
          y={-9}
          width={10}
          height={10}
          fill={`url(#${hatchId})`}
          stroke={entry.colour}
          strokeWidth={0.75}
        />
      );
    case 'forecast':
      return (
        <rect
          x={0.5}
          y={-8.5}
          width={9}
          height={9}
          fill="none"
          stroke={entry.colour}
          strokeWidth={1.25}
          strokeDasharray="2 2"
        />
      );
    case 'change':
      return (
        <text x={5} y={0} textAnchor="middle" className="ink">
          ▲
        </text>
      );
    default:
      return <rect x={0} y={-9} width={10} height={10} fill={entry.colour} />;
  }
}
