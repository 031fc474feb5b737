/**
 * Short-lived in-process caches for the signing peak (issue #3: "readers reloading to watch the
 * count", 80–100k at once in the 2019 surge). What is cached changes rarely or may be a moment
 * late: petition pages and counts (READ_TTL_MS old, at most twice that while one reader rebuilds
 * them; the goal allows 5 s), settings and the block/allow lists (changes made in this process
 * are seen at once through `changed()`; changes made by another process, e.g. the CLI, within
 * CONFIG_TTL_MS).
 */
export const READ_TTL_MS = 1000
export const CONFIG_TTL_MS = 1000

/**
 * Bumped by every write in this process that changes what a petition page, its count or the
 * fraud rules show, so a cached copy older than the write is never served by this process.
 */
let generation = 0
export function changed(): void {
  generation++
}
export function currentGeneration(): number {
  return generation
}

interface Entry<V> {
  readonly value: V
  readonly at: number
  readonly generation: number
  /** When a reader set out to rebuild this expired entry (the others keep getting it meanwhile). */
  refreshingSince?: number
}

export interface TtlCache<V> {
  /** The value if it is fresh. */
  get(key: string, now?: number): V | undefined
  /**
   * For a hot key: the fresh value; or, once it has expired, `undefined` for ONE caller, who
   * rebuilds it, and the expired value for everyone else meanwhile (at most `ttlMs` more), so a
   * crowd does not rebuild it all at once. After `changed()` everyone gets `undefined`.
   */
  getOrRefresh(key: string, now?: number): V | undefined
  set(key: string, value: V, now?: number): void
  clear(): void
}

/**
 * A map whose entries expire after `ttlMs` or at the next `changed()`. Bounded: when full it is
 * emptied (the entries are cheap to rebuild, and a petition page read by many is rebuilt once).
 */
export function ttlCache<V>(ttlMs: number, maxEntries = 1000): TtlCache<V> {
  const entries = new Map<string, Entry<V>>()
  return {
    get(key, now = Date.now()) {
      const e = entries.get(key)
      if (!e) return undefined
      if (e.generation !== generation || now - e.at >= ttlMs) {
        entries.delete(key)
        return undefined
      }
      return e.value
    },
    getOrRefresh(key, now = Date.now()) {
      const e = entries.get(key)
      if (!e || e.generation !== generation) return undefined
      if (now - e.at < ttlMs) return e.value
      if (e.refreshingSince !== undefined && now - e.refreshingSince < ttlMs) return e.value
      e.refreshingSince = now
      return undefined
    },
    set(key, value, now = Date.now()) {
      if (entries.size >= maxEntries) entries.clear()
      entries.set(key, { value, at: now, generation })
    },
    clear() {
      entries.clear()
    },
  }
}

/**
 * One cached value per owner object (a database handle), for `ttlMs`. The promise is what is
 * kept, so the requests that arrive while it loads share one query.
 */
export function perOwner<O extends object, V>(ttlMs: number) {
  const map = new WeakMap<O, Entry<Promise<V>>>()
  return (owner: O, load: () => Promise<V>, now = Date.now()): Promise<V> => {
    const e = map.get(owner)
    if (e && e.generation === generation && now - e.at < ttlMs) return e.value
    const value = load()
    map.set(owner, { value, at: now, generation })
    // A failed load is not remembered.
    value.catch(() => {
      if (map.get(owner)?.value === value) map.delete(owner)
    })
    return value
  }
}
