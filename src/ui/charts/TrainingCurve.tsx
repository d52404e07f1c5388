import { useMemo } from 'react';
import type { TrainingCurves } from '../../state/trainingCurves';
import { ChartSvg, EmptyNote, GridTicks, XAxis } from './ChartParts';
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
  const { plot } = layout;
  return (
    <figure className="chart training-curve">
      <ChartSvg
        width={WIDTH}
        height={HEIGHT}
        title={title}
        description={describe(curves)}
        testId={testId}
      >
        <GridTicks ticks={layout.lossTicks} plot={plot} keyPrefix="l" labelGap={5} />
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
        <XAxis ticks={layout.xTicks} plot={plot} labelOffset={14} />
        <text className="axis-label" x={(plot.left + plot.right) / 2} y={HEIGHT - 2}>
          epoch
        </text>
        {layout.empty && <EmptyNote plot={plot}>no curve yet</EmptyNote>}
      </ChartSvg>
      <figcaption>
        <span className="key batch-loss">loss per batch</span>{' '}
        <span className="key epoch-loss">loss per epoch</span>{' '}
        <span className="key validation">validation NDCG@10 (right axis)</span>
      </figcaption>
    </figure>
  );
}
