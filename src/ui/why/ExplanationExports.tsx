import { saveTextFile } from '../../state/saveTextFile';
import type { ExplanationReport } from '../../worker/api';
import { explanationCsv } from './explanationCsv';

/** A file name from the report's model, user and item (characters file systems refuse dropped). */
export function explanationFileName(report: ExplanationReport, extension: string): string {
  const parts = [
    'explanation',
    report.modelName ?? report.model,
    report.user ?? 'what-if',
    report.item,
  ];
  const base = parts
    .join('-')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-+/g, '-');
  return `${base}.${extension}`;
}

/**
 * Downloads the finished explanation as JSON (exactly the CLI's `lens explain --json`) or CSV
 * (one row per history item and method; text cells neutralised against spreadsheet formulas).
 */
export function ExplanationExports({ report }: { report: ExplanationReport | null }) {
  return (
    <div className="why-exports">
      <button
        type="button"
        data-testid="export-explanation-json"
        disabled={!report}
        onClick={() => {
          if (report) {
            saveTextFile(
              explanationFileName(report, 'json'),
              `${JSON.stringify(report, null, 2)}\n`,
              'application/json',
            );
          }
        }}
      >
        Export JSON
      </button>
      <button
        type="button"
        data-testid="export-explanation-csv"
        disabled={!report}
        onClick={() => {
          if (report) saveTextFile(explanationFileName(report, 'csv'), explanationCsv(report));
        }}
      >
        Export CSV
      </button>
    </div>
  );
}
