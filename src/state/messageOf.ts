/**
 * One sentence for the UI from whatever the worker threw; shared by every action module (data
 * loads, models, saved models), which import it from here rather than from each other.
 */

/** A one-sentence message for the UI from whatever the worker threw. */
export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string' && error) return error;
  if (error && typeof error === 'object' && 'message' in error) {
    const message = (error as { message: unknown }).message;
    if (typeof message === 'string' && message) return message;
  }
  return 'The file could not be loaded for an unknown reason.';
}
