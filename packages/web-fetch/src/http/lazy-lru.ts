import { createRequire } from 'node:module';
import type { LRUCache } from 'lru-cache';

type LruModule = typeof import('lru-cache');
let loaded: LruModule | undefined;

/**
 * An LRU cache made on first use: lru-cache then loads with the first fetch rather than with the server (a few ms
 * of its start, for a pack that may never fetch).
 */
export function lazyLru<K extends {}, V extends {}>(options: LRUCache.Options<K, V, unknown>): () => LRUCache<K, V> {
  let cache: LRUCache<K, V> | undefined;
  return () => {
    loaded ??= createRequire(import.meta.url)('lru-cache') as LruModule;
    cache ??= new loaded.LRUCache<K, V>(options);
    return cache;
  };
}
