/**
 * Property: for generated tables (any delimiter, header or not, LF or CRLF, ids that need
 * quoting, with injected faults), every data row is accepted or rejected for exactly the
 * injected reason at its physical line, and accepted rows come back unaltered.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestInteractions } from './ingest';
import { bytesSource } from './sources';
import type { Delimiter, ParseOptions, RejectReason } from './types';

type Fault =
  | 'none'
  | 'missing_user'
  | 'missing_item'
  | 'bad_timestamp'
  | 'bad_value'
  | 'wrong_field_count'
  | 'duplicate'
  | 'blank';

const idChars = fc.constantFrom(
  'a',
  'b',
  'Z',
  '7',
  '0',
  '0',
  ' ',
  ',',
  ';',
  '|',
  ':',
  '\t',
  '"',
  '\n',
  'é',
  '日',
  '😀',
);
const id = fc
  .array(idChars, { minLength: 1, maxLength: 6 })
  .map((chars) => chars.join(''))
  .filter((s) => s.trim() === s && s !== '');
const row = fc.record({
  user: id,
  item: id,
  action: fc.constantFrom('view', 'click', 'buy', ''),
  value: fc.option(
    fc.integer({ min: -4, max: 10 }).map((v) => v / 2),
    { nil: null },
  ),
});
const fault = fc.constantFrom<Fault>(
  'none',
  'none',
  'none',
  'none',
  'missing_user',
  'missing_item',
  'bad_timestamp',
  'bad_value',
  'wrong_field_count',
  'duplicate',
  'blank',
);
const table = fc.record({
  delimiter: fc.constantFrom<Delimiter>(',', '\t', ';', '|', '::'),
  newline: fc.constantFrom('\n', '\r\n'),
  header: fc.boolean(),
  finalNewline: fc.boolean(),
  sliceBytes: fc.integer({ min: 1, max: 40 }),
  rows: fc.array(fc.tuple(row, fault), { minLength: 3, maxLength: 25 }),
});

function quote(field: string, delimiter: string): string {
  const needs =
    /["\r\n]/.test(field) ||
    [...delimiter].some((c) => field.includes(c)) ||
    field.trim() !== field;
  return needs ? `"${field.replaceAll('"', '""')}"` : field;
}

const key = (user: string, item: string, ts: number, action: string, value: number) =>
  JSON.stringify([user, item, ts, action, Number.isNaN(value) ? null : value]);

describe('ingest invariants on generated tables', () => {
  it('accounts for every row and returns clean rows unaltered', async () => {
    await fc.assert(
      fc.asyncProperty(table, async (t) => {
        const { delimiter, newline } = t;
        const lines: string[] = [];
        let physical = 1;
        const push = (fields: string[]) => {
          const text = fields.map((f) => quote(f, delimiter)).join(delimiter);
          lines.push(text);
          const start = physical;
          physical += 1 + (text.split(newline).length - 1);
          return start;
        };
        if (t.header) push(['user', 'item', 'time', 'action', 'value']);
        const clean: string[] = [];
        const cleanUsers = new Set<string>();
        const expectedReasons = new Map<number, RejectReason>();
        const accepted: { fields: string[]; line: number }[] = [];
        let wrongCounts = 0;
        let blank = 0;
        let dataRows = 0;
        t.rows.forEach(([r, f], index) => {
          const ts = 1_600_000_000 + index * 7; // distinct, so no accidental duplicates
          const fields = [
            r.user,
            r.item,
            String(ts),
            r.action,
            r.value === null ? '' : String(r.value),
          ];
          let kind = f;
          if (kind === 'duplicate' && accepted.length === 0) kind = 'none';
          if (kind === 'wrong_field_count' && wrongCounts >= 1) kind = 'none';
          if (kind === 'blank' && index === t.rows.length - 1) kind = 'none';
          if (kind === 'blank') {
            lines.push('');
            physical++;
            blank++;
            kind = 'none';
          }
          dataRows++;
          if (kind === 'none') {
            const line = push(fields);
            accepted.push({ fields, line });
            clean.push(key(r.user, r.item, ts * 1000, r.action, r.value ?? Number.NaN));
            cleanUsers.add(r.user);
            return;
          }
          if (kind === 'duplicate') {
            const original = accepted[index % accepted.length];
            expectedReasons.set(push(original.fields), 'duplicate');
            return;
          }
          if (kind === 'missing_user') fields[0] = '';
          if (kind === 'missing_item') fields[1] = ' ';
          if (kind === 'bad_timestamp') fields[2] = 'soon';
          if (kind === 'bad_value') fields[4] = 'x1';
          if (kind === 'wrong_field_count') {
            fields.push('extra');
            wrongCounts++;
          }
          expectedReasons.set(push(fields), kind);
        });
        const text = lines.join(newline) + (t.finalNewline ? newline : '');
        const options: ParseOptions = {
          delimiter,
          hasHeader: t.header,
          encoding: 'utf-8',
          timestampFormat: 'epoch-s',
          mapping: {
            user: 0,
            item: 1,
            timestamp: 2,
            action: 3,
            value: 4,
            category: null,
            title: null,
          },
        };
        const source = bytesSource(new TextEncoder().encode(text), 'generated.csv');
        const { dataset, report, rejectedRows } = await ingestInteractions(source, options, {
          sliceBytes: t.sliceBytes,
        });

        expect(report.dataRows).toBe(dataRows);
        expect(report.accepted + report.rejected).toBe(report.dataRows);
        expect(report.blankLines).toBe(blank);
        expect(new Map(rejectedRows.map((r) => [r.line, r.reason]))).toEqual(expectedReasons);

        const got: string[] = [];
        for (let k = 0; k < dataset.user.length; k++) {
          const action = dataset.action[k] < 0 ? '' : dataset.actionNames[dataset.action[k]];
          got.push(
            key(
              dataset.userIds[dataset.user[k]],
              dataset.itemIds[dataset.item[k]],
              dataset.timestamp[k],
              action,
              dataset.value[k],
            ),
          );
        }
        expect(got.sort()).toEqual([...clean].sort());

        expect(new Set(dataset.userIds).size).toBe(dataset.userIds.length);
        expect(new Set(dataset.userIds)).toEqual(cleanUsers);
        expect(new Set(dataset.itemIds).size).toBe(dataset.itemIds.length);
        for (let k = 0; k < dataset.user.length; k++) {
          expect(dataset.user[k]).toBeLessThan(dataset.userIds.length);
          expect(dataset.item[k]).toBeLessThan(dataset.itemIds.length);
        }
      }),
      { numRuns: 100, seed: 20240601 },
    );
  });
});
