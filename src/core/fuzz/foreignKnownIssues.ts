/**
 * What the foreign fuzz holds a refusal's message to ({@link sentenceProblem}), and the bugs of
 * src/core/import it found that are not fixed yet ({@link KNOWN_ISSUES}), counted as known
 * instead of failing the suite.
 */
import type { ForeignCase } from './foreignTypes';

/** Longest refusal accepted as one sentence (file names and ids in messages are shortened). */
export const MAX_MESSAGE = 600;

/**
 * Why `message` is not one sentence, or null: one line, no control characters, at most
 * {@link MAX_MESSAGE} characters, ending in `.`, `?` or `!` (a closing bracket or quote may
 * follow), and no sentence boundary (`x. Y`) outside quoted text.
 */
export function sentenceProblem(message: string): string | null {
  if (message.trim() === '') return 'an empty message';
  if (/[\r\n\u2028\u2029]/.test(message)) return 'a message of several lines';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are the point
  if (/[\u0000-\u001f\u007f]/.test(message)) return 'a control character in the message';
  if (message.length > MAX_MESSAGE) return `a message of ${message.length} characters`;
  if (!/[.?!]["')\]]?$/.test(message)) return 'a message that does not end a sentence';
  const bare = message.replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "''");
  if (/[^\s.]{2}[.!?]\s+[A-Z]/.test(bare)) return 'a message of more than one sentence';
  return null;
}

export interface KnownIssue {
  id: string;
  /** One line: what goes wrong, where. */
  summary: string;
  /** The violation (of case `c`) is this issue. */
  matches: (c: ForeignCase, violation: string) => boolean;
}

/**
 * Bugs of src/core/import the fuzz found and that are not fixed yet; a violation matching one
 * is counted as known, not as a failure. Empty: the 17 the first campaigns found are fixed,
 * each with a regression test next to its code. Add an entry (with a minimal reproducer in a
 * comment) when a bug is found and cannot be fixed at once; remove it with the fix.
 */
export const KNOWN_ISSUES: readonly KnownIssue[] = [];
