import { type ReactNode, useRef, useState } from 'react';
import { saveBlobFile, saveTextFile } from '../../state/saveTextFile';
import { pngFromSvg, svgExport } from './chartExport';
import './why.css';

interface ChartCardProps {
  title: string;
  /** One or two sentences on how to read the chart; also the legend line of the exports. */
  description: string;
  children: ReactNode;
  /** File name of the exports, without extension, e.g. "explanation-u42-i7-faithfulness". */
  exportName: string;
}

/** PNG pixels per SVG unit: sharp on high-density screens and in slides. */
const PNG_SCALE = 2;

/** A file name without characters file systems refuse. */
function fileName(name: string, extension: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'chart';
  return `${safe}.${extension}`;
}

/**
 * A titled card around a chart, with buttons that download the card's first `<svg>` as SVG or
 * PNG (white background, the title above and the description below the chart).
 */
export function ChartCard({ title, description, children, exportName }: ChartCardProps) {
  const body = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const exported = () => {
    const svg = body.current?.querySelector('svg');
    if (!svg) throw new Error('There is no chart to export yet.');
    return svgExport(svg, title, description);
  };
  const downloadSvg = () => {
    try {
      setError(null);
      saveTextFile(fileName(exportName, 'svg'), exported().text, 'image/svg+xml');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const downloadPng = async () => {
    setBusy(true);
    try {
      setError(null);
      const { text, width, height } = exported();
      const png = await pngFromSvg(text, width * PNG_SCALE, height * PNG_SCALE);
      saveBlobFile(fileName(exportName, 'png'), png);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card chart-card">
      <div className="chart-card-head">
        <h3>{title}</h3>
        <div className="chart-card-actions">
          <button
            type="button"
            data-testid="export-chart-svg"
            aria-label={`Download ${title} as SVG`}
            onClick={downloadSvg}
          >
            SVG
          </button>
          <button
            type="button"
            data-testid="export-chart-png"
            aria-label={`Download ${title} as PNG`}
            onClick={downloadPng}
            disabled={busy}
          >
            PNG
          </button>
        </div>
      </div>
      <p className="muted chart-card-description">{description}</p>
      <div ref={body} className="chart-card-body">
        {children}
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
