/**
 * The data-defined parts of the `weighted` model's position weights, computed on the CPU from
 * the tokens (they hold no learned parameter): item frequency in the window and recency.
 * Both divide by the window length `maxLen`, never by the number of real items, so the model
 * stays additive in its history items (see weighted.ts).
 */

/**
 * f_t for a whole window, `[batch, maxLen]`: occurrences of position t's token among the real
 * positions of its row, over `maxLen`; 0 at padding.
 */
export function windowFrequency(tokens: Int32Array, batch: number, maxLen: number): Float32Array {
  const out = new Float32Array(batch * maxLen);
  const counts = new Map<number, number>();
  for (let b = 0; b < batch; b++) {
    counts.clear();
    const row = b * maxLen;
    for (let t = 0; t < maxLen; t++) {
      const token = tokens[row + t];
      if (token !== 0) counts.set(token, (counts.get(token) ?? 0) + 1);
    }
    for (let t = 0; t < maxLen; t++) {
      const token = tokens[row + t];
      if (token !== 0) out[row + t] = (counts.get(token) as number) / maxLen;
    }
  }
  return out;
}

/**
 * Frequency and recency of every prefix, each `[batch, maxLen, maxLen]`: row p treats positions
 * 0..p as the window (p = now, age p - t), exactly what {@link windowFrequency} and the scoring
 * recency give when that prefix is the whole history. Rows of padding positions are zero.
 */
export function prefixFrequencyRecency(
  tokens: Int32Array,
  batch: number,
  maxLen: number,
  recencyDecay: number,
): { frequency: Float32Array; recency: Float32Array } {
  const frequency = new Float32Array(batch * maxLen * maxLen);
  const recency = new Float32Array(batch * maxLen * maxLen);
  const decay = Float32Array.from({ length: maxLen }, (_, age) => Math.exp(-age / recencyDecay));
  const counts = new Map<number, number>();
  for (let b = 0; b < batch; b++) {
    counts.clear();
    const first = b * maxLen;
    for (let p = 0; p < maxLen; p++) {
      const now = tokens[first + p];
      if (now === 0) continue;
      counts.set(now, (counts.get(now) ?? 0) + 1);
      const row = (first + p) * maxLen;
      for (let t = 0; t <= p; t++) {
        const token = tokens[first + t];
        if (token === 0) continue;
        frequency[row + t] = (counts.get(token) as number) / maxLen;
        recency[row + t] = decay[p - t];
      }
    }
  }
  return { frequency, recency };
}
