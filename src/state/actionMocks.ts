/**
 * Module mocks shared by the tests of the data and backend actions. `vi.mock` is hoisted above
 * imports, so a test file loads these inside its factory:
 * `vi.mock('../worker/client', async () => (await import('./actionMocks')).ingestClientMock())`.
 * Each call returns fresh mocks.
 */
import { vi } from 'vitest';
import type { ModelCardSummary } from '../worker/api';

/** The card of a model shipped with the sample, as the worker returns it after the import. */
export function bundledCard(id: string): ModelCardSummary {
  return {
    key: id,
    id,
    status: 'trained',
    record: {
      modelId: id,
      trainedAt: '2026-01-01T00:00:00.000Z',
      lossCurve: [],
      validationCurve: [],
    },
    source: {
      kind: 'bundled',
      name: `${id} on the sample (pre-trained)`,
      datasetName: 'sample interactions.csv',
      match: 'same',
      matchNote: null,
    },
    examplesPerSec: null,
  } as unknown as ModelCardSummary;
}

/** The worker client's backend and ingest functions, as mocks; a cancel is `Error('cancelled')`. */
export function ingestClientMock() {
  return {
    initBackend: vi.fn(),
    setBackend: vi.fn(),
    detect: vi.fn(),
    loadInteractions: vi.fn(),
    reapply: vi.fn(),
    loadItems: vi.fn(),
    cancel: vi.fn(),
    rejectedRowsCsv: vi.fn(),
    // The bundled sample's shipped model, imported after the sample loads.
    importModel: vi.fn(async () => bundledCard('din')),
    isCancelled: (error: unknown) => error instanceof Error && error.message === 'cancelled',
  };
}

/** The bundled sample files at fixed URLs and names. */
export function sampleFilesMock() {
  return {
    SAMPLE_FILES: {
      interactions: { url: '/sample/interactions.csv', name: 'sample interactions.csv' },
      items: { url: '/sample/items.csv', name: 'sample items.csv' },
    },
  };
}
