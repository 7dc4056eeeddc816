/**
 * Keeps a cache Map within its capacity by dropping its oldest entries (a Map iterates in
 * insertion order), so caches of runtime state stay the same size however many instances wait.
 */
export function evictOldest<K, V>(cache: Map<K, V>, capacity: number): void {
  let excess = cache.size - capacity;
  if (excess <= 0) return;
  for (const key of cache.keys()) {
    cache.delete(key);
    if (--excess === 0) return;
  }
}
