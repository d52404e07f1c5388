/**
 * The simulation scales to the large catalogues issue 12 measures (100,000 items): ids stay
 * distinct, 6 digits above 60,000 items, and the configuration says where it ends.
 */
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../random';
import { buildCatalog } from './catalog';
import { resolveSampleConfig, scaledSampleConfig } from './config';

describe('large simulated catalogues', () => {
  it('100,000 items get distinct p + 6-digit ids; 60,000 keep 5 digits', () => {
    for (const [items, pattern] of [
      [100_000, /^p\d{6}$/],
      [60_000, /^p\d{5}$/],
    ] as const) {
      const config = scaledSampleConfig(items);
      const catalog = buildCatalog(config, new SeededRandom(config.seed, 'catalog'));
      expect(catalog.items).toHaveLength(items);
      expect(new Set(catalog.items.map((i) => i.id)).size).toBe(items);
      expect(catalog.items.every((i) => pattern.test(i.id))).toBe(true);
    }
  });

  it('refuses more than 600,000 items in one sentence', () => {
    expect(() => resolveSampleConfig({ items: 600_001 })).toThrow(/items must be an integer/);
  });
});
