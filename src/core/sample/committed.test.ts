/**
 * The committed sample-data/ files must be exactly what the generator produces now, so the
 * bundled data can never drift from the code that documents it. If this fails after a
 * deliberate change to the simulation, run `npm run sample-data` and commit the files.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderSampleFiles, type SampleFileName } from './format';
import { simulateSample } from './simulate';

const directory = fileURLToPath(new URL('../../../sample-data/', import.meta.url));
const expected = renderSampleFiles(simulateSample());

describe('committed sample-data/', () => {
  for (const name of Object.keys(expected) as SampleFileName[]) {
    it(`${name} equals the generator's output (else run npm run sample-data)`, () => {
      const committed = readFileSync(`${directory}${name}`, 'utf8');
      // Compare sizes first so a mismatch does not print a megabyte-long diff.
      expect(committed.length).toBe(expected[name].length);
      expect(committed === expected[name]).toBe(true);
    });
  }
});
