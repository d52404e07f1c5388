/**
 * The production build (`vite build` runs before the e2e specs) holds one copy of
 * @tensorflow/tfjs-core: tfjs-layers and tfjs-converter (imported models) must resolve to the
 * same pinned core as the backends, or tensors made by one copy would be foreign to the other.
 * A message that appears a fixed number of times in one copy of core is counted over every
 * emitted chunk and compared with the count in core's own minified build.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const MARKER = 'not found in registry';
const count = (text: string) => text.split(MARKER).length - 1;

test('the build bundles exactly one copy of tfjs-core', () => {
  const reference = count(
    readFileSync('node_modules/@tensorflow/tfjs-core/dist/tf-core.min.js', 'utf8'),
  );
  expect(reference).toBeGreaterThan(0);
  const assets = path.join('dist', 'assets');
  const total = readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + count(readFileSync(path.join(assets, f), 'utf8')), 0);
  expect(total).toBe(reference);
});
