/**
 * Writing the simulated sample as the bundled files' text: RFC 4180 CSV (comma, `"` quoting,
 * `\n` line ends, a final newline; cells by the shared writer of src/core/csv.ts) and a
 * stable, diff-friendly JSON layout. Pure functions; only the generator script touches the
 * file system.
 */
import { csvLine } from '../csv';
import type { SampleData, SampleGroundTruth, SampleInteraction, SampleItem } from './types';

/** Header and rows through the shared cell writer (quoting, formula neutralising). */
function csv(header: string[], rows: (string | number)[][]): string {
  const lines = [csvLine(header)];
  for (const row of rows) lines.push(csvLine(row));
  return `${lines.join('\n')}\n`;
}

/** interactions.csv: `user_id,item_id,timestamp,event_type`, timestamps in epoch seconds. */
export function toInteractionsCsv(interactions: readonly SampleInteraction[]): string {
  return csv(
    ['user_id', 'item_id', 'timestamp', 'event_type'],
    interactions.map((r) => [r.user, r.item, r.timestamp, r.eventType]),
  );
}

/** items.csv: `item_id,title,categories`, categories `|`-joined with the primary first. */
export function toItemsCsv(items: readonly SampleItem[]): string {
  for (const item of items) {
    const bad = item.categories.find((c) => /[|;]/.test(c));
    if (bad) throw new Error(`Category "${bad}" of item ${item.id} contains a list separator.`);
  }
  return csv(
    ['item_id', 'title', 'categories'],
    items.map((item) => [item.id, item.title, item.categories.join('|')]),
  );
}

/** Keys whose arrays are written one element per line (long lists of small records). */
const ONE_PER_LINE = new Set(['categories', 'items', 'users']);

/**
 * ground-truth.json: top-level fields pretty-printed, the long lists (categories, items,
 * users) one compact record per line, so the file stays small and diffs line by line.
 */
export function toGroundTruthJson(truth: SampleGroundTruth): string {
  const entries = Object.entries(truth);
  const lines = ['{'];
  entries.forEach(([key, value], i) => {
    const comma = i < entries.length - 1 ? ',' : '';
    if (ONE_PER_LINE.has(key) && Array.isArray(value)) {
      lines.push(`  ${JSON.stringify(key)}: [`);
      value.forEach((record, j) => {
        lines.push(`    ${JSON.stringify(record)}${j < value.length - 1 ? ',' : ''}`);
      });
      lines.push(`  ]${comma}`);
    } else {
      const text = JSON.stringify(value, null, 2).replaceAll('\n', '\n  ');
      lines.push(`  ${JSON.stringify(key)}: ${text}${comma}`);
    }
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The bundled files, by name, as the generator script writes them into sample-data/. */
export function renderSampleFiles(sample: SampleData): Record<SampleFileName, string> {
  return {
    'interactions.csv': toInteractionsCsv(sample.interactions),
    'items.csv': toItemsCsv(sample.items),
    'ground-truth.json': toGroundTruthJson(sample.groundTruth),
  };
}

export type SampleFileName = 'interactions.csv' | 'items.csv' | 'ground-truth.json';
