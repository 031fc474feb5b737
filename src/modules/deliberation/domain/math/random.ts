import { seededRandom } from '../../../../platform/random.js'

/**
 * Seeded pseudo-random numbers for the opinion math. Every random choice (PCA start vectors,
 * k-means++ seeding) draws from one of these, so an analysis is reproducible bit for bit.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number

/** The seed every analysis uses unless told otherwise. */
export const DEFAULT_SEED = 20_141_105

/** mulberry32, shared with the rest of Townsquare (src/platform/random.ts). */
export const mulberry32: (seed: number) => Random = seededRandom
