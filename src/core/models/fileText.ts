/**
 * Text from a file, or from a library's error about a file, as a one-sentence refusal may
 * quote it. Files are not trusted: a name, dtype or cell can hold line breaks, control
 * characters, megabytes, or (in JSON) a list nested thousands deep; a library's error can
 * quote the file, span several lines or be several sentences. Both go through here so that
 * every ModelFileError stays one printable sentence of bounded length.
 */

/** Control, format and separator characters (and U+FFFD) become '?'; whitespace runs one space. */
function printable(text: string): string {
  return text
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}\ufffd]/gu, '?')
    .replace(/\s+/g, ' ')
    .trim();
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

/**
 * A value from a file, for a message: strings cleaned and cut at `max` characters; lists and
 * objects named, never turned into text (`String` on `{"toString": 1}` throws, and on a list
 * nested a few thousand deep overflows the stack).
 */
export function fileText(value: unknown, max = 40): string {
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  if (typeof value === 'string') return cut(printable(value.slice(0, max * 4)), max);
  return String(value);
}

/**
 * Why `error` happened, as a clause to put in a sentence ("...: <reason>." or "... (<reason>)."):
 * its message's first 2,000 characters, printable, its own sentences joined with semicolons,
 * no closing full stop, cut at `max` characters.
 */
export function errorReason(error: unknown, max = 160): string {
  let message: string;
  try {
    message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  } catch {
    message = '';
  }
  const clause = printable(String(message).slice(0, 2000))
    .replace(/([^\s.]{2})[.!?]\s+(?=[A-Z])/g, '$1; ')
    .replace(/[\s.;:,!?]+$/, '');
  return clause === '' ? 'no reason given' : cut(clause, max);
}
