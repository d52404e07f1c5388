/**
 * The shapes of the foreign fuzz (see ./foreignGenerators.ts): the valid imports it starts
 * from (./foreignBases.ts builds them) and the cases it makes of them.
 */
import type { NamedFile } from '../import/modelFiles';
import type { AlsParams } from '../import/types';

export type ForeignDatasetName = 'int' | 'str';

/** An id list file a mapping sidecar names: `{"kind": "file", "file": key}`. */
export interface IdFile {
  key: string;
  name: string;
  text: string;
}

/** A mapping sidecar (JSON text) and the id list files it names, as the CLI reads them. */
export interface Sidecar {
  mapping: string;
  idFiles: IdFile[];
}

/** A valid TF.js model (and the mapping it needs on its dataset, if the proposal cannot do). */
export interface TfjsBase {
  name: string;
  model: 'keras-history' | 'keras-ids' | 'graph';
  dataset: ForeignDatasetName;
  files: NamedFile[];
  /** The sidecar the import needs (list mappings), or null when the proposal maps it. */
  sidecar: Sidecar | null;
  /** A valid mapping object for this model on its dataset (mutated by sidecar cases). */
  mapping: Record<string, unknown>;
  /** The id list files `mapping` names (none for identity mappings). */
  idFiles: IdFile[];
}

export interface FactorBase {
  name: string;
  dataset: ForeignDatasetName;
  files: NamedFile[];
  params: AlsParams | null;
}

export interface IdListBase {
  name: string;
  text: string;
}

export interface ForeignBaseSet {
  tfjs: TfjsBase[];
  factor: FactorBase[];
  idLists: IdListBase[];
}

export interface CaseCommon {
  index: number;
  base: string;
  /** The mutations applied, joined by `+` (`unmutated` for none). */
  kind: string;
  /** Only validity-preserving edits were made (or none): the import must succeed. */
  mustLoad: boolean;
}

export interface TfjsCase extends CaseCommon {
  api: 'tfjs';
  dataset: ForeignDatasetName;
  files: NamedFile[];
  sidecar: Sidecar | null;
}

export interface FactorCase extends CaseCommon {
  api: 'factor';
  dataset: ForeignDatasetName;
  files: NamedFile[];
  params: AlsParams | null;
}

export interface IdListCase extends CaseCommon {
  api: 'idlist';
  name: string;
  text: string;
}

export type ForeignCase = TfjsCase | FactorCase | IdListCase;
