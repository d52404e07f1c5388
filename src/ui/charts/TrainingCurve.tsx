import { useId, useMemo } from 'react';
import type { TrainingCurves } from '../../state/trainingCurves';
import { trainingCurveLayout } from './trainingCurveLayout';

const WIDTH = 360;
const HEIGHT = 150;
const MARGIN = { top: 10, right: 40, bottom: 30, left: 42 };

interface TrainingCurveProps {
  curves: TrainingCurves;
  /** Epochs planned for the run (fixes the x axis while it trains). */
  epochs?: number;
  /** e.g. "gru training curve". */
  title: string;
  testId?: string;
}

/** A sentence for screen readers: the last loss and the best validation NDCG@10. */
function describe(curves: TrainingCurves): string {
  const last = curves.epochLoss.at(-1) ?? curves.batchLoss.at(-1);
  const best = curves.validation.reduce((m, p) => Math.max(m, p.value), Number.NEGATIVE_INFINITY);
  const parts = [
    last
      ? `training loss ${last.value.toFixed(3)} at epoch ${last.x.toFixed(1)}`
      : 'no training loss yet',
  ];
  if (Number.isFinite(best)) parts.push(`best validation NDCG@10 ${best.toFixed(4)}`);
  return `${parts.join('; ')}.`;
}

/**
 * Training loss (per batch, and per epoch with dots) and validation NDCG@10 per epoch. The
 * layout function computes everything; this component only renders it.
 */
export function TrainingCurve({ curves, epochs, title, testId }: TrainingCurveProps) {
  const layout = useMemo(
    () => trainingCurveLayout(curves, { width: WIDTH, height: HEIGHT, margin: MARGIN, epochs }),
    [curves, epochs],
  );
  const titleId = useId();
  const descId = useId();
  const { plot } = layout;
  return (
    <figure className="chart training-curve">
      <svg
        data-testid={testId}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="chart-svg"
      >
        <title id={titleId}>{title}</title>
        <desc id={descId}>{describe(curves)}</desc>
        {layout.lossTicks.map((tick) => (
          <g key={`l${tick.label}`} className="tick" transform={`translate(0,${tick.position})`}>
            <line x1={plot.left} x2={plot.right} className="grid" />
            <text x={plot.left - 5} dy="0.32em" textAnchor="end">
              {tick.label}
            </text>
          </g>
        ))}
        {layout.ndcgTicks.map((tick) => (
          <g
            key={`n${tick.label}`}
            className="tick ndcg"
            transform={`translate(0,${tick.position})`}
          >
            <text x={plot.right + 5} dy="0.32em" textAnchor="start">
              {tick.label}
            </text>
          </g>
        ))}
        <path className="curve batch-loss" d={layout.batchLossPath} />
        <path className="curve epoch-loss" d={layout.epochLossPath} />
        {layout.epochLossDots.map((dot) => (
          <circle key={`e${dot.epoch}`} className="dot epoch-loss" cx={dot.x} cy={dot.y} r={2.5}>
            <title>{`epoch ${dot.epoch}: mean training loss ${dot.value.toFixed(4)}`}</title>
          </circle>
        ))}
        <path className="curve validation" d={layout.validationPath} />
        {layout.validationDots.map((dot) => (
          <circle key={`v${dot.epoch}`} className="dot validation" cx={dot.x} cy={dot.y} r={2.5}>
            <title>{`epoch ${dot.epoch}: validation NDCG@10 ${dot.value.toFixed(4)}`}</title>
          </circle>
        ))}
        <line className="axis" x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} />
        {layout.xTicks.map((tick) => (
          <g key={`x${tick.label}`} className="tick" transform={`translate(${tick.position},0)`}>
            <line y1={plot.bottom} y2={plot.bottom + 4} className="axis" />
            <text y={plot.bottom + 14} textAnchor="middle">
              {tick.label}
            </text>
          </g>
        ))}
        <text className="axis-label" x={(plot.left + plot.right) / 2} y={HEIGHT - 2}>
          epoch
        </text>
        {layout.empty && (
          <text
            className="chart-empty"
            x={(plot.left + plot.right) / 2}
            y={(plot.top + plot.bottom) / 2}
          >
            no curve yet
          </text>
        )}
      </svg>
      <figcaption>
        <span className="key batch-loss">loss per batch</span>{' '}
        <span className="key epoch-loss">loss per epoch</span>{' '}
        <span className="key validation">validation NDCG@10 (right axis)</span>
      </figcaption>
    </figure>
  );
}
