/**
 * The explanation charts rendered to static markup in Node (no DOM): the test hooks the page's
 * end-to-end tests read, the accessible structure, and strings from the data rendered as text.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TimelineItem } from '../../worker/api';
import { AttributionBars } from '../charts/AttributionBars';
import { AttributionStrip } from '../charts/AttributionStrip';
import { FaithfulnessChart } from '../charts/FaithfulnessChart';
import { MethodAgreementMatrix } from '../charts/MethodAgreementMatrix';
import { RollupBars } from '../charts/RollupBars';
import { UserTimeline } from '../charts/UserTimeline';
import { attributionBarItems, attributionRows, readTimelineItems } from './attributionRows';
import { ChartCard } from './ChartCard';
import { testReport } from './testReport';

const report = testReport();
const EVIL = '<img src=x onerror=alert(1)>';
const read = readTimelineItems(report);
const items: TimelineItem[] = [
  {
    itemId: 'u0',
    title: EVIL,
    categories: ['Drama'],
    time: Date.UTC(2025, 0, 1),
    position: 0,
    read: false,
  },
  ...read,
];

const count = (html: string, pattern: RegExp) => (html.match(pattern) ?? []).length;

describe('UserTimeline markup', () => {
  const html = renderToStaticMarkup(
    createElement(UserTimeline, { items, removed: new Set([6]), selected: 8, onToggle: () => {} }),
  );

  it('has the test hooks: one timeline-item per interaction with id, position and read flag', () => {
    expect(html).toContain('data-testid="user-timeline"');
    expect(count(html, /data-testid="timeline-item"/g)).toBe(7);
    expect(html).toMatch(
      /data-item-id="u0" data-position="0" data-read="false" data-removed="false"/,
    );
    expect(html).toMatch(
      /data-item-id="m3" data-position="6" data-read="true" data-removed="true"/,
    );
  });

  it('is a labelled group holding a role=img drawing and buttons, one of them in the tab order', () => {
    expect(html).toMatch(/<svg data-testid="user-timeline" role="group" aria-labelledby="[^"]+"/);
    expect(html).toContain(
      'role="img" aria-label="History of 7 interactions, oldest first: model reads the last 6; 1 older not read;',
    );
    expect(count(html, /role="button"/g)).toBe(7);
    expect(count(html, /tabindex="0"/g)).toBe(1);
    expect(count(html, /tabindex="-1"/g)).toBe(6);
    expect(html).toContain(
      'aria-label="Alien, Sci-Fi, Horror, 2025-03-05, position 6, read by the model, removed in the what-if (press to restore)" aria-pressed="true"',
    );
    expect(html).toContain('model reads the last 6; 1 older not read');
  });

  it('renders titles from the data as text, never as markup', () => {
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('without onToggle the marks are disabled buttons', () => {
    const plain = renderToStaticMarkup(
      createElement(UserTimeline, { items, removed: new Set<number>() }),
    );
    expect(count(plain, /aria-disabled="true"/g)).toBe(7);
    expect(plain).not.toContain('aria-pressed');
  });
});

describe('AttributionStrip markup', () => {
  const html = renderToStaticMarkup(
    createElement(AttributionStrip, { items: read, rows: attributionRows(report.methods) }),
  );

  it('one attribution per read item and method, with the raw value', () => {
    expect(count(html, /data-testid="attribution"/g)).toBe(24);
    expect(html).toContain(
      'data-testid="attribution" data-method="exact" data-item-id="m2" data-position="5" data-value="-0.2"',
    );
    expect(html).toContain(
      '<title>exact: −0.200 score for =HYPERLINK(&quot;http://x&quot;) (#5)</title>',
    );
  });

  it('is an image with a title and a description stating its content', () => {
    expect(html).toMatch(/<svg data-testid="attribution-strip" role="img" aria-labelledby=/);
    expect(html).toContain('Attributions of 6 read history items by 4 methods');
    expect(html).toMatch(/<linearGradient id="g[A-Za-z0-9_-]+"/);
  });
});

describe('AttributionBars, RollupBars, MethodAgreementMatrix, FaithfulnessChart markup', () => {
  it('AttributionBars: text labels and no attribution test ids (the strip owns them)', () => {
    const html = renderToStaticMarkup(
      createElement(AttributionBars, {
        method: 'shap',
        unit: 'score',
        items: attributionBarItems(report, 'shap'),
        limit: 3,
      }),
    );
    expect(html).toContain('1. Dune');
    expect(html).toContain('Sci-Fi, Horror · #6');
    expect(html).toContain('and 3 more items with smaller |values|');
    expect(html).not.toContain('data-testid="attribution"');
  });

  it('RollupBars: one row per entry', () => {
    const html = renderToStaticMarkup(
      createElement(RollupBars, {
        title: 'shap by time window',
        entries: report.rollups.window.shap,
      }),
    );
    expect(count(html, /class="signed-bar"/g)).toBe(3);
    expect(html).toContain('1–7 days before');
  });

  it('MethodAgreementMatrix: the test hook, numbers in cells', () => {
    const html = renderToStaticMarkup(createElement(MethodAgreementMatrix, { report }));
    expect(html).toContain('data-testid="method-agreement"');
    expect(html).toContain(
      'data-methods="exact,attention,occlusion,shap" data-common-top3="m5,m3"',
    );
    expect(count(html, /class="agreement-cell"/g)).toBe(16);
    expect(html).toContain('>0.85</text>');
  });

  it('FaithfulnessChart: AUC attributes for every method including random, POS@K table', () => {
    const html = renderToStaticMarkup(
      createElement(FaithfulnessChart, { faithfulness: report.faithfulness }),
    );
    expect(html).toContain('data-testid="faithfulness"');
    for (const [m, d, i] of [
      ['exact', 0.5, 1.4],
      ['shap', 0.55, 1.35],
      ['random', 1.2, 0.9],
    ]) {
      expect(html).toContain(`data-deletion-auc-${m}="${d}"`);
      expect(html).toContain(`data-insertion-auc-${m}="${i}"`);
    }
    expect(html).toContain('deletion POS@10');
    expect(count(html, /<tr data-method=/g)).toBe(3);
  });
});

describe('ChartCard markup', () => {
  it('a titled card with its own export buttons', () => {
    const html = renderToStaticMarkup(
      createElement(
        ChartCard,
        // createElement's typing wants `children` among the props; it is passed after them.
        {
          title: 'Method agreement',
          description: 'How far the methods agree.',
          exportName: 'x',
        } as Parameters<typeof ChartCard>[0],
        createElement(MethodAgreementMatrix, { report }),
      ),
    );
    expect(html).toContain('<h3>Method agreement</h3>');
    expect(html).toContain('data-testid="export-chart-svg"');
    expect(html).toContain('data-testid="export-chart-png"');
    expect(html).toContain('aria-label="Download Method agreement as PNG"');
  });
});
