/**
 * Test-only: a small in-memory IndexedDB, enough for modelStore.ts (open with upgrade, one
 * transaction over named stores, get/getAll/put/delete, commit when no request is left, abort)
 * and for the ways browsers refuse storage: `open` throwing (SecurityError), failing
 * (a private window), blocked, and a quota that aborts a transaction that would exceed it.
 * Requests settle one per macrotask, so a transaction stays open across the `await`s of one
 * operation, as in a browser.
 */

export interface FakeIndexedDbOptions {
  /** `open` throws this synchronously (e.g. a SecurityError). */
  openThrows?: Error;
  /** `open` fails with this error (fires `error`). */
  openError?: Error;
  /** `open` fires `blocked`. */
  blocked?: boolean;
  /** A transaction whose writes would take the stored bytes past this aborts. */
  quotaBytes?: number;
  /** The error name of that abort: the spec's, or Firefox's older one. */
  quotaErrorName?: 'QuotaExceededError' | 'NS_ERROR_DOM_QUOTA_REACHED';
}

type Store = Map<IDBValidKey, unknown>;
const DELETED = Symbol('deleted');

/** Bytes a value takes, roughly: strings by UTF-16 length, byte arrays by length. */
function sizeOf(value: unknown): number {
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value === 'string') return value.length * 2;
  if (value && typeof value === 'object') {
    return Object.values(value).reduce<number>((sum, v) => sum + sizeOf(v), 0);
  }
  return 8;
}

interface FakeRequest {
  result: unknown;
  error: DOMException | null;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}

function newRequest(): FakeRequest {
  return { result: undefined, error: null, onsuccess: null, onerror: null };
}

/** A fake `IDBFactory` over one in-memory origin (shared by every database it opens). */
export function createFakeIndexedDb(options: FakeIndexedDbOptions = {}): IDBFactory & {
  /** The stores of database `name`, to look inside in a test. */
  stores(name: string): Map<string, Store> | undefined;
} {
  const databases = new Map<string, Map<string, Store>>();

  function usedBytes(): number {
    let total = 0;
    for (const db of databases.values()) {
      for (const store of db.values()) for (const v of store.values()) total += sizeOf(v);
    }
    return total;
  }

  function transaction(stores: Map<string, Store>, names: string | string[]) {
    const scope = new Set(typeof names === 'string' ? [names] : names);
    const staged = new Map<string, Map<IDBValidKey, unknown>>();
    const queue: (() => void)[] = [];
    let scheduled = false;
    let finished = false;

    const tx = {
      error: null as DOMException | null,
      oncomplete: null as (() => void) | null,
      onerror: null as (() => void) | null,
      onabort: null as (() => void) | null,
      objectStore(name: string) {
        if (!scope.has(name) || !stores.has(name)) {
          throw new DOMException(`No object store ${name} in this transaction.`, 'NotFoundError');
        }
        const committed = stores.get(name) as Store;
        const writes = () => {
          let map = staged.get(name);
          if (!map) {
            map = new Map();
            staged.set(name, map);
          }
          return map;
        };
        const read = (key: IDBValidKey) => {
          const w = staged.get(name);
          if (w?.has(key)) {
            const v = w.get(key);
            return v === DELETED ? undefined : v;
          }
          return committed.get(key);
        };
        const op = (work: () => unknown) => {
          if (finished) {
            throw new DOMException('The transaction has finished.', 'TransactionInactiveError');
          }
          const req = newRequest();
          queue.push(() => {
            req.result = work();
            req.onsuccess?.();
          });
          schedule();
          return req;
        };
        return {
          get: (key: IDBValidKey) => op(() => read(key)),
          getAll: () =>
            op(() => {
              const keys = new Set([...committed.keys(), ...(staged.get(name)?.keys() ?? [])]);
              return [...keys].map(read).filter((v) => v !== undefined);
            }),
          put: (value: unknown, key: IDBValidKey) =>
            op(() => {
              writes().set(key, structuredClone(value));
              return key;
            }),
          delete: (key: IDBValidKey) =>
            op(() => {
              writes().set(key, DELETED);
              return undefined;
            }),
        };
      },
      abort() {
        if (finished) return;
        finished = true;
        setTimeout(() => tx.onabort?.(), 0);
      },
    };

    function schedule(): void {
      if (scheduled || finished) return;
      scheduled = true;
      setTimeout(step, 0);
    }

    function step(): void {
      scheduled = false;
      if (finished) return;
      const next = queue.shift();
      if (!next) {
        commit();
        return;
      }
      next();
      // Still open for one more macrotask: the request's continuation may queue another.
      schedule();
    }

    function commit(): void {
      if (finished) return;
      finished = true;
      let added = 0;
      for (const [name, writes] of staged) {
        const store = stores.get(name) as Store;
        for (const [key, value] of writes) {
          added += (value === DELETED ? 0 : sizeOf(value)) - sizeOf(store.get(key) ?? null);
        }
      }
      if (options.quotaBytes !== undefined && usedBytes() + added > options.quotaBytes) {
        tx.error = new DOMException(
          'The quota has been exceeded.',
          options.quotaErrorName ?? 'QuotaExceededError',
        );
        tx.onerror?.();
        tx.onabort?.();
        return;
      }
      for (const [name, writes] of staged) {
        const store = stores.get(name) as Store;
        for (const [key, value] of writes) {
          if (value === DELETED) store.delete(key);
          else store.set(key, value);
        }
      }
      tx.oncomplete?.();
    }

    // A transaction with no request at all still completes.
    schedule();
    return tx;
  }

  function openDatabase(name: string) {
    const req = {
      ...newRequest(),
      onupgradeneeded: null as (() => void) | null,
      onblocked: null as (() => void) | null,
    };
    setTimeout(() => {
      if (options.blocked) {
        req.onblocked?.();
        return;
      }
      if (options.openError) {
        req.error = options.openError as DOMException;
        req.onerror?.();
        return;
      }
      const isNew = !databases.has(name);
      const stores = databases.get(name) ?? new Map<string, Store>();
      databases.set(name, stores);
      req.result = {
        objectStoreNames: { contains: (store: string) => stores.has(store) },
        createObjectStore: (store: string) => stores.set(store, new Map()),
        transaction: (names: string | string[]) => transaction(stores, names),
        close: () => undefined,
        onversionchange: null,
      };
      if (isNew) req.onupgradeneeded?.();
      req.onsuccess?.();
    }, 0);
    return req;
  }

  const factory = {
    open(name: string) {
      if (options.openThrows) throw options.openThrows;
      return openDatabase(name);
    },
    stores: (name: string) => databases.get(name),
  };
  return factory as unknown as IDBFactory & {
    stores(name: string): Map<string, Store> | undefined;
  };
}
