import { describe, expect, it } from 'vitest';
import { explanationCsv } from './explanationCsv';
import { testReport } from './testReport';

/** A minimal RFC 4180 parser (quoted fields, doubled quotes, CRLF), to read the CSV back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('explanationCsv', () => {
  const csv = explanationCsv(testReport());
  const rows = parseCsv(csv);

  it('has one row per history item and method that ran, after the header, CRLF-terminated', () => {
    expect(rows[0]).toEqual([
      'method',
      'item',
      'title',
      'categories',
      'position',
      'time',
      'value',
      'unit',
    ]);
    // exact, attention, occlusion, shap ran (ig did not): 4 methods x 6 items.
    expect(rows).toHaveLength(1 + 4 * 6);
    expect(new Set(rows.slice(1).map((r) => r[0]))).toEqual(
      new Set(['exact', 'attention', 'occlusion', 'shap']),
    );
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n').every((line) => !line.includes('\n'))).toBe(true);
  });

  it('neutralises a title that starts with = and quotes it as RFC 4180 says', () => {
    const row = rows.find((r) => r[0] === 'exact' && r[1] === 'm2') as string[];
    expect(row[2]).toBe(`'=HYPERLINK("http://x")`);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    const comma = rows.find((r) => r[0] === 'exact' && r[1] === 'm4') as string[];
    expect(comma[2]).toBe('Love, "Actually"');
  });

  it('keeps negative values as numbers (only text cells are neutralised)', () => {
    const row = rows.find((r) => r[0] === 'exact' && r[1] === 'm2') as string[];
    expect(row[6]).toBe('-0.2');
    expect(Number(row[6])).toBe(-0.2);
    expect(row.slice(3)).toEqual(['Drama', '5', '2025-02-26T12:00:00.000Z', '-0.2', 'score']);
    const untitled = rows.find((r) => r[0] === 'shap' && r[1] === 'm6') as string[];
    expect(untitled.slice(2, 5)).toEqual(['', '', '9']);
  });

  it('writes categories joined by |, units per method', () => {
    const alien = rows.find((r) => r[0] === 'attention' && r[1] === 'm3') as string[];
    expect(alien[3]).toBe('Sci-Fi|Horror');
    expect(alien[7]).toBe('weight');
  });

  it('neutralises ids and categories too, and writes a report with no method as a header only', () => {
    const report = testReport();
    const history = report.history.map((h) => ({ ...h, item: h.position === 4 ? '-m1' : h.item }));
    history[0].categories = ['@cat', '+x'];
    const shap = report.methods.shap as Extract<typeof report.methods.shap, { status: 'ok' }>;
    const methods = {
      shap: {
        ...shap,
        attributions: shap.attributions.map((a) => (a.position === 4 ? { ...a, item: '-m1' } : a)),
      },
    };
    const out = parseCsv(explanationCsv({ history, methods }));
    expect(out[1].slice(0, 4)).toEqual(['shap', "'-m1", 'Solaris', "'@cat|+x"]);
    expect(explanationCsv({ history, methods: {} })).toBe(
      'method,item,title,categories,position,time,value,unit\r\n',
    );
  });
});

describe('explanationCsv against formula injection', () => {
  const withTitles = (titles: string[], item = (i: string) => i) => {
    const report = testReport();
    const history = report.history.map((h, i) => ({ ...h, title: titles[i] ?? h.title }));
    const shap = report.methods.shap as Extract<typeof report.methods.shap, { status: 'ok' }>;
    const methods = {
      shap: { ...shap, attributions: shap.attributions.map((a) => ({ ...a, item: item(a.item) })) },
    };
    return parseCsv(explanationCsv({ history, methods })).slice(1);
  };

  it('neutralises signed formulas in titles (the tracker reproducers)', () => {
    const titles = ["-2+3+cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", '-1+1', '@SUM(A1)', '\tx'];
    const rows = withTitles(titles);
    const byPosition = new Map(testReport().history.map((h, i) => [h.position, titles[i]]));
    for (const row of rows) {
      const title = byPosition.get(Number(row[4]));
      if (title !== undefined) expect(row[2]).toBe(`'${title}`);
    }
    expect(rows.filter((r) => r[2].startsWith("'"))).toHaveLength(titles.length);
  });

  it('keeps plain numbers (numeric titles, a numeric item id) as they are', () => {
    const titles = ['-1.5', '+3', '1e-3', '-0'];
    const rows = withTitles(titles, (i) => (i === 'm2' ? '-17' : i));
    const written = rows.map((r): [number, string] => [Number(r[4]), r[2]]);
    expect(written.filter(([position]) => position < 8).sort()).toEqual(
      titles.map((t, i) => [4 + i, t]).sort(),
    );
    expect(rows.find((r) => r[1] === '-17')).toBeDefined();
  });
});
