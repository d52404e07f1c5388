/**
 * Charts as files: an SVG document that stands on its own (white background, the chart's
 * title above it and its legend or description below, every style it needs inlined, the SVG
 * namespace declared) and a PNG drawn from it on a canvas. The document is assembled by a pure
 * function over the chart's markup ({@link exportSvgDocument}, tested in Node); only reading
 * the live chart (`svgForExport`) and rasterising (`pngFromSvg`) need a browser.
 */
import { wrapText } from '../charts/palette';

const SVG_NS = 'http://www.w3.org/2000/svg';
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif';
const TITLE_SIZE = 15;
const LEGEND_SIZE = 12;

export interface SvgExportInput {
  /** The chart's content: the serialised children of its `<svg>` (XML). */
  content: string;
  /** The chart's own size (its viewBox). */
  width: number;
  height: number;
  title: string;
  /** A line or paragraph under the chart (a legend, or the chart's description). */
  legend?: string;
}

export interface SvgExport {
  text: string;
  width: number;
  height: number;
}

/** `text` safe inside XML text and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/**
 * A standalone SVG document: white background, the title (wrapped) on top, the chart below it
 * at its own size, the legend (wrapped) under the chart. Strings are escaped, so a title from
 * the data cannot inject markup.
 */
export function exportSvgDocument(input: SvgExportInput): SvgExport {
  const width = Math.max(320, Math.ceil(input.width));
  const titleLines = wrapText(input.title, width - 24, TITLE_SIZE);
  const legendLines = input.legend ? wrapText(input.legend, width - 24, LEGEND_SIZE) : [];
  const header = 12 + titleLines.length * 20;
  const chartHeight = Math.ceil(input.height);
  const footer = legendLines.length ? 8 + legendLines.length * 16 : 0;
  const height = header + chartHeight + footer + 8;
  const text = (lines: string[], y0: number, step: number, size: number, weight: number) =>
    lines
      .map(
        (line, k) =>
          `<text x="12" y="${y0 + k * step}" font-family="${FONT}" font-size="${size}" font-weight="${weight}" fill="#1d2330">${escapeXml(line)}</text>`,
      )
      .join('');
  const markup = [
    `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    text(titleLines, 8 + TITLE_SIZE, 20, TITLE_SIZE, 600),
    `<svg x="0" y="${header}" width="${Math.ceil(input.width)}" height="${chartHeight}" viewBox="0 0 ${input.width} ${input.height}" font-family="${FONT}" font-size="11">`,
    input.content,
    '</svg>',
    text(legendLines, header + chartHeight + 8 + LEGEND_SIZE, 16, LEGEND_SIZE, 400),
    '</svg>',
  ].join('');
  return { text: markup, width, height };
}

/** Styles a chart's CSS may set, copied onto the exported elements (shapes and text). */
const SHAPE_STYLES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'visibility',
];
const TEXT_STYLES = ['font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline'];
const SHAPES = new Set([
  'rect',
  'circle',
  'ellipse',
  'line',
  'path',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'use',
]);

/** Copies the computed styles that matter from each live element onto its clone. */
function inlineStyles(live: SVGSVGElement, clone: SVGSVGElement): void {
  const from = live.querySelectorAll('*');
  const to = clone.querySelectorAll('*');
  from.forEach((element, k) => {
    const target = to[k] as SVGElement | undefined;
    if (!target) return;
    const name = element.localName;
    const computed = getComputedStyle(element);
    if (computed.display === 'none') {
      target.setAttribute('display', 'none');
      return;
    }
    if (name === 'g') {
      if (computed.opacity !== '1') target.setAttribute('opacity', computed.opacity);
      if (computed.visibility === 'hidden') target.setAttribute('visibility', 'hidden');
      return;
    }
    if (!SHAPES.has(name)) return;
    const props =
      name === 'text' || name === 'tspan' ? [...SHAPE_STYLES, ...TEXT_STYLES] : SHAPE_STYLES;
    const style = props
      .map((p) => [p, computed.getPropertyValue(p)] as const)
      .filter(([, v]) => v !== '')
      .map(([p, v]) => `${p}:${v}`)
      .join(';');
    target.setAttribute('style', style);
    target.removeAttribute('tabindex');
  });
  for (const el of clone.querySelectorAll('[tabindex]')) el.removeAttribute('tabindex');
}

/** The live chart `svg` as a standalone document (styles inlined) with its size. */
export function svgExport(svg: SVGSVGElement, title: string, legend?: string): SvgExport {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(svg, clone);
  const box = svg.viewBox.baseVal;
  const rect = svg.getBoundingClientRect();
  const width = box && box.width > 0 ? box.width : rect.width || 600;
  const height = box && box.height > 0 ? box.height : rect.height || 300;
  const serializer = new XMLSerializer();
  const content = Array.from(clone.childNodes, (node) => serializer.serializeToString(node)).join(
    '',
  );
  return exportSvgDocument({ content, width, height, title, legend });
}

/** The live chart `svg` as standalone SVG text with its title and legend. */
export function svgForExport(svg: SVGSVGElement, title: string, legend?: string): string {
  return svgExport(svg, title, legend).text;
}

/**
 * A PNG of `svgText` at `width` x `height` pixels on a white background (an `<img>` from a
 * blob URL drawn on a canvas: the page's CSP allows `img-src blob:`, nothing leaves the page).
 */
export async function pngFromSvg(svgText: string, width: number, height: number): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const image = new Image();
    image.decoding = 'async';
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('The chart could not be drawn as an image.'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(width));
    canvas.height = Math.max(1, Math.round(height));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser cannot draw on a canvas.');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be encoded.'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
