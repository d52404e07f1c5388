/**
 * Detection for item metadata files (item id, title, categories or tags, or one-hot genre
 * columns as in ml-100k's `u.item`).
 */
import { isCategoryListLike, isIdLike, isTitleLike, profileColumn } from './columnProfile';
import { readTableLayout, type TableLayout } from './detect';
import { normalizeHeader, roleOfHeader } from './synonyms';
import {
  type ByteSource,
  type DetectedColumn,
  IngestError,
  type ItemMetadataOptions,
  type Notice,
} from './types';

/** Fewest adjacent 0/1 columns read as one-hot categories (a lone flag is not a genre set). */
const MIN_ONE_HOT_RUN = 2;

export type ItemMetadataDetection = ItemMetadataOptions & {
  columns: DetectedColumn[];
  notices: Notice[];
};

/** Names of the categories that one-hot columns stand for: header names, else `genre N`. */
export function oneHotNames(options: ItemMetadataOptions, header: string[] | null): string[] {
  return options.oneHot.map((column, k) => (header?.[column] ? header[column] : `genre ${k + 1}`));
}

/** Role assignment on a settled layout; exported for ingest with user-edited options. */
export function inferItemColumns(
  layout: TableLayout,
): Omit<ItemMetadataOptions, 'delimiter' | 'hasHeader' | 'encoding'> | null {
  const profiles = layout.columns.map((col) => profileColumn(layout.dataRows, col.index));
  const named = (c: number) => (layout.header ? roleOfHeader(layout.header[c]) : null);
  const isIdName = (c: number) =>
    named(c) === 'item' || (layout.header !== null && normalizeHeader(layout.header[c]) === 'id');
  let item = profiles.findIndex((p) => isIdName(p.index));
  if (item < 0) item = profiles.findIndex((p) => named(p.index) === null && isIdLike(p));
  if (item < 0) return null;
  const taken = new Set<number>([item]);
  const pick = (role: 'title' | 'category', fits: (p: (typeof profiles)[number]) => boolean) => {
    let found = profiles.find((p) => !taken.has(p.index) && named(p.index) === role);
    found ??= profiles.find((p) => !taken.has(p.index) && named(p.index) === null && fits(p));
    if (found) taken.add(found.index);
    return found ? found.index : null;
  };
  const title = pick('title', isTitleLike);
  const category = pick('category', isCategoryListLike);
  const oneHot: number[] = [];
  let run: number[] = [];
  const flush = () => {
    if (run.length >= MIN_ONE_HOT_RUN) oneHot.push(...run);
    run = [];
  };
  for (const p of profiles) {
    if (!taken.has(p.index) && p.filled >= 0.9 && p.binary === 1) run.push(p.index);
    else flush();
  }
  flush();
  return { item, title, category, oneHot };
}

/**
 * Sniffs an item metadata file. Throws {@link IngestError} with one sentence when it has no
 * column that could hold item ids.
 */
export async function detectItemMetadata(source: ByteSource): Promise<ItemMetadataDetection> {
  const layout = await readTableLayout(source, { expectation: 'items' });
  const roles = inferItemColumns(layout);
  if (roles === null) {
    throw new IngestError(
      'This file does not look like item metadata: expected delimited text with an item id column, but found none.',
      'no-user-item',
    );
  }
  const notices = [...layout.notices];
  if (roles.title === null && roles.category === null && roles.oneHot.length === 0) {
    notices.push({
      level: 'warning',
      code: 'no-metadata-columns',
      message: 'No title, category or genre columns were found; choose them in the mapping.',
    });
  }
  return {
    delimiter: layout.delimiter,
    hasHeader: layout.hasHeader,
    encoding: layout.sample.encoding,
    ...roles,
    columns: layout.columns,
    notices,
  };
}
