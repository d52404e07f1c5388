/**
 * The files a mapping can come in: the CLI's JSON sidecar (`--mapping`) and the id lists it or
 * the page names (line k = the dataset id of model id k, `index,id` rows, or a JSON list).
 * Everything is checked as it is read; what is wrong is refused in one sentence.
 */
import { errorReason, fileText } from '../models/fileText';
import { isRecord } from '../persist/metaChecks';
import { type IdMapping, MAX_HISTORY, type ModelMapping, refuse } from './mapping';

/**
 * The ids of a JSON id list as text: strings as they are, numbers written out, null as ''
 * (an unused model id); anything else (a list, an object, true) refuses the list. Never
 * `String(v)`: `{"toString": 1}` throws and a list nested thousands deep overflows the stack.
 */
function jsonIds(values: unknown[], where: string): string[] {
  if (values.length > MAX_MAPPED_IDS) {
    refuse(`${where} lists more than ${MAX_MAPPED_IDS.toLocaleString('en-US')} ids.`);
  }
  const ids = new Array<string>(values.length);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (typeof v === 'string') ids[k] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) ids[k] = String(v);
    else if (v === null) ids[k] = '';
    else {
      refuse(`Entry ${k + 1} of ${where} is ${fileText(v)}, not an id (a string or a number).`);
    }
  }
  return ids;
}

function readIdMapping(raw: unknown, where: string, files: Map<string, string[]>): IdMapping {
  if (raw === undefined || raw === 'identity') return { kind: 'identity' };
  if (isRecord(raw)) {
    if (raw.kind === 'identity') return { kind: 'identity' };
    if (raw.kind === 'offset' && Number.isSafeInteger(raw.offset)) {
      return { kind: 'offset', offset: raw.offset as number };
    }
    if (raw.kind === 'list' && Array.isArray(raw.ids)) {
      return { kind: 'list', ids: jsonIds(raw.ids, `the mapping's ${where} list`) };
    }
    if (raw.kind === 'file' && typeof raw.file === 'string') {
      const ids = files.get(raw.file);
      if (!ids) {
        refuse(`The mapping's ${where} names the file ${fileText(raw.file)}, which was not given.`);
      }
      return { kind: 'list', ids };
    }
  }
  return refuse(
    `The mapping's ${where} must be "identity", {"kind": "offset", "offset": n}, {"kind": "file", "file": "..."} or {"kind": "list", "ids": [...]}.`,
  );
}

/**
 * Reads a mapping sidecar (JSON). `idFiles` holds the id lists of the files it may name
 * (`{"kind": "file", "file": "item_ids.txt"}`), already read by {@link parseIdList}.
 */
export function parseMapping(
  text: string,
  idFiles: Map<string, string[]> = new Map(),
): ModelMapping {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    refuse(`The mapping file is not valid JSON (${errorReason(error, 100)}).`);
  }
  if (!isRecord(raw)) refuse('The mapping file must be a JSON object.');
  if (raw.kind === 'history') {
    const maxLen = raw.maxLen;
    if (
      !Number.isSafeInteger(maxLen) ||
      (maxLen as number) < 1 ||
      (maxLen as number) > MAX_HISTORY
    ) {
      refuse(
        `The mapping's maxLen must be an integer from 1 to ${MAX_HISTORY.toLocaleString('en-US')}.`,
      );
    }
    const padding = raw.padding ?? 'left';
    if (padding !== 'left' && padding !== 'right')
      refuse('The mapping\'s padding must be "left" or "right".');
    const padValue = raw.padValue ?? 0;
    const outputOffset = raw.outputOffset ?? 0;
    if (!Number.isSafeInteger(padValue) || !Number.isSafeInteger(outputOffset)) {
      refuse("The mapping's padValue and outputOffset must be integers.");
    }
    return {
      kind: 'history',
      input: typeof raw.input === 'string' ? raw.input : '',
      maxLen: maxLen as number,
      padding,
      padValue: padValue as number,
      items: readIdMapping(raw.items, 'items', idFiles),
      outputOffset: outputOffset as number,
    };
  }
  if (raw.kind === 'ids') {
    return {
      kind: 'ids',
      userInput: typeof raw.userInput === 'string' ? raw.userInput : '',
      itemInput: typeof raw.itemInput === 'string' ? raw.itemInput : '',
      items: readIdMapping(raw.items, 'items', idFiles),
      users: readIdMapping(raw.users, 'users', idFiles),
    };
  }
  return refuse(
    'The mapping\'s kind must be "history" (a padded sequence of item ids in) or "ids" (a user id and an item id in).',
  );
}

/** Most ids a mapping file may list (bounds the memory a bad file can take). */
export const MAX_MAPPED_IDS = 10_000_000;

/**
 * An id list file: one id per line (line k = model id k), or a CSV whose first column is the
 * model id and second the dataset id (`index,item_id`, a header allowed), or a JSON array.
 */
export function parseIdList(text: string, fileName: string): string[] {
  const name = fileText(fileName, 60);
  // Leading empty lines matter (line 0 is model id 0, often the padding id, left empty):
  // only a BOM and the final line break are dropped.
  const body = text.replace(/^\uFEFF/, '').replace(/(\r\n|\n|\r)$/, '');
  const trimmed = body.trim();
  if (trimmed.startsWith('[')) {
    let raw: unknown;
    try {
      raw = JSON.parse(trimmed);
    } catch {
      refuse(`${name} starts like a JSON list but is not valid JSON.`);
    }
    if (!Array.isArray(raw)) refuse(`${name} starts like a JSON list but is not one.`);
    return jsonIds(raw, name);
  }
  const lines = body.split(/\r\n|\n|\r/);
  if (lines.length > MAX_MAPPED_IDS) {
    refuse(`${name} has more than ${MAX_MAPPED_IDS.toLocaleString('en-US')} lines.`);
  }
  // `index,id` rows when the first line (or the one after a header) starts with a model id.
  const pairs = lines.slice(0, 2).some((l) => /^\s*\d+\s*[,\t;]/.test(l));
  if (!pairs) return lines.map((l) => l.trim());
  const ids: string[] = [];
  const given = new Set<number>();
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const cut = line.search(/[,\t;]/);
    const index = (cut < 0 ? line : line.slice(0, cut)).trim();
    // The id is the rest of the line (an id may hold the delimiter when quoted: "a,b").
    const raw = cut < 0 ? '' : line.slice(cut + 1).trim();
    const id = /^".*"$/.test(raw) ? raw.slice(1, -1).replace(/""/g, '"') : raw;
    if (!/^\d+$/.test(index)) {
      if (i === 0) continue; // a header
      refuse(`Line ${i + 1} of ${name} does not start with a model id.`);
    }
    const k = Number(index);
    if (k >= MAX_MAPPED_IDS) {
      refuse(
        `Line ${i + 1} of ${name} has model id ${k}, beyond the ${MAX_MAPPED_IDS.toLocaleString('en-US')} supported.`,
      );
    }
    if (given.has(k)) refuse(`Line ${i + 1} of ${name} gives model id ${k} a second time.`);
    given.add(k);
    while (ids.length <= k) ids.push('');
    ids[k] = id;
  }
  return ids;
}
