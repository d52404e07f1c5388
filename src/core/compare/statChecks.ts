/**
 * Argument checks shared by the comparison statistics (./bootstrap.ts, ./wilcoxon.ts,
 * ./rankAgreement.ts, ./beyondAccuracy.ts); each throws a RangeError that names the bad value.
 */

export function checkFinite(values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new RangeError(`Every value must be finite, but ${name}[${i}] is ${values[i]}.`);
    }
  }
}

export function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new RangeError(`Paired values need equal lengths, got ${a.length} and ${b.length}.`);
  }
}

export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer >= 1, got ${k}.`);
}

export function checkResamples(resamples: number): void {
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`resamples must be an integer >= 1, got ${resamples}.`);
  }
}

export function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`The confidence level must lie strictly between 0 and 1, got ${level}.`);
  }
}

/** Top-k lists are row-major with stride k, so their length is a multiple of k. */
export function checkTopLists(topLists: ArrayLike<number>, k: number): void {
  checkK(k);
  if (topLists.length % k !== 0) {
    throw new RangeError(`Top lists have length ${topLists.length}, not a multiple of k = ${k}.`);
  }
}

export function sumOf(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}
