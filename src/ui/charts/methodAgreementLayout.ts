/**
 * Lays out the method-agreement matrix: one cell per pair of methods holding Spearman's rank
 * correlation, coloured on the diverging scale and printed as a number (colour is not the only
 * channel), with the items every method puts in its top 3 stated below. Pure: tested in Node.
 */
import { max } from 'd3';
import type { MethodAgreement } from '../why/agreement';
import { roundPixel as round } from './chartFrame';
import { divergingColour, textOnDiverging, textWidth, wrapText } from './palette';

export interface AgreementCell {
  row: string;
  column: string;
  value: number;
  text: string;
  x: number;
  y: number;
  size: number;
  fill: string;
  textFill: string;
}

export interface MethodAgreementLayout {
  width: number;
  height: number;
  cells: AgreementCell[];
  rowLabels: { method: string; x: number; y: number }[];
  columnLabels: { method: string; x: number; y: number }[];
  /** Lines under the matrix: the common top 3 and how to read the colours. */
  notes: { text: string; y: number }[];
  description: string;
}

const CELL = 40;

/** "0.82", "−0.15", "1.00": two decimals and a real minus sign. */
export function formatCorrelation(value: number): string {
  const text = value.toFixed(2);
  return value < 0 && text !== '-0.00' ? `−${text.slice(1)}` : text.replace('-', '');
}

/** The matrix of `agreement`; `nameOf` turns an item id into what the notes print (its title). */
export function methodAgreementLayout(
  agreement: MethodAgreement,
  nameOf: (itemId: string) => string = (id) => id,
): MethodAgreementLayout {
  const { methods } = agreement;
  const labelWidth = Math.max(40, max(methods, (m) => textWidth(m)) ?? 0);
  const left = 8 + labelWidth + 8;
  const top = 8 + Math.ceil(labelWidth * 0.72) + 6;
  const width = Math.max(320, left + methods.length * CELL + 12);
  const cells: AgreementCell[] = [];
  methods.forEach((row, i) => {
    methods.forEach((column, j) => {
      const value = agreement.spearman[i][j];
      cells.push({
        row,
        column,
        value,
        text: formatCorrelation(value),
        x: left + j * CELL,
        y: top + i * CELL,
        size: CELL - 2,
        fill: divergingColour(value),
        textFill: textOnDiverging(value),
      });
    });
  });
  const rowLabels = methods.map((method, i) => ({
    method,
    x: left - 6,
    y: round(top + i * CELL + CELL / 2),
  }));
  const columnLabels = methods.map((method, j) => ({
    method,
    x: round(left + j * CELL + CELL / 2),
    y: top - 6,
  }));

  const names = agreement.commonTop3.map(nameOf);
  const common =
    methods.length < 2
      ? methods.length === 1
        ? `Only ${methods[0]} ran: nothing to compare it with.`
        : 'No two methods ran: nothing to compare.'
      : names.length
        ? `In every method's top 3: ${names.join(', ')}.`
        : "No item is in every method's top 3.";
  const matrixBottom = methods.length ? top + methods.length * CELL : 8;
  const lines = [
    ...wrapText(common, width - 16),
    ...(methods.length >= 2
      ? wrapText(
          "Spearman's rank correlation: +1 (purple) the same order, −1 (orange) the reverse.",
          width - 16,
        )
      : []),
  ];
  const notes = lines.map((text, k) => ({ text, y: matrixBottom + 16 + k * 15 }));
  const pairs: string[] = [];
  methods.forEach((a, i) => {
    methods.forEach((b, j) => {
      if (j > i) pairs.push(`${a}–${b} ${formatCorrelation(agreement.spearman[i][j])}`);
    });
  });
  const description =
    methods.length >= 2
      ? `Rank correlation between ${methods.length} methods: ${pairs.join(', ')}. ${common}`
      : common;
  return {
    width,
    height: notes[notes.length - 1].y + 8,
    cells,
    rowLabels,
    columnLabels,
    notes,
    description,
  };
}
