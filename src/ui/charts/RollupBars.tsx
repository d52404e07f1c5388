import { useMemo } from 'react';
import type { RollupEntry } from '../../core/explain/types';
import '../why/why.css';
import { ChartSvg } from './ChartParts';
import { rollupBarsLayout } from './rollupBarsLayout';
import { SignedBarRows } from './SignedBarRows';

const WIDTH = 420;

interface RollupBarsProps {
  /** e.g. "shap by category" or "shap by time window". */
  title: string;
  entries: RollupEntry[];
  /** Most entries drawn (default 12); the rest are summed in one line below. */
  limit?: number;
}

/** Attributions summed by category or by time window, as signed bars in the entries' order. */
export function RollupBars({ title, entries, limit = 12 }: RollupBarsProps) {
  const layout = useMemo(
    () => rollupBarsLayout(title, entries, { width: WIDTH, limit }),
    [title, entries, limit],
  );
  return (
    <figure className="chart why-bars" data-testid="rollup" style={{ maxWidth: layout.width }}>
      <ChartSvg
        width={layout.width}
        height={layout.height}
        title={title}
        description={layout.description}
      >
        <SignedBarRows
          layout={layout}
          itemData={layout.shown.map((entry) => ({ 'data-key': entry.key }))}
          emptyText="nothing to sum"
        />
      </ChartSvg>
      {layout.rest && <p className="muted why-note">{layout.rest}</p>}
    </figure>
  );
}
