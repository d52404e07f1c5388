/**
 * How results are printed: JSON for scripts (stable keys, two-space indent, one trailing
 * newline) or aligned plain-text tables for people. Pure functions from result to text.
 */
import {
  REJECT_REASON_LABELS,
  type ReasonCount,
  type RejectReason,
  type UserSampleReport,
} from '../core/data/types';
import { formatShare } from '../core/data/userSample';
import type { EvalResult } from './commands/eval';
import type { InspectResult } from './commands/inspect';
import type { CliMetrics, EvaluatedUsers } from './commands/metrics';
import type { TrainResult } from './commands/train';

/** JSON for stdout; the numbers are printed as computed (no rounding). */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Rows of cells as left-aligned columns (the last column is not padded). */
export function table(rows: readonly (readonly string[])[], indent = ''): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) => {
      const cells = row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i])));
      return `${indent}${cells.join('  ')}`.trimEnd();
    })
    .join('\n');
}

/** A count with thousands separators (1,584). */
export const count = (n: number) => n.toLocaleString('en-US');

const DELIMITER_NAMES: Record<string, string> = {
  ',': 'comma',
  '\t': 'tab',
  ';': 'semicolon',
  '|': 'pipe',
  '::': 'double colon (::)',
};

function firstLines(total: number, lines: readonly number[]): string {
  const more = total > lines.length ? ', ...' : '';
  return `${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')}${more}`;
}

function rejectRows(byReason: Partial<Record<RejectReason, ReasonCount>>): string[][] {
  return Object.entries(byReason).map(([reason, c]) => [
    REJECT_REASON_LABELS[reason as RejectReason] ?? reason,
    count(c?.count ?? 0),
    firstLines(c?.count ?? 0, c?.firstLines ?? []),
  ]);
}

/** "10% of users (seed 0): 812 users, 9,120 rows left out". */
function sampleLine(s: UserSampleReport): string {
  const users = `${count(s.droppedUsers)}${s.droppedUsersExact ? '' : ' (estimated)'}`;
  return `${formatShare(s.fraction)} of users (hash of the user id, seed ${s.seed}): ${users} users and ${count(s.droppedRows)} rows left out`;
}

/** `lens inspect` as text: format, mapping, counts, rejects by reason, notices. */
export function formatInspect(r: InspectResult): string {
  const mapped = Object.entries(r.columns)
    .filter(([, name]) => name !== null)
    .map(([role, name]) => `${role}=${name}`)
    .join('  ');
  const layout =
    r.fileFormat === 'parquet'
      ? ['Parquet']
      : [
          `${DELIMITER_NAMES[r.format.delimiter] ?? r.format.delimiter}-separated`,
          r.format.hasHeader ? 'header row' : 'no header',
          r.format.encoding,
        ];
  const format = [
    ...layout,
    r.format.timestampFormat === 'none'
      ? 'no timestamps'
      : `timestamps ${r.format.timestampFormat}`,
  ].join(', ');
  const rows: string[][] = [
    ['file', r.file],
    ['format', format],
    ['columns', mapped],
    ['users', count(r.users)],
    ['items', count(r.items)],
    ['interactions', count(r.interactions)],
    ['time range', r.timeRange ? `${r.timeRange.min} .. ${r.timeRange.max}` : 'none (file order)'],
    ['rejected rows', count(r.rejected)],
  ];
  if (r.sample) rows.push(['user sample', sampleLine(r.sample)]);
  if (r.blankLines > 0) rows.push(['blank lines', `${count(r.blankLines)} (skipped)`]);
  const parts = [table(rows)];
  if (r.rejected > 0) parts.push(table(rejectRows(r.rejectedByReason), '  '));
  const meta = r.itemMetadata;
  if (meta) {
    parts.push(
      table([
        ['item file', meta.file],
        [
          'item rows',
          `${count(meta.rows)} (${count(meta.matchedItems)} matched, ${count(meta.unknownItems)} not in the interactions)`,
        ],
        ['categories', count(meta.categories)],
        ['items with title', count(meta.itemsWithTitle)],
        ['rejected item rows', count(meta.rejected)],
      ]),
    );
    if (meta.rejected > 0) parts.push(table(rejectRows(meta.rejectedByReason), '  '));
  }
  const notices = [...r.notices, ...(meta?.notices ?? [])];
  if (notices.length > 0) {
    parts.push(notices.map((n) => `${n.level}: ${n.message}`).join('\n'));
  }
  return `${parts.join('\n')}\n`;
}

/** The fields train and eval print as text. */
interface MetricsView extends EvaluatedUsers {
  protocol: string;
  metrics: CliMetrics;
}

/** `lens train` as text: how the model was fitted, where it was saved, its test metrics. */
export function formatTrain(r: TrainResult): string {
  const how =
    r.backend === 'none'
      ? `fitted in one pass in ${r.trainSeconds.toFixed(2)} s; baseline, no TF.js`
      : `${r.epochs} epochs, kept epoch ${r.bestEpoch}, stopped by ${r.stoppedBy ?? 'epochs'}; ` +
        `${r.trainSeconds.toFixed(1)} s on ${r.backend}`;
  const head = [
    ['model', `${r.model} (${how})`],
    ['data', r.dataset],
  ];
  if (r.sample) head.push(['user sample', sampleLine(r.sample)]);
  if (r.loss) head.push(['loss', r.loss]);
  if (r.savedTo) head.push(['saved to', r.savedTo]);
  return formatMetrics(head, r);
}

/** `lens eval` as text: which saved model, on what it was trained, its test metrics. */
export function formatEval(r: EvalResult): string {
  const match =
    r.datasetMatch === 'same'
      ? 'this data'
      : `other data, mapped by item id; ${count(r.unknownItems)} items here unknown to it`;
  return formatMetrics(
    [
      ['model', `${r.model} "${r.name}" from ${r.modelDir}`],
      ['data', r.dataset],
      ['trained on', `${r.trainedOn} (${match})`],
    ],
    r,
  );
}

/** The metric table with its protocol and denominators (never a bare number). */
function formatMetrics(head: string[][], r: MetricsView): string {
  const metricRows = Object.entries(r.metrics).map(([name, value]) => [
    name,
    value === null ? 'n/a' : value.toFixed(4),
  ]);
  const repeat =
    r.repeatTargets > 0
      ? `; ${count(r.repeatTargets)} targets were already seen (never hittable)`
      : '';
  const users =
    `${count(r.usersEvaluated)} users evaluated, ${count(r.usersExcluded)} excluded ` +
    `(fewer than ${r.minInteractions} interactions)${repeat}`;
  return `${table([...head, ['protocol', `${r.protocol}, test split (last interaction per user)`], ['users', users]])}\n${table(metricRows, '  ')}\n`;
}
