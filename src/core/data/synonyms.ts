/**
 * Header names people use for each column role, matched case-, space-, dash- and
 * underscore-insensitively (so `User ID`, `user_id` and `userId` are one name).
 */
import type { Role } from './types';

export const ROLE_SYNONYMS: Record<Role, readonly string[]> = {
  user: [
    'userId',
    'user_id',
    'uid',
    'user',
    'customer',
    'customer_id',
    'visitor_id',
    'visitorid',
    'client',
    'client_id',
    'session_id',
    'member_id',
    'account_id',
  ],
  item: [
    'itemId',
    'item_id',
    'movieId',
    'movie_id',
    'product_id',
    'productid',
    'sku',
    'article',
    'article_id',
    'item',
    'asin',
    'product',
    'movie',
    'track_id',
    'song_id',
    'book_id',
    'isbn',
    'content_id',
  ],
  timestamp: [
    'timestamp',
    'time',
    'ts',
    'date',
    'datetime',
    'event_time',
    'created_at',
    'unix_time',
    'time_stamp',
    'event_date',
    'occurred_at',
  ],
  action: [
    'action',
    'event',
    'event_type',
    'behavior',
    'behaviour',
    'behavior_type',
    'behaviour_type',
    'type',
    'interaction',
    'interaction_type',
    'action_type',
  ],
  value: ['rating', 'score', 'weight', 'value', 'amount', 'quantity', 'qty', 'stars'],
  category: [
    'category',
    'categories',
    'genre',
    'genres',
    'cat',
    'category_id',
    'tags',
    'tag',
    'category_code',
  ],
  title: ['title', 'name', 'product_name', 'item_name', 'movie_title'],
};

/** Lower case without spaces, dashes, underscores and dots: the form synonyms are compared in. */
export function normalizeHeader(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.]+/g, '');
}

const LOOKUP = new Map<string, Role>();
for (const role of Object.keys(ROLE_SYNONYMS) as Role[]) {
  for (const name of ROLE_SYNONYMS[role]) {
    const key = normalizeHeader(name);
    if (!LOOKUP.has(key)) LOOKUP.set(key, role);
  }
}

/** The role a header name stands for, or null. */
export function roleOfHeader(name: string): Role | null {
  return LOOKUP.get(normalizeHeader(name)) ?? null;
}
