/**
 * Finds where complete records end in streamed text, so each piece handed to Papa Parse holds
 * whole records only. It follows Papa's own reading of quotes exactly (a quote opens a field only
 * at the field's start; `""` inside quotes is a literal quote; a quote closes the field only
 * when whitespace-then-delimiter or whitespace-then-line-ending follows), so the scanner and
 * the parser always agree on record boundaries, whatever the slice size.
 *
 * Linear time on every input: each character is examined a bounded number of times. Each pattern
 * (quote, delimiter, line ending) has a {@link Finder} that remembers the stretch it has already
 * searched, across calls and as text is appended; a lone quote inside a quoted field is decided
 * by looking only at the whitespace right after it; and the restarts after quotes that never
 * close stop where an earlier restart has been ({@link VisitMarks}). `work` counts the
 * characters examined, so tests can hold the scanner to that, and a `budget` on it lets the
 * caller stop every so often (to hand records on, and to notice a cancel).
 */

import { isTrimSpace } from './recordParser';

const QUOTE = 34;

export interface ScanResult {
  /** Index just after the last complete record's line ending (0 when none is complete). */
  complete: number;
  /** Whether any complete record holds a line ending inside a quoted field. */
  multiline: boolean;
  /** The work budget ran out before the text was scanned; call `scan` again to go on. */
  paused: boolean;
}

/** Characters examined, shared by a scanner and its finders. */
interface WorkCounter {
  n: number;
}

/**
 * The next occurrence of a fixed string at or after a position. It remembers one stretch
 * `[from, to)` where the string does not start (with the occurrence at `to`, or `at` = -1 when
 * `to` is where the searched text ended), so asking again inside that stretch costs nothing,
 * asking a little before it searches only the gap, and text appended later is searched from
 * where the last search stopped.
 */
class Finder {
  private from = 0;
  private to = 0;
  private at = -1;

  constructor(
    private readonly pattern: string,
    private readonly work: WorkCounter,
  ) {}

  next(text: string, i: number): number {
    const { pattern } = this;
    let start: number;
    if (i >= this.from && i <= this.to) {
      if (this.at !== -1) return this.at;
      start = this.to;
    } else if (i < this.from) {
      // Only the gap before the known stretch is new.
      const r = text.substring(i, this.from + pattern.length - 1).indexOf(pattern);
      if (r !== -1) {
        this.work.n += r + 1;
        this.from = i;
        this.to = this.at = i + r;
        return this.at;
      }
      this.work.n += this.from - i;
      this.from = i;
      if (this.at !== -1) return this.at;
      start = this.to;
    } else {
      this.from = start = i;
    }
    const r = text.indexOf(pattern, start);
    this.work.n += (r === -1 ? text.length : r) - start + 1;
    if (r === -1) {
      this.at = -1;
      this.to = Math.max(start, text.length - pattern.length + 1);
    } else {
      this.at = this.to = r;
    }
    return r;
  }

  /** Where an occurrence at or after `i` could first start, from what is known: `i` or later. */
  knownFreeUntil(i: number): number {
    return i >= this.from && i <= this.to ? this.to : i;
  }

  /** Records that the string does not start in `[from, to)` and nothing is known beyond. */
  noneIn(from: number, to: number): void {
    this.from = from;
    this.to = Math.max(from, to);
    this.at = -1;
  }

  shift(count: number): void {
    this.from -= count;
    this.to -= count;
    if (this.at !== -1) this.at -= count;
  }
}

/**
 * Scanning states already walked by earlier scans of the same text, for recovering from a
 * quote that never closes (see {@link RecordBoundaryScanner.track}): a field start outside
 * quotes, or a position a quoted field's closing quote is searched from.
 */
export class VisitMarks {
  private readonly fieldStarts: Uint32Array;
  private readonly quoteSearches: Uint32Array;

  constructor(size: number) {
    this.fieldStarts = new Uint32Array((size >>> 5) + 1);
    this.quoteSearches = new Uint32Array((size >>> 5) + 1);
  }

  /** Marks field start `i`; false when it was marked already. */
  enterField(i: number): boolean {
    return mark(this.fieldStarts, i);
  }

  /** Marks quote search position `i`; false when it was marked already. */
  enterQuoted(i: number): boolean {
    return mark(this.quoteSearches, i);
  }
}

function mark(bits: Uint32Array, i: number): boolean {
  const word = i >>> 5;
  const bit = 1 << (i & 31);
  if (bits[word] & bit) return false;
  bits[word] |= bit;
  return true;
}

/** A closing check that needs more text before it can decide. */
const UNDECIDED = -2;
/** A lone quote that does not close its field. */
const NOT_CLOSING = -1;

/**
 * Incremental: call `scan` with the buffer, consume `complete` characters, call `consumed`, then
 * append more text and scan again. Work already done is not repeated, so a quoted field that
 * never closes costs linear time, not quadratic.
 */
export class RecordBoundaryScanner {
  /** Resume position; a field start unless `inQuotes`. */
  private pos = 0;
  private inQuotes = false;
  /** Inside quotes: where the search for the closing quote goes on from. */
  private quoteSearch = 0;
  /** A lone quote whose closing check waits for more text, and where that check goes on. */
  private checkQuote = -1;
  private checkFrom = 0;
  private fieldStart = 0;
  private lastEnd = 0;
  private recordMultiline = false;
  private multiline = false;
  private marks: VisitMarks | null = null;
  /** The field start this scan last marked (a pause can come back to it). */
  private markedField = -1;
  private strays = 0;
  private straysAtLastEnd = 0;
  private readonly counter: WorkCounter = { n: 0 };
  private readonly quotes: Finder;
  private readonly delimiters: Finder;
  private readonly newlines: Finder;

  constructor(
    private readonly delimiter: string,
    private readonly newline: string,
  ) {
    this.quotes = new Finder('"', this.counter);
    this.delimiters = new Finder(delimiter, this.counter);
    this.newlines = new Finder(newline, this.counter);
  }

  /** Whether the text after the last complete record is inside an unclosed quoted field. */
  get insideQuotes(): boolean {
    return this.inQuotes;
  }

  /**
   * Quotes seen so far inside quoted fields that did not close them (Papa's InvalidQuotes): text
   * with any is better parsed by {@link parseRecordText} than by Papa. `inRecords` counts only
   * those in complete records (up to `complete`).
   */
  strayQuotes(inRecords: boolean): number {
    return inRecords ? this.straysAtLastEnd : this.strays;
  }

  /** Characters examined so far (searches, closing checks): linear in the text, always. */
  get work(): number {
    return this.counter.n;
  }

  /**
   * Scans as far as the text allows. With `atEnd`, the text is the rest of the file: a quote
   * at its very end closes its field, and the caller treats whatever follows `complete` as the
   * final record (no line ending) or, when `insideQuotes`, as an unclosed quoted field. With a
   * `budget`, it stops (`paused`) once about that many characters have been examined.
   */
  scan(text: string, atEnd: boolean, budget = Number.POSITIVE_INFINITY): ScanResult {
    const { delimiter, newline, marks, counter } = this;
    const dl = delimiter.length;
    const nl = newline.length;
    const len = text.length;
    const stopAt = counter.n + budget;
    let paused = false;
    let i = this.pos;
    for (;;) {
      if (counter.n >= stopAt) {
        paused = true;
        break;
      }
      if (this.inQuotes) {
        const from = this.quoteSearch;
        if (marks !== null && !marks.enterQuoted(from)) {
          // An earlier scan searched on from here and never found the closing quote.
          this.quoteSearch = len;
          break;
        }
        const q = this.quotes.next(text, from);
        if (q === -1) {
          this.quoteSearch = len;
          break;
        }
        if (q === len - 1) {
          if (atEnd) {
            this.closeQuotedField(text, q);
            i = len;
          } else {
            this.waitOn(q, q + 1);
          }
          break;
        }
        if (text.charCodeAt(q + 1) === QUOTE) {
          this.quoteSearch = q + 2;
          continue;
        }
        const k = this.closingCheck(text, q, atEnd);
        if (k === UNDECIDED) break;
        if (k === NOT_CLOSING) {
          this.strays++;
          this.quoteSearch = q + 1;
          continue;
        }
        this.closeQuotedField(text, q);
        if (text.startsWith(delimiter, k)) {
          i = k + dl;
        } else {
          i = k + nl;
          this.endRecord(i);
        }
        continue;
      }
      if (i >= len) break;
      if (marks !== null && i !== this.markedField && !marks.enterField(i)) {
        // An earlier scan went on from this field start into a quote that never closes.
        this.inQuotes = true;
        this.quoteSearch = len;
        break;
      }
      this.markedField = i;
      if (text.charCodeAt(i) === QUOTE) {
        this.inQuotes = true;
        this.fieldStart = i + 1;
        this.quoteSearch = i + 1;
        continue;
      }
      if (this.quotes.next(text, i) === -1) {
        // No quote ahead: every remaining line ending ends a record. With a budget, only those
        // it reaches, so the caller can hand records on (and look for a cancel) as it goes.
        const from = this.newlines.knownFreeUntil(i);
        const room = Math.max(nl, stopAt - counter.n);
        const end = len - from > room ? from + room : len;
        const last = this.lastNewline(text, from, end);
        if (last >= i) this.endRecord(last + nl);
        i = Math.max(i, this.lastEnd);
        this.newlines.noneIn(i, end - nl + 1);
        if (end === len) break;
        // Field starts from here on lead to no quote, so they need no marks.
        this.markedField = i;
        continue;
      }
      const d = this.delimiters.next(text, i);
      const n = this.newlines.next(text, i);
      if (d !== -1 && (n === -1 || d < n)) {
        i = d + dl;
        continue;
      }
      if (n === -1) break;
      i = n + nl;
      this.endRecord(i);
    }
    this.pos = i;
    return { complete: this.lastEnd, multiline: this.multiline, paused };
  }

  /** The caller handed on the complete records: `multiline` starts afresh. */
  recordsTaken(): void {
    this.multiline = false;
  }

  /** The caller removed the first `count` characters (up to `complete`) from the buffer. */
  consumed(count: number): void {
    this.pos -= count;
    this.quoteSearch -= count;
    if (this.checkQuote !== -1) this.checkQuote -= count;
    this.checkFrom -= count;
    this.fieldStart -= count;
    this.lastEnd -= count;
    this.multiline = false;
    this.markedField = -1;
    this.quotes.shift(count);
    this.delimiters.shift(count);
    this.newlines.shift(count);
    this.marks = null;
  }

  /**
   * Give up on an unclosed quote: scanning starts afresh at `at` (a record start) in the same
   * text, with no characters consumed.
   */
  restartAt(at: number): void {
    this.inQuotes = false;
    this.pos = at;
    this.quoteSearch = at;
    this.checkQuote = -1;
    this.markedField = -1;
    this.lastEnd = at;
    this.recordMultiline = false;
    this.multiline = false;
  }

  /**
   * From now on (until `consumed`), remember every state scans pass through in `marks`, and
   * stop a scan as soon as it reaches a state an earlier scan passed: the earlier scan ended
   * inside a quote that never closed, with no record ending after that state, so this one
   * would too. Restarting after each unclosed quote thus costs linear time in all, however
   * many restarts there are. Only for text that no longer grows (`atEnd`).
   */
  track(marks: VisitMarks): void {
    this.marks = marks;
  }

  /**
   * Whether the lone quote at `q` (not followed by another quote) closes its field: only
   * whitespace may stand between it and a delimiter or line ending, as Papa decides it. Returns
   * where that delimiter or line ending starts, NOT_CLOSING, or UNDECIDED (more text needed).
   */
  private closingCheck(text: string, q: number, atEnd: boolean): number {
    const { delimiter, newline } = this;
    const len = text.length;
    const d0 = delimiter.charCodeAt(0);
    const n0 = newline.charCodeAt(0);
    const longest = Math.max(delimiter.length, newline.length);
    const from = q === this.checkQuote ? this.checkFrom : q + 1;
    this.checkQuote = -1;
    let j = from;
    let verdict = NOT_CLOSING;
    for (; j < len; j++) {
      const c = text.charCodeAt(j);
      if (c === d0 && text.startsWith(delimiter, j)) {
        verdict = j;
        break;
      }
      if (c === n0 && text.startsWith(newline, j)) {
        verdict = j;
        break;
      }
      if (
        !atEnd &&
        j + longest > len &&
        (delimiter.startsWith(text.slice(j)) || newline.startsWith(text.slice(j)))
      ) {
        // A delimiter or line ending may be starting here, cut off by the end of the slice.
        this.waitOn(q, j);
        verdict = UNDECIDED;
        break;
      }
      if (!isTrimSpace(c)) break;
    }
    this.counter.n += j - from + 1;
    if (j === len && !atEnd) {
      this.waitOn(q, j);
      return UNDECIDED;
    }
    return verdict;
  }

  private waitOn(q: number, checkFrom: number): void {
    this.quoteSearch = q;
    this.checkQuote = q;
    this.checkFrom = checkFrom;
  }

  /**
   * The last line ending that starts in `[start, end)`, or -1. Counted as work over the whole
   * stretch: the records it completes are parsed next.
   */
  private lastNewline(text: string, start: number, end: number): number {
    const r = text.substring(start, end).lastIndexOf(this.newline);
    this.counter.n += end - start + 1;
    return r === -1 ? -1 : start + r;
  }

  private closeQuotedField(text: string, closingQuote: number): void {
    this.inQuotes = false;
    const n = this.newlines.next(text, this.fieldStart);
    if (n !== -1 && n < closingQuote) this.recordMultiline = true;
  }

  private endRecord(end: number): void {
    this.lastEnd = end;
    this.straysAtLastEnd = this.strays;
    if (this.recordMultiline) this.multiline = true;
    this.recordMultiline = false;
  }
}
