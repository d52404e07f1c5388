import type { BackendReport } from '../core/backend/types';
import { plainCsvOptions } from '../core/data/testSupport';
import type { DatasetSummary, Detection, ParseOptions } from '../core/data/types';

/** Options of a plain `user,item,timestamp` CSV. */
export const OPTIONS: ParseOptions = plainCsvOptions();

export function makeDetection(overrides: Partial<Detection> = {}): Detection {
  return {
    delimiter: OPTIONS.delimiter,
    hasHeader: OPTIONS.hasHeader,
    encoding: OPTIONS.encoding,
    bom: false,
    columns: [
      { index: 0, name: 'user', samples: ['u1'] },
      { index: 1, name: 'item', samples: ['i1'] },
      { index: 2, name: 'ts', samples: ['1700000000'] },
    ],
    mapping: { ...OPTIONS.mapping },
    timestampFormat: OPTIONS.timestampFormat,
    notices: [],
    ...overrides,
  };
}

/** A small but complete summary; `name` and `users` make summaries tell apart in tests. */
export function makeSummary(name: string, users: number): DatasetSummary {
  return {
    fileName: name,
    users,
    items: 5,
    interactions: users * 3,
    density: (users * 3) / (users * 5),
    timeRange: { min: 0, max: 86_400_000 },
    perUser: { bins: [{ x0: 3, x1: 4, count: users }], min: 3, median: 3, max: 3 },
    perItem: { bins: [{ x0: 1, x1: 2, count: 5 }], min: 1, median: 1, max: 1 },
    topCategories: [],
    actionTypes: [],
    itemsWithTitle: 0,
    report: {
      dataRows: users * 3 + 1,
      accepted: users * 3,
      rejected: 1,
      rejectedByReason: { missing_user: { count: 1, firstLines: [4] } },
      blankLines: 0,
      bytes: 100,
      notices: [],
      options: OPTIONS,
    },
    detection: makeDetection(),
    metadata: null,
  };
}

export function makeReport(backend: BackendReport['backend']): BackendReport {
  return {
    backend,
    reason: `${backend} chosen for the test`,
    forced: false,
    candidates: [
      { name: 'wasm', available: true, note: 'SIMD' },
      { name: 'cpu', available: true, note: 'plain JS' },
    ],
    adapter: null,
    smoke: { ok: true, ms: 1, maxAbsError: 0 },
  };
}

/** A promise with its resolve/reject exposed, to hold a load open mid-test. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
