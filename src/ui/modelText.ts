/**
 * Wording of the model panels, as pure functions (tested in Node): the protocol label that
 * goes next to every metric, metric and duration formats, and a card's one-line status.
 */
import type { EvaluationProtocol } from '../core/models/baseline-types';
import type { TrainingRun } from '../state/modelsSlice';
import type { ModelSource } from '../worker/api';
import { formatBytes } from './format';

/** The label every metric table carries, so nobody compares numbers across protocols. */
export function protocolLabel(protocol: EvaluationProtocol): string {
  return protocol === 'full-ranking'
    ? 'full ranking, seen items excluded, leave-last-out test'
    : 'sampled: 100 random unseen negatives per user, seen items excluded, leave-last-out test (for comparison with older papers only)';
}

/** A metric in [0, 1] with 4 decimals; a dash when absent. */
export function formatMetric(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(4);
}

/** "0.4 s", "12 s", "2 min 5 s". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** Where a card's model came from, in one line. */
export function sourceText(source: ModelSource): string {
  if (source.kind === 'trained') return 'Trained in this page.';
  if (source.kind === 'int8') {
    const ratio = source.int8Bytes > 0 ? source.float32Bytes / source.int8Bytes : 0;
    return `int8 variant of ${source.from} (post-training, per-row symmetric): ${formatBytes(source.int8Bytes)} instead of ${formatBytes(source.float32Bytes)} (${ratio.toFixed(1)}x smaller); scored on the dequantised weights.`;
  }
  if (source.kind === 'bundled') {
    return `Shipped with the app: “${source.name}”, pre-trained on the bundled sample (the same dataset, checked by its fingerprint).`;
  }
  if (source.engine && source.kind === 'imported') {
    return `Trained elsewhere: ${source.engine.source}. Evaluated here on this dataset by the same protocol.`;
  }
  const how = source.kind === 'saved' ? 'Loaded from this browser' : 'Imported from files';
  const data =
    source.match === 'same'
      ? 'trained on this same dataset'
      : `trained on ${source.datasetName}, mapped onto this dataset by item id${source.matchNote ? `: ${source.matchNote}` : ''}`;
  return `${how} (“${source.name}”), ${data}.`;
}

/** The progress line of a running training (its curves are drawn, not written). */
export function trainingLine(run: Omit<TrainingRun, 'curves'>): string {
  if (run.epochs === 0) return 'Fitting and evaluating…';
  if (run.batches === 0) return 'Preparing the split and the model…';
  const parts = [`Epoch ${run.epoch} of ${run.epochs}, batch ${run.batch} of ${run.batches}`];
  if (run.loss !== null) parts.push(`loss ${run.loss.toFixed(4)}`);
  if (run.examplesPerSec !== null) parts.push(`${Math.round(run.examplesPerSec)} examples/s`);
  return parts.join(' · ');
}
