/**
 * Finds where complete records end in streamed text, so each piece handed to Papa Parse holds
 * whole records only. It follows Papa's own reading of quotes exactly (a quote opens a field only
 * at the field's start; `""` inside quotes is a literal quote; a quote closes the field only
 * when whitespace-then-delimiter or whitespace-then-line-ending follows), so the scanner and
 * the parser always agree on record boundaries, whatever the slice size.
 */

const QUOTE = 34;

/** Whether a UTF-16 code unit is whitespace as String.prototype.trim sees it. */
function isTrimSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

export interface ScanResult {
  /** Index just after the last complete record's line ending (0 when none is complete). */
  complete: number;
  /** Whether any complete record holds a line ending inside a quoted field. */
  multiline: boolean;
}

/**
 * Incremental: call `scan` with the buffer, consume `complete` characters, call `consumed`, then
 * append more text and scan again. Work already done is not repeated, so a quoted field that
 * never closes costs linear time, not quadratic.
 */
export class RecordBoundaryScanner {
  /** Resume position; a field start unless `inQuotes`. */
  private pos = 0;
  private inQuotes = false;
  private quoteSearch = 0;
  private fieldStart = 0;
  private lastEnd = 0;
  private recordMultiline = false;
  private multiline = false;

  constructor(
    private readonly delimiter: string,
    private readonly newline: string,
  ) {}

  /** Whether the text after the last complete record is inside an unclosed quoted field. */
  get insideQuotes(): boolean {
    return this.inQuotes;
  }

  /**
   * Scans as far as the text allows. With `atEnd`, the text is the rest of the file: a quote
   * at its very end closes its field, and the caller treats whatever follows `complete` as the
   * final record (no line ending) or, when `insideQuotes`, as an unclosed quoted field.
   */
  scan(text: string, atEnd: boolean): ScanResult {
    const { delimiter, newline } = this;
    const dl = delimiter.length;
    const nl = newline.length;
    const len = text.length;
    let i = this.pos;
    let nextQuote = -2;
    let nextDelim = -2;
    let nextNewline = -2;
    for (;;) {
      if (this.inQuotes) {
        const q = text.indexOf('"', this.quoteSearch);
        if (q === -1) {
          this.quoteSearch = len;
          break;
        }
        if (q === len - 1) {
          if (atEnd) {
            this.closeQuotedField(text, q);
            i = len;
          } else {
            this.quoteSearch = q;
          }
          break;
        }
        if (text.charCodeAt(q + 1) === QUOTE) {
          this.quoteSearch = q + 2;
          continue;
        }
        const d = text.indexOf(delimiter, q + 1);
        const n = text.indexOf(newline, q + 1);
        const k = d === -1 ? n : n === -1 ? d : Math.min(d, n);
        if (k === -1 && !atEnd) {
          // Nothing in the text yet decides whether this quote closes the field.
          this.quoteSearch = q;
          break;
        }
        if (k === -1 || !allTrimSpace(text, q + 1, k)) {
          this.quoteSearch = q + 1;
          continue;
        }
        this.closeQuotedField(text, q);
        if (k === d) {
          i = d + dl;
        } else {
          i = n + nl;
          this.endRecord(i);
        }
        continue;
      }
      if (i >= len) break;
      if (text.charCodeAt(i) === QUOTE) {
        this.inQuotes = true;
        this.fieldStart = i + 1;
        this.quoteSearch = i + 1;
        continue;
      }
      if (nextQuote !== -1 && nextQuote < i) nextQuote = text.indexOf('"', i);
      if (nextQuote === -1) {
        // No quote ahead: every remaining line ending ends a record.
        const last = text.lastIndexOf(newline);
        if (last >= i) this.endRecord(last + nl);
        i = Math.max(i, this.lastEnd);
        break;
      }
      if (nextDelim !== -1 && nextDelim < i) nextDelim = text.indexOf(delimiter, i);
      if (nextNewline !== -1 && nextNewline < i) nextNewline = text.indexOf(newline, i);
      if (nextDelim !== -1 && (nextNewline === -1 || nextDelim < nextNewline)) {
        i = nextDelim + dl;
        continue;
      }
      if (nextNewline === -1) break;
      i = nextNewline + nl;
      this.endRecord(i);
    }
    this.pos = i;
    return { complete: this.lastEnd, multiline: this.multiline };
  }

  /** The caller removed the first `count` characters (up to `complete`) from the buffer. */
  consumed(count: number): void {
    this.pos -= count;
    this.quoteSearch -= count;
    this.fieldStart -= count;
    this.lastEnd -= count;
    this.multiline = false;
  }

  /** Give up on an unclosed quote: scanning starts afresh at `at` (a record start). */
  restartAt(at: number): void {
    this.inQuotes = false;
    this.pos = at;
    this.quoteSearch = at;
    this.lastEnd = at;
    this.recordMultiline = false;
  }

  private closeQuotedField(text: string, closingQuote: number): void {
    this.inQuotes = false;
    const n = text.indexOf(this.newline, this.fieldStart);
    if (n !== -1 && n < closingQuote) this.recordMultiline = true;
  }

  private endRecord(end: number): void {
    this.lastEnd = end;
    if (this.recordMultiline) this.multiline = true;
    this.recordMultiline = false;
  }
}

function allTrimSpace(text: string, from: number, to: number): boolean {
  for (let j = from; j < to; j++) if (!isTrimSpace(text.charCodeAt(j))) return false;
  return true;
}
