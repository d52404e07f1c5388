/**
 * Which of the user's interest layers the explained item belongs to, in one sentence
 * ("Sci-Fi: matches your deep interest (34 %) and your surface interest now; new to your
 * middle interests"), from the item's categories and the user's observed layers. Pure, tested
 * in Node.
 */
import type { UserInterests } from '../../worker/api';
import { contextLabel } from '../interests/LayerLists';

export interface LayerMatch {
  category: string;
  /** Share of the category in each layer (0 = absent); the middle one names its context. */
  surface: number;
  deep: number;
  middle: { context: string; share: number } | null;
}

const pct = (share: number) => `${Math.round(100 * share)} %`;

/** The layers each of `categories` appears in (deep and surface shares, the middle context where it rises most). */
export function layerMatches(
  categories: readonly string[],
  interests: UserInterests,
): LayerMatch[] {
  const share = (list: readonly { category: string; share: number }[], c: string) =>
    list.find((s) => s.category === c)?.share ?? 0;
  return categories.map((category) => {
    const contexts = interests.middle
      .filter((m) => m.top === category)
      .sort((a, b) => b.divergence - a.divergence);
    return {
      category,
      surface: share(interests.surface.categories, category),
      deep: share(interests.deep.categories, category),
      middle: contexts[0]
        ? { context: contexts[0].context, share: share(contexts[0].categories, category) }
        : null,
    };
  });
}

/** Shares from which a category counts as a layer's interest rather than a trace of it. */
export const DEEP_INTEREST_SHARE = 0.1;
export const SURFACE_INTEREST_SHARE = 0.2;

/** The sentence for one category's match. */
function clause(m: LayerMatch): string {
  const matches: string[] = [];
  const traces: string[] = [];
  const fresh: string[] = [];
  if (m.deep >= DEEP_INTEREST_SHARE) matches.push(`your deep interest (${pct(m.deep)})`);
  else if (m.deep > 0) traces.push(`a small part of your long-term mix (${pct(m.deep)})`);
  else fresh.push('deep');
  if (m.middle) matches.push(`what you turn to ${contextLabel(m.middle.context)}`);
  if (m.surface >= SURFACE_INTEREST_SHARE)
    matches.push(`your surface interest now (${pct(m.surface)})`);
  else if (m.surface > 0) traces.push(`a little of your recent events (${pct(m.surface)})`);
  else fresh.push('surface');
  const parts: string[] = [];
  if (matches.length > 0) parts.push(`matches ${matches.join(' and ')}`);
  if (traces.length > 0)
    parts.push(`${matches.length > 0 ? 'and is ' : 'is '}${traces.join(' and ')}`);
  if (fresh.length > 0) parts.push(`new to your ${fresh.join(' and ')} interests`);
  return `${m.category}: ${parts.join('; ').replace('; and is ', ' and is ')}`;
}

/** The whole sentence for an item's categories, or a plain note when it has none. */
export function interestSentence(categories: readonly string[], interests: UserInterests): string {
  if (categories.length === 0)
    return 'This item has no category, so it belongs to no interest layer.';
  return `${layerMatches(categories, interests).map(clause).join('. ')}.`;
}
