/** The SVG rows of a signed bar list (see `signedBarsLayout`): labels, bars, zero line, values. */
import type { SignedBarsLayout } from './signedBarsLayout';

interface SignedBarRowsProps {
  layout: SignedBarsLayout;
  /** Extra data attributes per row (parallel to `layout.bars`), e.g. the item id. */
  itemData?: Record<string, string | number>[];
  emptyText: string;
}

/** Renders a signed bar layout inside a chart's `<svg>`; "no data" text when it is empty. */
export function SignedBarRows({ layout, itemData, emptyText }: SignedBarRowsProps) {
  if (layout.empty) {
    return (
      <text x={layout.width / 2} y={layout.y1 + 14} textAnchor="middle">
        {emptyText}
      </text>
    );
  }
  return (
    <>
      {layout.bars.map((bar, k) => (
        <g key={bar.key} className="signed-bar" data-value={bar.value} {...itemData?.[k]}>
          <title>{`${bar.fullLabel}${bar.detail ? ` (${bar.detail})` : ''}: ${bar.valueText}`}</title>
          <text x={8} y={bar.y} className="ink">
            {bar.label}
          </text>
          {bar.detail && (
            <text x={8} y={bar.y + 12} fontSize={9}>
              {bar.detail}
            </text>
          )}
          <rect
            x={bar.barX}
            y={bar.barY}
            width={bar.barWidth}
            height={bar.barHeight}
            fill={bar.fill}
          />
          <text x={layout.valueX} y={bar.y} textAnchor="end" className="ink">
            {bar.valueText}
          </text>
        </g>
      ))}
      <line
        x1={layout.zeroX}
        x2={layout.zeroX}
        y1={layout.y1}
        y2={layout.y2}
        stroke="#8a93a3"
        strokeWidth={1}
      />
    </>
  );
}
