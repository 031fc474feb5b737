/**
 * Seeded pseudo-random numbers for the opinion math. Every random choice (PCA start vectors,
 * k-means++ seeding) draws from one of these, so an analysis is reproducible bit for bit.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number

/** The seed every analysis uses unless told otherwise. */
export const DEFAULT_SEED = 20_141_105

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): tiny, fast, and good enough for sampling
 * cluster seeds. Not for anything security-related.
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
