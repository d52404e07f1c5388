/**
 * The per-row checks of interaction ingest, in the hot path: one reason per rejected row, in
 * this order: unterminated quote, field count (or truncated last line), missing user, missing
 * item, bad timestamp, bad value, value out of range (too large for the 32-bit float it is
 * stored in, where it would become Infinity). Duplicates are found later, once rows are sorted.
 * With a user-hash sample, a row whose user is left out is counted there, right after its user
 * id is read, and goes no further: it is neither accepted nor rejected.
 */
import type { InteractionCollector } from './interactionCollector';
import { isWellFormedRow, type RowCounts } from './recordShape';
import type { RecordBatch } from './recordStream';
import { quoteValue, type RejectionLog } from './rejections';
import { parsePlainNumber, timestampParser } from './timestamps';
import type { ParseOptions } from './types';
import type { UserSampler } from './userSample';

const FORMAT_LABEL: Record<ParseOptions['timestampFormat'], string> = {
  'epoch-s': 'in epoch seconds',
  'epoch-ms': 'in epoch milliseconds',
  'iso-8601': 'in ISO 8601 form',
  'ymd-datetime': 'in year-month-day form',
  'dmy-datetime': 'in day/month/year form',
  'mdy-datetime': 'in month/day/year form',
  none: '',
};

export function validateRows(
  batch: RecordBatch,
  options: ParseOptions,
  expected: number,
  counts: RowCounts,
  collector: InteractionCollector,
  log: RejectionLog,
  sampler: UserSampler | null = null,
): void {
  const { rows, lines } = batch;
  const { mapping, timestampFormat } = options;
  const userCol = mapping.user as number;
  const itemCol = mapping.item as number;
  const timeCol = timestampFormat === 'none' ? null : mapping.timestamp;
  const actionCol = mapping.action;
  const valueCol = mapping.value;
  const titleCol = mapping.title;
  const categoryCol = mapping.category;
  const parseTime = timestampParser(timestampFormat);
  // Where the comma does not separate fields, it may be a decimal separator.
  const decimalComma = options.delimiter !== ',';
  for (let r = 0; r < rows.length; r++) {
    if (!isWellFormedRow(batch, r, expected, counts, log, true)) continue;
    const fields = rows[r];
    const line = lines[r];
    const user = fields[userCol].trim();
    if (user === '') {
      log.add(line, 'missing_user', 'user id is empty', fields);
      continue;
    }
    if (sampler !== null && !sampler.keeps(user)) continue;
    const item = fields[itemCol].trim();
    if (item === '') {
      log.add(line, 'missing_item', 'item id is empty', fields);
      continue;
    }
    let timestamp = Number.NaN;
    if (timeCol !== null) {
      const raw = fields[timeCol];
      timestamp = parseTime(raw);
      if (Number.isNaN(timestamp)) {
        const detail =
          raw.trim() === ''
            ? 'timestamp is empty'
            : `${quoteValue(raw)} is not a timestamp ${FORMAT_LABEL[timestampFormat]}`;
        log.add(line, 'bad_timestamp', detail, fields);
        continue;
      }
    }
    let value = Number.NaN;
    if (valueCol !== null) {
      const raw = fields[valueCol];
      if (raw.length > 0 && raw.trim() !== '') {
        value = parsePlainNumber(raw);
        if (Number.isNaN(value) && decimalComma && raw.indexOf(',') === raw.lastIndexOf(',')) {
          value = parsePlainNumber(raw.replace(',', '.')); // 4,5 in a European ; file
        }
        if (Number.isNaN(value)) {
          log.add(line, 'bad_value', `${quoteValue(raw)} is not a number`, fields);
          continue;
        }
        if (!Number.isFinite(Math.fround(value))) {
          log.add(
            line,
            'value_out_of_range',
            `${quoteValue(raw)} is too large to store (the limit is ±3.4e38)`,
            fields,
          );
          continue;
        }
      }
    }
    collector.add(
      user,
      item,
      timestamp,
      actionCol === null ? null : fields[actionCol].trim(),
      value,
      line,
      titleCol === null ? null : fields[titleCol],
      categoryCol === null ? null : fields[categoryCol],
    );
  }
}
