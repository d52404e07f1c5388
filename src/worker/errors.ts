/**
 * Errors that cross the worker boundary with a stable code.
 *
 * Comlink re-creates a thrown Error on the other side from its `message`, `name` and `stack`
 * only; extra fields such as `IngestError.code` are lost. So the worker throws errors whose
 * message starts with the code in brackets (`[cancelled] Loading was cancelled.`), and the
 * client turns them back into a {@link LensError} with `code` and the plain message. We chose
 * this over a custom Comlink transfer handler because it needs no registration on either side
 * and still reads well in a console.
 */

/** Why a call into the worker failed. `cancelled` is not a failure: the user asked for it. */
export type LensErrorCode =
  | 'cancelled'
  | 'not-a-table'
  | 'empty'
  | 'binary'
  | 'no-user-item'
  | 'too-large'
  | 'no-dataset'
  | 'no-file'
  | 'backend-unavailable'
  | 'worker-restarted'
  | 'worker-crashed'
  | 'no-model'
  | 'training-busy'
  | 'unknown-user'
  | 'unknown-item'
  | 'invalid-options'
  | 'not-explainable'
  | 'model-file'
  | 'model-refused'
  | 'storage'
  | 'internal';

const CODES: readonly LensErrorCode[] = [
  'cancelled',
  'not-a-table',
  'empty',
  'binary',
  'no-user-item',
  'too-large',
  'no-dataset',
  'no-file',
  'backend-unavailable',
  'worker-restarted',
  'worker-crashed',
  'no-model',
  'training-busy',
  'unknown-user',
  'unknown-item',
  'invalid-options',
  'not-explainable',
  'model-file',
  'model-refused',
  'storage',
  'internal',
];

/** An error from the worker, with a code the UI can branch on and a message it can show. */
export class LensError extends Error {
  constructor(
    readonly code: LensErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LensError';
  }
}

const ENCODED = /^\[([a-z-]+)\] ([\s\S]*)$/;

function codeOf(error: unknown): LensErrorCode {
  if (error instanceof LensError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (CODES as readonly string[]).includes(code)) {
    return code as LensErrorCode;
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'BackendError') return 'backend-unavailable';
  // A saved model file that cannot be read, or one trained on data that does not fit.
  if (name === 'ModelFileError')
    return code === 'dataset-mismatch' ? 'model-refused' : 'model-file';
  // A request the explanation engine cannot answer (nothing to recommend, an item the model
  // cannot score, fewer than K other items for the margin).
  if (name === 'ExplainError') return 'not-explainable';
  if (name === 'AbortError') return 'cancelled';
  return 'internal';
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return `Unexpected error: ${String(error)}`;
}

/**
 * Worker side: turns anything thrown (IngestError, BackendError, a bug) into an Error whose
 * message carries the code, so it survives Comlink's serialisation.
 */
export function encodeError(error: unknown): Error {
  const message = messageOf(error);
  if (ENCODED.test(message)) return error instanceof Error ? error : new Error(message);
  const encoded = new Error(`[${codeOf(error)}] ${message}`);
  encoded.name = 'LensError';
  if (error instanceof Error && error.stack) encoded.stack = error.stack;
  return encoded;
}

/** Client side: turns an error from the worker back into a {@link LensError}. */
export function decodeError(error: unknown): LensError {
  if (error instanceof LensError) return error;
  const message = messageOf(error);
  const match = ENCODED.exec(message);
  if (match && (CODES as readonly string[]).includes(match[1])) {
    return new LensError(match[1] as LensErrorCode, match[2]);
  }
  return new LensError(codeOf(error), message);
}

/** True when a load ended because the user (or a newer load) cancelled it. */
export function isCancelled(error: unknown): boolean {
  return decodeError(error).code === 'cancelled';
}
