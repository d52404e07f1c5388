/**
 * Seeded generators of hostile imports of models from other engines (src/core/import), for
 * the foreign fuzz in `npm test` (./foreign.fuzz.test.ts, a few hundred cases) and the long
 * campaign (`npm run bench -- fuzz`, bench/fuzz.ts). Each case starts from a valid set of
 * files built by ./foreignBases.ts (Keras history-in and ids-in models, TF.js graph models,
 * uint8 / float16 quantised weights, Spark ALS factor tables as Parquet and CSV, id lists and
 * mapping sidecars) and breaks it the ways real files break:
 *
 * - {@link TfjsCase} (`importTfjsModel`, after `parseIdList` + `parseMapping` when a sidecar
 *   is given): truncated, extended, flipped, swapped, dropped, duplicated or renamed shards;
 *   a dropped, renamed, doubled, truncated, flipped or re-encoded model.json; JSON edits of
 *   shapes, dtypes, quantisation, weight names, manifest paths and groups, layer class names
 *   and configs, graph nodes and signatures, huge / negative / NaN / float dimensions (NaN and
 *   Infinity written as Python's json writes them), deeply nested values, `__proto__` keys
 *   and missing fields; mapping sidecars with wrong types, huge maxLen, wrong padding ids and
 *   id lists of junk.
 * - {@link FactorCase} (`importFactorModel`): Parquet byte flips (often in the footer),
 *   truncation and insertions; CSV factor rows with junk cells, broken lists, wrong widths,
 *   quotes, invalid UTF-8; missing, extra, swapped or renamed tables; valid but extreme ALS
 *   hyper-parameters.
 * - {@link IdListCase} (`parseIdList`): id lists with junk lines, huge or repeated indices,
 *   odd line breaks and JSON lists of junk.
 *
 * Case `i` of seed `s` draws from its own stream (`foreign:i`), so any one case can be
 * rebuilt from (seed, index) and the bases alone: `foreignCase(FUZZ_SEED, i, bases)`.
 */
import { SeededRandom } from '../random';
import { factorCase } from './foreignFactor';
import { idListCase, mutateSidecar, SIDECAR_MUTATIONS } from './foreignIdLists';
import { caseKind, serialise, textOf, utf8 } from './foreignMutate';
import {
  modelJsonOf,
  mutateTfjsFiles,
  TFJS_FILE_MUTATIONS,
  TFJS_VALID_EDITS,
  validTfjsEdit,
} from './foreignTfjsFiles';
import { mutateTfjsJson, TFJS_JSON_MUTATIONS } from './foreignTfjsJson';
import type { ForeignBaseSet, ForeignCase, TfjsCase } from './foreignTypes';
import type { Json } from './generators';

export type * from './foreignTypes';

/** The bytes a case hands the import (files, sidecar and id lists): what its time budget scales with. */
export function foreignCaseBytes(c: ForeignCase): number {
  if (c.api === 'idlist') return utf8(c.text).length;
  let n = c.files.reduce((sum, f) => sum + f.bytes.length, 0);
  if (c.api === 'tfjs' && c.sidecar) {
    n += utf8(c.sidecar.mapping).length;
    for (const f of c.sidecar.idFiles) n += utf8(f.text).length;
  }
  return n;
}

function tfjsCase(index: number, rng: SeededRandom, bases: ForeignBaseSet): TfjsCase {
  const base = rng.pick(bases.tfjs);
  const kinds: string[] = [];
  let files = base.files;
  let sidecar = base.sidecar;
  let mustLoad = true;
  const group = rng.next();
  if (group < 1 / 12) {
    // unmutated
  } else if (group < 0.18) {
    // Each at most once (two BOMs, or two README.md, are no longer a valid set).
    for (let n = rng.int(1, 2); n > 0; n--) {
      const kind = rng.pick(TFJS_VALID_EDITS.filter((k) => !kinds.includes(k)));
      files = validTfjsEdit(files, kind, rng);
      kinds.push(kind);
    }
  } else if (group < 0.38) {
    // The sidecar (and its id files) broken; the model files as they were.
    mustLoad = false;
    const mapping = JSON.parse(JSON.stringify(base.mapping));
    let idFiles = base.idFiles;
    let text = '';
    for (let n = rng.int(1, 2); n > 0; n--) {
      const kind = rng.pick(SIDECAR_MUTATIONS);
      ({ mapping: text, idFiles } = mutateSidecar(mapping, idFiles, kind, rng));
      kinds.push(`sidecar-${kind}`);
      // A broken text is the last edit: later ones would re-serialise the object.
      if (kind === 'syntax' || kind === 'garbage') break;
    }
    sidecar = { mapping: text, idFiles };
  } else {
    mustLoad = false;
    const jsonFile = modelJsonOf(files);
    if (jsonFile && rng.chance(0.65)) {
      const json: Json = JSON.parse(textOf(jsonFile.bytes));
      for (let n = rng.int(1, 2); n > 0; n--) {
        const kind = rng.pick(TFJS_JSON_MUTATIONS);
        mutateTfjsJson(json, kind, rng, base);
        kinds.push(kind);
      }
      const bytes = utf8(serialise(json, rng));
      files = files.map((f) => (f === jsonFile ? { name: f.name, bytes } : f));
    }
    if (kinds.length === 0 || rng.chance(0.3)) {
      const kind = rng.pick(TFJS_FILE_MUTATIONS);
      files = mutateTfjsFiles(files, kind, rng, bases);
      kinds.push(kind);
    }
  }
  return {
    api: 'tfjs',
    index,
    base: base.name,
    kind: caseKind(kinds),
    mustLoad,
    dataset: base.dataset,
    files,
    sidecar,
  };
}

/**
 * Case `index` of the foreign fuzz with `seed`: a TF.js import (half the cases), a factor
 * table import (three in ten) or an id list (one in five), each from one of `bases` with one
 * or two mutations; about 1 in 12 of each is left unmutated (it must then import).
 */
export function foreignCase(seed: number, index: number, bases: ForeignBaseSet): ForeignCase {
  const rng = new SeededRandom(seed, `foreign:${index}`);
  const api = rng.next();
  if (api < 0.5) return tfjsCase(index, rng, bases);
  if (api < 0.8) return factorCase(index, rng, bases);
  return idListCase(index, rng, bases);
}
