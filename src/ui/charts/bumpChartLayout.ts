/**
 * Lays out a bump chart of ranked lists side by side (one user's top-10 from each of 2-4
 * models): per column a header and one row per rank with the item's label, and between
 * adjacent columns a smooth link from an item's rank in one list to its rank in the next.
 * Items found in neither neighbouring list get no link (and are drawn muted); the held-out
 * item is starred. Pure (no DOM), so it is tested in Node.
 */
import { roundPixel as round } from './chartFrame';
import { truncateText } from './palette';

export interface BumpItem {
  itemId: string;
  title: string | null;
  /** The user's actual next (held-out) item. */
  hit: boolean;
}

export interface BumpColumnInput {
  key: string;
  label: string;
  colour: string;
  /** The ranked list, best first (rank 1 is index 0). */
  items: BumpItem[];
}

export interface BumpRow {
  /** 1-based. */
  rank: number;
  itemId: string;
  /** The title (or the id when there is none), starred when a hit, cut to the column. */
  label: string;
  /** The full title or id, without the star. */
  fullLabel: string;
  hit: boolean;
  /** The item is also in a neighbouring column (it has at least one link). */
  shared: boolean;
  /** Start of the label text. */
  x: number;
  /** Baseline of the rank number and the label. */
  y: number;
  /** Vertical centre of the row (where links attach). */
  cy: number;
  /** Right edge of the rank number (drawn right-aligned). */
  rankX: number;
}

export interface BumpColumn {
  key: string;
  /** The header cut to the column (the full one is `fullLabel`). */
  label: string;
  fullLabel: string;
  colour: string;
  /** Left edge and width of the column. */
  x: number;
  width: number;
  headerY: number;
  rows: BumpRow[];
}

export interface BumpLink {
  /** `${fromColumn}:${itemId}`. */
  key: string;
  itemId: string;
  /** Index of the left column; the right one is `fromColumn + 1`. */
  fromColumn: number;
  fromRank: number;
  toRank: number;
  sameRank: boolean;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** A horizontal cubic Bézier from (x1, y1) to (x2, y2). */
  path: string;
}

export interface BumpChartLayout {
  width: number;
  height: number;
  columns: BumpColumn[];
  links: BumpLink[];
  /** Most rows in any column. */
  rowCount: number;
  empty: boolean;
}

export const BUMP_PAD = 8;
/** Room between adjacent columns for the links. */
export const BUMP_GAP = 56;
export const BUMP_COLUMN_WIDTH = 170;
const TOP = 8;
const HEADER = 26;
const ROW = 20;
const RANK_SPACE = 22;

/** The width that gives `columns` columns of the default column width. */
export function bumpChartWidth(columns: number): number {
  const n = Math.max(1, columns);
  return BUMP_PAD * 2 + n * BUMP_COLUMN_WIDTH + (n - 1) * BUMP_GAP;
}

/** What a row shows: the title when it has one (not blank), else the item id. */
export function bumpItemLabel(item: BumpItem): string {
  return item.title?.trim() ? item.title : item.itemId;
}

/** A horizontal cubic link with both control points halfway across. */
export function linkPath(x1: number, y1: number, x2: number, y2: number): string {
  const mx = round((x1 + x2) / 2);
  return `M${x1},${y1}C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
}

/** The rank (1-based) of each item id in `items`; a repeated id keeps its first rank. */
function ranksOf(items: readonly BumpItem[]): Map<string, number> {
  const ranks = new Map<string, number>();
  items.forEach((item, k) => {
    if (!ranks.has(item.itemId)) ranks.set(item.itemId, k + 1);
  });
  return ranks;
}

/** Columns left to right, rows by rank, and the links between adjacent columns. */
export function bumpChartLayout(
  columns: readonly BumpColumnInput[],
  options: { width: number },
): BumpChartLayout {
  const { width } = options;
  const n = columns.length;
  const columnWidth = n > 0 ? Math.max(40, (width - BUMP_PAD * 2 - (n - 1) * BUMP_GAP) / n) : 0;
  const ranks = columns.map((column) => ranksOf(column.items));
  const rowY = (rank: number) => TOP + HEADER + (rank - 1) * ROW;

  const laidOut = columns.map((column, i): BumpColumn => {
    const x = round(BUMP_PAD + i * (columnWidth + BUMP_GAP));
    const seen = new Set<string>();
    const rows = column.items.map((item, k): BumpRow => {
      const first = !seen.has(item.itemId);
      seen.add(item.itemId);
      const shared =
        first &&
        ((i > 0 && ranks[i - 1].has(item.itemId)) || (i < n - 1 && ranks[i + 1].has(item.itemId)));
      const fullLabel = bumpItemLabel(item);
      const top = rowY(k + 1);
      return {
        rank: k + 1,
        itemId: item.itemId,
        label: truncateText(`${item.hit ? '★ ' : ''}${fullLabel}`, columnWidth - RANK_SPACE),
        fullLabel,
        hit: item.hit,
        shared,
        x: round(x + RANK_SPACE),
        y: top + 14,
        cy: top + 10,
        rankX: round(x + RANK_SPACE - 6),
      };
    });
    return {
      key: column.key,
      label: truncateText(column.label, columnWidth - 14, 12),
      fullLabel: column.label,
      colour: column.colour,
      x,
      width: round(columnWidth),
      headerY: TOP + 14,
      rows,
    };
  });

  const links: BumpLink[] = [];
  for (let i = 0; i + 1 < n; i++) {
    const left = laidOut[i];
    const right = laidOut[i + 1];
    for (const [itemId, fromRank] of ranks[i]) {
      const toRank = ranks[i + 1].get(itemId);
      if (toRank === undefined) continue;
      const x1 = round(left.x + left.width + 4);
      const x2 = round(right.x - 4);
      const y1 = rowY(fromRank) + 10;
      const y2 = rowY(toRank) + 10;
      links.push({
        key: `${i}:${itemId}`,
        itemId,
        fromColumn: i,
        fromRank,
        toRank,
        sameRank: fromRank === toRank,
        x1,
        y1,
        x2,
        y2,
        path: linkPath(x1, y1, x2, y2),
      });
    }
  }

  let rowCount = 0;
  for (const column of columns) rowCount = Math.max(rowCount, column.items.length);
  return {
    width,
    height: rowY(Math.max(1, rowCount) + 1) + 8,
    columns: laidOut,
    links,
    rowCount,
    empty: rowCount === 0,
  };
}
