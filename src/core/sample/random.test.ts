import { describe, expect, it } from 'vitest';
import { cumulative, drawCumulative, SeededRandom } from './random';

describe('cumulative draws', () => {
  it('agrees between cumulative draws and the weights they come from', () => {
    const rng = new SeededRandom(11);
    const sums = cumulative([0, 2, 0, 6]);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 8_000; i++) counts[drawCumulative(rng, sums)]++;
    expect(counts[0] + counts[2]).toBe(0);
    expect(counts[3] / counts[1]).toBeGreaterThan(2.6);
    expect(counts[3] / counts[1]).toBeLessThan(3.4);
  });
});
