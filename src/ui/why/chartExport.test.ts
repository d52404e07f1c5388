import { describe, expect, it } from 'vitest';
import { escapeXml, exportSvgDocument } from './chartExport';

describe('exportSvgDocument', () => {
  const content = '<rect x="1" y="2" width="3" height="4" style="fill:#123456"/>';

  it('wraps the chart in a standalone document: namespace, white background, title, legend', () => {
    const out = exportSvgDocument({
      content,
      width: 400,
      height: 100,
      title: 'Faithfulness',
      legend: 'shap: deletion AUC 0.5',
    });
    expect(out.width).toBe(400);
    // Title row (12 + 20) + chart (100) + legend (8 + 16) + 8.
    expect(out.height).toBe(164);
    expect(
      out.text.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="164"'),
    ).toBe(true);
    expect(out.text).toContain('<rect x="0" y="0" width="400" height="164" fill="#ffffff"/>');
    expect(out.text).toContain('>Faithfulness</text>');
    expect(out.text).toContain('>shap: deletion AUC 0.5</text>');
    expect(out.text).toContain(`<svg x="0" y="32" width="400" height="100" viewBox="0 0 400 100"`);
    expect(out.text).toContain(content);
    expect(out.text.endsWith('</svg>')).toBe(true);
  });

  it('escapes the title and legend (strings from the data are never markup)', () => {
    const out = exportSvgDocument({
      content: '',
      width: 320,
      height: 50,
      title: '<script>alert(1)</script> & "x"',
    });
    expect(out.text).not.toContain('<script>');
    expect(out.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
  });

  it('wraps a long legend over several lines and keeps a minimum width', () => {
    const out = exportSvgDocument({
      content: '',
      width: 200,
      height: 50,
      title: 'T',
      legend: 'word '.repeat(60).trim(),
    });
    expect(out.width).toBe(320);
    const lines = out.text.match(/font-size="12"/g) ?? [];
    expect(lines.length).toBeGreaterThan(2);
    expect(out.height).toBe(32 + 50 + 8 + lines.length * 16 + 8);
  });
});

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;',
    );
  });
});
