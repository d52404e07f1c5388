import { useMemo } from 'react';
import '../why/why.css';
import { type AttributionBarItem, attributionBarsLayout } from './attributionBarsLayout';
import { ChartSvg } from './ChartParts';
import { SignedBarRows } from './SignedBarRows';

const WIDTH = 480;

interface AttributionBarsProps {
  method: string;
  unit: string;
  items: AttributionBarItem[];
  /** Most items drawn (default 10); the rest are counted below the chart. */
  limit?: number;
}

/**
 * One method's attributions as a ranked list of signed bars (largest |value| first), each
 * history item named by its title, categories and position in text.
 */
export function AttributionBars({ method, unit, items, limit = 10 }: AttributionBarsProps) {
  const layout = useMemo(
    () => attributionBarsLayout(method, unit, items, { width: WIDTH, limit }),
    [method, unit, items, limit],
  );
  return (
    <figure className="chart why-bars" style={{ maxWidth: layout.width }}>
      <ChartSvg
        width={layout.width}
        height={layout.height}
        title={`${method} attributions, ranked (${unit})`}
        description={layout.description}
        testId="attribution-bars"
      >
        <SignedBarRows
          layout={layout}
          itemData={layout.ranked.map((item) => ({
            'data-item-id': item.itemId,
            'data-position': item.position,
          }))}
          emptyText={`no ${method} attributions`}
        />
      </ChartSvg>
      {layout.hidden > 0 && (
        <p className="muted why-note">
          and {layout.hidden} more item{layout.hidden === 1 ? '' : 's'} with smaller |values|
        </p>
      )}
    </figure>
  );
}
