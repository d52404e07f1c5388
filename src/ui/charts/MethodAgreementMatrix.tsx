import { useMemo } from 'react';
import type { ExplanationReport } from '../../core/explain/report';
import '../why/why.css';
import { methodAgreement } from '../why/agreement';
import { ChartSvg } from './ChartParts';
import { methodAgreementLayout } from './methodAgreementLayout';

interface MethodAgreementMatrixProps {
  /** The explanation (or the part streamed so far): its methods and history. */
  report: Pick<ExplanationReport, 'methods' | 'history'>;
}

/**
 * How far the methods agree: Spearman's rank correlation of every pair (colour and number in
 * each cell) and the items every method puts in its top 3.
 */
export function MethodAgreementMatrix({ report }: MethodAgreementMatrixProps) {
  const agreement = useMemo(() => methodAgreement(report), [report]);
  const layout = useMemo(() => {
    const titles = new Map(report.history.map((h) => [h.item, h.title ?? h.item]));
    return methodAgreementLayout(agreement, (id) => titles.get(id) ?? id);
  }, [agreement, report.history]);
  return (
    <figure
      className="chart why-agreement"
      style={{ maxWidth: layout.width }}
      data-testid="method-agreement"
      data-methods={agreement.methods.join(',')}
      data-common-top3={agreement.commonTop3.join(',')}
    >
      <ChartSvg
        width={layout.width}
        height={layout.height}
        title="Method agreement"
        description={layout.description}
      >
        {layout.columnLabels.map((label) => (
          <text
            key={`c${label.method}`}
            transform={`translate(${label.x},${label.y}) rotate(-45)`}
            className="ink"
          >
            {label.method}
          </text>
        ))}
        {layout.rowLabels.map((label) => (
          <text
            key={`r${label.method}`}
            x={label.x}
            y={label.y}
            dy="0.35em"
            textAnchor="end"
            className="ink"
          >
            {label.method}
          </text>
        ))}
        {layout.cells.map((cell) => (
          <g
            key={`${cell.row}:${cell.column}`}
            className="agreement-cell"
            data-row={cell.row}
            data-column={cell.column}
            data-value={cell.value}
          >
            <title>{`${cell.row} vs ${cell.column}: Spearman ${cell.text}`}</title>
            <rect x={cell.x} y={cell.y} width={cell.size} height={cell.size} fill={cell.fill} />
            <text
              x={cell.x + cell.size / 2}
              y={cell.y + cell.size / 2}
              dy="0.35em"
              textAnchor="middle"
              style={{ fill: cell.textFill }}
            >
              {cell.text}
            </text>
          </g>
        ))}
        {layout.notes.map((note) => (
          <text key={note.y} x={8} y={note.y} className="ink">
            {note.text}
          </text>
        ))}
      </ChartSvg>
    </figure>
  );
}
