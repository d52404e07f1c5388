import { useMemo } from 'react';
import type { ExplanationReport } from '../../core/explain/report';
import '../why/why.css';
import { ChartSvg, GridTicks, XAxis } from './ChartParts';
import { faithfulnessLayout } from './faithfulnessLayout';

const WIDTH = 640;

interface FaithfulnessChartProps {
  faithfulness: ExplanationReport['faithfulness'];
  /** Methods to draw (default: every one with curves); random is always drawn. */
  methods?: string[];
  /** What the y axis measures (default "target"; e.g. "score" or "margin"). */
  targetLabel?: string;
}

const percent = (share: number | undefined) =>
  share === undefined || !Number.isFinite(share) ? '–' : `${Math.round(share * 100)}%`;

/**
 * Deletion and insertion curves per method against random (dashed), with their areas in the
 * legend and, below, POS@K: the share of steps after which the item stays in the top K.
 */
export function FaithfulnessChart({
  faithfulness,
  methods,
  targetLabel = 'target',
}: FaithfulnessChartProps) {
  const layout = useMemo(
    () => faithfulnessLayout(faithfulness, { width: WIDTH, methods }),
    [faithfulness, methods],
  );
  const aucs: Record<string, number> = {};
  for (const s of layout.series) {
    aucs[`data-deletion-auc-${s.method}`] = s.deletionAuc;
    aucs[`data-insertion-auc-${s.method}`] = s.insertionAuc;
  }
  return (
    <figure
      className="chart why-faithfulness"
      data-testid="faithfulness"
      style={{ maxWidth: layout.width }}
      {...aucs}
    >
      <ChartSvg
        width={layout.width}
        height={layout.height}
        title="Faithfulness: deletion and insertion curves"
        description={layout.description}
      >
        {layout.panels.map((panel) => (
          <g key={panel.kind} className={`panel ${panel.kind}`}>
            <text x={panel.plot.left} y={14} className="ink" fontWeight={600}>
              {panel.title}
            </text>
            <GridTicks
              ticks={panel.kind === 'deletion' ? layout.yTicks : []}
              plot={panel.plot}
              keyPrefix="y"
              labelGap={5}
            />
            {panel.kind === 'insertion' &&
              layout.yTicks.map((tick) => (
                <line
                  key={`g${tick.label}`}
                  className="grid"
                  x1={panel.plot.left}
                  x2={panel.plot.right}
                  y1={tick.position}
                  y2={tick.position}
                  stroke="#e8ebf0"
                />
              ))}
            <XAxis ticks={panel.xTicks} plot={panel.plot} labelOffset={14} />
            <text
              className="axis-label"
              x={(panel.plot.left + panel.plot.right) / 2}
              y={panel.plot.bottom + 30}
              textAnchor="middle"
            >
              {panel.xLabel}
            </text>
            {layout.series.map((s) => {
              const points = panel.kind === 'deletion' ? s.deletionPoints : s.insertionPoints;
              const auc = panel.kind === 'deletion' ? s.deletionAuc : s.insertionAuc;
              return (
                <g key={s.method} className="faithfulness-series" data-method={s.method}>
                  <title>{`${s.method} ${panel.kind} curve, area ${auc}`}</title>
                  <path
                    d={panel.kind === 'deletion' ? s.deletionPath : s.insertionPath}
                    fill="none"
                    stroke={s.colour}
                    strokeWidth={s.method === 'random' ? 1.5 : 1.75}
                    strokeDasharray={s.dash || undefined}
                  />
                  {s.marker &&
                    points.map((p) => (
                      <path
                        key={p.fraction}
                        d={s.marker}
                        transform={`translate(${p.x},${p.y})`}
                        fill={s.colour}
                      />
                    ))}
                </g>
              );
            })}
          </g>
        ))}
        <text
          className="axis-label"
          transform={`translate(12,${(layout.panels[0].plot.top + layout.panels[0].plot.bottom) / 2}) rotate(-90)`}
          textAnchor="middle"
        >
          {targetLabel}
        </text>
        {layout.legend.map((entry) => (
          <g key={entry.series.method} transform={`translate(${entry.x},${entry.y})`}>
            <line
              x1={0}
              x2={24}
              y1={-4}
              y2={-4}
              stroke={entry.series.colour}
              strokeWidth={1.75}
              strokeDasharray={entry.series.dash || undefined}
            />
            {entry.series.marker && (
              <path
                d={entry.series.marker}
                transform="translate(12,-4)"
                fill={entry.series.colour}
              />
            )}
            <text x={30} className="ink">
              {entry.label}
            </text>
          </g>
        ))}
        {layout.empty && (
          <text x={layout.width / 2} y={100} textAnchor="middle">
            no faithfulness curves
          </text>
        )}
      </ChartSvg>
      {!layout.empty && (
        <table className="pos-table" data-testid="faithfulness-pos">
          <caption>
            POS@K: share of the steps after which the item is still in the top K (deletion: lower =
            the order finds what keeps it there; insertion: higher = the order brings it back)
          </caption>
          <thead>
            <tr>
              <th scope="col">method</th>
              {layout.posK.map((k) => (
                <th key={`d${k}`} scope="col" className="num">
                  deletion POS@{k}
                </th>
              ))}
              {layout.posK.map((k) => (
                <th key={`i${k}`} scope="col" className="num">
                  insertion POS@{k}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {layout.posRows.map((row) => (
              <tr key={row.method} data-method={row.method}>
                <th scope="row">{row.method}</th>
                {layout.posK.map((k) => (
                  <td key={`d${k}`} className="num">
                    {percent(row.deletion[k])}
                  </td>
                ))}
                {layout.posK.map((k) => (
                  <td key={`i${k}`} className="num">
                    {percent(row.insertion[k])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </figure>
  );
}
