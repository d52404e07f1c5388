/**
 * Invented item titles. A few patterns put commas, double quotes, apostrophes and accented
 * letters into titles on purpose, so that the bundled files exercise CSV quoting and UTF-8.
 */
import type { SeededRandom } from './random';
import { ADJECTIVES, NAMES, NOUNS, THEME_WORDS } from './vocabulary';

type TitlePattern = (rng: SeededRandom, theme: string) => string;

const PATTERNS: { weight: number; make: TitlePattern }[] = [
  { weight: 30, make: (r, t) => `The ${r.pick(ADJECTIVES)} ${t}` },
  { weight: 16, make: (r, t) => `${t} at the ${r.pick(ADJECTIVES)} ${r.pick(NOUNS)}` },
  { weight: 12, make: (r, t) => `${r.pick(NAMES)}'s ${t}` },
  { weight: 10, make: (r, t) => `${t} of the ${r.pick(NOUNS)}` },
  { weight: 8, make: (r, t) => `The ${t} Handbook: ${r.pick(ADJECTIVES)} Edition` },
  { weight: 6, make: (r, t) => `${t}, ${r.pick(NOUNS)} and ${r.pick(NOUNS)}` },
  {
    weight: 5,
    make: (r, t) => `${r.pick(ADJECTIVES)} ${r.pick(NOUNS)}, ${r.pick(ADJECTIVES)} ${t}`,
  },
  { weight: 5, make: (r, t) => `The "${r.pick(ADJECTIVES)}" ${t}` },
  { weight: 3, make: (_r, t) => `Notes on "${t}"` },
  { weight: 5, make: (r, t) => `${t} No. ${r.int(2, 12)}` },
];
const PATTERN_WEIGHTS = PATTERNS.map((p) => p.weight);

/**
 * A title for an item of `category`, unique within `used` (a repeated title gets a volume
 * suffix) and added to it.
 */
export function generateTitle(rng: SeededRandom, category: string, used: Set<string>): string {
  const themes = THEME_WORDS[category];
  if (!themes) throw new Error(`No theme words for category "${category}".`);
  const base = PATTERNS[rng.weightedIndex(PATTERN_WEIGHTS)].make(rng, rng.pick(themes));
  let title = base;
  for (let volume = 2; used.has(title); volume++) title = `${base} (Vol. ${volume})`;
  used.add(title);
  return title;
}
