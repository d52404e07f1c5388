/**
 * Joins an item metadata file (titles, categories/tags, one-hot genres) onto a loaded
 * dataset by item id. Rows for items the interactions never mention are counted, not added.
 */
import { readTableLayout, type TableLayout } from './detect';
import type { IngestHooks } from './ingest';
import { Indexer, splitCategories } from './interactionCollector';
import { detectItemMetadata, type ItemMetadataDetection, oneHotNames } from './itemMetadataDetect';
import { isWellFormedRow, type RowCounts } from './recordShape';
import { InvalidUtf8Error, streamRecords, throwIfCancelled } from './recordStream';
import { RejectionLog } from './rejections';
import { tableStreamOptions, windows1252FallbackNotice } from './tableStream';
import {
  type ByteSource,
  type Dataset,
  IngestError,
  type ItemMetadataOptions,
  type ItemMetadataSummary,
  type Notice,
  type RejectedRow,
} from './types';

export interface ItemMetadataResult {
  dataset: Dataset;
  summary: ItemMetadataSummary;
  rejectedRows: RejectedRow[];
}

/**
 * Reads item metadata and returns a new dataset with titles and categories joined on (the
 * input dataset is not changed). A non-empty title from the file replaces the item's title;
 * categories are added to those the item already has. The first row for an item id wins;
 * later ones are rejected as duplicates.
 */
export async function ingestItemMetadata(
  source: ByteSource,
  options: ItemMetadataOptions | null,
  dataset: Dataset,
  hooks: IngestHooks = {},
): Promise<ItemMetadataResult> {
  throwIfCancelled(hooks.signal);
  const chosen = options ?? optionsOnly(await detectItemMetadata(source));
  const layout = await readTableLayout(source, {
    delimiter: chosen.delimiter,
    hasHeader: chosen.hasHeader,
    // Detected options: let the sample re-decide, so its fallback notice is reported.
    encoding: options === null ? undefined : chosen.encoding,
    expectation: 'items',
  });
  checkItemOptions(chosen, layout);
  const fallback = layout.notices.find((n) => n.code === 'encoding-fallback');
  const notices = layout.notices.filter((n) => n.code !== 'encoding-fallback');
  const encoding = fallback ? 'windows-1252' : chosen.encoding;
  try {
    return await joinItems(source, { ...chosen, encoding }, layout, dataset, hooks, [
      ...notices,
      ...(fallback && encoding === 'windows-1252' ? [fallback] : []),
    ]);
  } catch (error) {
    if (!(error instanceof InvalidUtf8Error)) throw error;
    const notice = windows1252FallbackNotice(error);
    return joinItems(source, { ...chosen, encoding: 'windows-1252' }, layout, dataset, hooks, [
      ...notices,
      notice,
    ]);
  }
}

function optionsOnly(detection: ItemMetadataDetection): ItemMetadataOptions {
  const { delimiter, hasHeader, encoding, item, title, category, oneHot } = detection;
  return { delimiter, hasHeader, encoding, item, title, category, oneHot };
}

function checkItemOptions(options: ItemMetadataOptions, layout: TableLayout): void {
  const columns = [options.item, options.title, options.category, ...options.oneHot];
  for (const column of columns) {
    if (column !== null && (column < 0 || column >= layout.fieldCount)) {
      throw new IngestError(
        `Column ${column + 1} is selected, but the file has ${layout.fieldCount} columns with this delimiter.`,
        'not-a-table',
      );
    }
  }
}

async function joinItems(
  source: ByteSource,
  options: ItemMetadataOptions,
  layout: TableLayout,
  dataset: Dataset,
  hooks: IngestHooks,
  notices: Notice[],
): Promise<ItemMetadataResult> {
  const itemIndex = new Map<string, number>(dataset.itemIds.map((id, i) => [id, i]));
  const titles = [...dataset.itemTitle];
  const categories = dataset.itemCategories.map((list) => [...list]);
  const names = new Indexer();
  for (const name of dataset.categoryNames) names.of(name);
  const hotNames = oneHotNames(options, layout.header);
  const used = new Set<string>();
  const firstLine = new Map<string, number>();
  const log = new RejectionLog();
  const expected = layout.fieldCount;
  const counts: RowCounts = { dataRows: 0, blankLines: 0, headerSeen: !options.hasHeader };
  let matched = 0;
  let unknown = 0;

  const addCategory = (item: number, name: string) => {
    used.add(name);
    const c = names.of(name);
    if (!categories[item].includes(c)) categories[item].push(c);
  };

  await streamRecords(
    source,
    tableStreamOptions(options, layout, hooks, (bytesRead) =>
      hooks.onProgress?.({
        phase: 'reading',
        bytesRead,
        totalBytes: source.size,
        rows: counts.dataRows,
      }),
    ),
    (batch) => {
      for (let r = 0; r < batch.rows.length; r++) {
        if (!isWellFormedRow(batch, r, expected, counts, log, false)) continue;
        const fields = batch.rows[r];
        const line = batch.lines[r];
        const id = fields[options.item].trim();
        if (id === '') {
          log.add(line, 'missing_item', 'item id is empty', fields);
          continue;
        }
        const earlier = firstLine.get(id);
        if (earlier !== undefined) {
          log.add(line, 'duplicate', `duplicate of line ${earlier}`, fields);
          continue;
        }
        firstLine.set(id, line);
        const item = itemIndex.get(id);
        if (item === undefined) {
          unknown++;
          continue;
        }
        matched++;
        if (options.title !== null) {
          const title = fields[options.title].trim();
          if (title !== '') titles[item] = title;
        }
        if (options.category !== null) {
          for (const name of splitCategories(fields[options.category])) addCategory(item, name);
        }
        options.oneHot.forEach((column, k) => {
          if (fields[column].trim() === '1') addCategory(item, hotNames[k]);
        });
      }
    },
  );
  throwIfCancelled(hooks.signal);
  hooks.onProgress?.({
    phase: 'summarising',
    bytesRead: source.size,
    totalBytes: source.size,
    rows: counts.dataRows,
  });

  const blank = counts.blankLines;
  if (blank > 0) {
    notices.push({
      level: 'info',
      code: 'blank-lines',
      message: `${blank} blank line${blank === 1 ? ' was' : 's were'} skipped.`,
    });
  }
  if (unknown > 0) {
    notices.push({
      level: 'info',
      code: 'unknown-items',
      message: `${unknown} item${unknown === 1 ? ' in the metadata never occurs' : 's in the metadata never occur'} in the interactions; left out.`,
    });
  }
  const without = dataset.itemIds.length - matched;
  if (without > 0) {
    notices.push({
      level: 'info',
      code: 'items-without-metadata',
      message: `${without} of ${dataset.itemIds.length} items in the interactions have no row in the metadata file.`,
    });
  }
  const summary: ItemMetadataSummary = {
    fileName: source.name,
    rows: counts.dataRows,
    accepted: matched + unknown,
    rejected: log.total,
    rejectedByReason: log.byReason(),
    matchedItems: matched,
    unknownItems: unknown,
    categories: used.size,
    options,
    notices,
  };
  return {
    dataset: {
      ...dataset,
      itemTitle: titles,
      itemCategories: categories,
      categoryNames: names.names,
    },
    summary,
    rejectedRows: log.sortedRows(),
  };
}
