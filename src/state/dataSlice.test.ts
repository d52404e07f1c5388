import { beforeEach, describe, expect, it } from 'vitest';
import { useAppStore } from './store';
import { makeDetection, makeSummary, OPTIONS } from './testFixtures';

beforeEach(() => useAppStore.setState(useAppStore.getInitialState(), true));

describe('dataSlice', () => {
  it('joining item metadata keeps the mapping editor on the file it shows', () => {
    const failed = makeDetection({ delimiter: ';' });
    const s = useAppStore.getState();
    s.startLoad('interactions', 'bad.csv');
    s.failLoad('bad.csv is not a behaviour table.', failed);
    s.startLoad('items', 'items.csv');
    s.finishLoad(makeSummary('data.csv', 10));
    expect(useAppStore.getState().detection).toBe(failed);
    expect(useAppStore.getState().summary?.fileName).toBe('data.csv');
  });

  it('reset puts the draft back to the options last applied', () => {
    const s = useAppStore.getState();
    s.startLoad('interactions', 'data.csv');
    s.finishLoad(makeSummary('data.csv', 10));
    s.setDraftOptions({ ...OPTIONS, hasHeader: false });
    useAppStore.getState().resetDraftOptions();
    expect(useAppStore.getState().draftOptions).toEqual(OPTIONS);
  });

  it('progress that arrives after the load ended is dropped', () => {
    const s = useAppStore.getState();
    s.startLoad('interactions', 'data.csv');
    s.finishLoad(makeSummary('data.csv', 10));
    s.setProgress({ phase: 'reading', bytesRead: 1, totalBytes: 2, rows: 1 });
    expect(useAppStore.getState().progress).toBeNull();
  });
});
