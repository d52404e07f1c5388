/**
 * How a failure becomes an exit code and one line on stderr. Scripts branch on the code:
 * 2 = the command was called wrongly, 1 = the data or model file is wrong (or refused),
 * 130 = interrupted (Ctrl-C), as shells report SIGINT.
 */
import { IngestError } from '../core/data/types';
import { UsageError } from './args';

export const EXIT_OK = 0;
export const EXIT_DATA = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

/** The file or model is unusable for this command (not a usage mistake): exit code 1. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

function isCancellation(error: unknown): boolean {
  if (error instanceof IngestError) return error.code === 'cancelled';
  return error instanceof Error && error.name === 'AbortError';
}

/** Exit code and the one-line message for a failure of any kind. */
export function describeFailure(error: unknown): { code: number; message: string } {
  if (error instanceof UsageError) return { code: EXIT_USAGE, message: error.message };
  if (isCancellation(error)) return { code: EXIT_INTERRUPTED, message: 'interrupted' };
  const message = error instanceof Error ? error.message : String(error);
  // Core errors are written as sentences for the UI; a terminal wants them on one line.
  return { code: EXIT_DATA, message: message.replace(/\s*\n\s*/g, ' ').trim() };
}
