/**
 * Importing a model trained by another engine: the picked files go to the worker, which
 * proposes how the model maps onto the loaded data; the user edits the proposal (or gives the
 * ALS hyper-parameters) and imports; the model is evaluated there and becomes a live card.
 */
import * as client from '../worker/client';
import { messageOf } from './messageOf';
import { useAppStore } from './store';

/** Reads the files and proposes a mapping (nothing is imported yet). */
export async function chooseForeignFiles(files: readonly File[]): Promise<void> {
  const store = useAppStore.getState();
  if (store.foreignBusy || files.length === 0) return;
  store.setForeignBusy(true);
  store.setForeignMessage(null);
  store.setForeignDraft(null);
  try {
    const proposal = await client.proposeForeignModel([...files]);
    useAppStore.getState().setForeignDraft({
      files: [...files],
      proposal,
      mapping: proposal.kind === 'tfjs' ? proposal.mapping : null,
      als: { implicit: true, lambda: 0.1, alpha: 1, known: true },
      itemIdsFile: null,
      userIdsFile: null,
    });
  } catch (error) {
    useAppStore.getState().setForeignMessage({ level: 'error', text: messageOf(error) });
  } finally {
    useAppStore.getState().setForeignBusy(false);
  }
}

/** Imports the draft with its mapping; the model becomes a live card. */
export async function importForeignDraft(): Promise<void> {
  const store = useAppStore.getState();
  const draft = store.foreignDraft;
  if (store.foreignBusy || !draft) return;
  store.setForeignBusy(true);
  store.setForeignMessage(null);
  try {
    const { known, ...als } = draft.als;
    const card = await client.importForeignModel(draft.files, {
      ...(draft.mapping ? { mapping: draft.mapping } : {}),
      ...(draft.itemIdsFile ? { itemIdsFile: draft.itemIdsFile } : {}),
      ...(draft.userIdsFile ? { userIdsFile: draft.userIdsFile } : {}),
      ...(draft.proposal.kind === 'factors' ? { als: known ? als : null } : {}),
    });
    const state = useAppStore.getState();
    state.installModel(card);
    state.setForeignDraft(null);
    const at10 = card.record.test?.atK.find((m) => m.k === 10);
    state.setForeignMessage({
      level: 'info',
      text: `Imported as ${card.key}${at10 ? `: test NDCG@10 ${at10.ndcg.toFixed(4)} on this dataset` : ''}.`,
    });
  } catch (error) {
    useAppStore.getState().setForeignMessage({ level: 'error', text: messageOf(error) });
  } finally {
    useAppStore.getState().setForeignBusy(false);
  }
}

/** Drops the draft. */
export function cancelForeignDraft(): void {
  useAppStore.getState().setForeignDraft(null);
}
