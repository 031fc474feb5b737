/**
 * The significance tests of Pol.is's representative and consensus statements
 * (math/stats.clj). Both add one to every count, a pseudocount that keeps small groups from
 * producing extreme values.
 */

/** z above this is significant at 90 % (one-sided): Pol.is `z-sig-90?`. */
export const Z_90 = 1.2816

export function isSignificant90(z: number): boolean {
  return z > Z_90
}

/**
 * One-proportion z-test of `successes` out of `trials` against ½, with pseudocounts:
 * 2·√(n+1)·((s+1)/(n+1) − ½). Pol.is `prop-test`.
 */
export function propTest(successes: number, trials: number): number {
  const s = successes + 1
  const n = trials + 1
  return 2 * Math.sqrt(n) * (s / n - 0.5)
}

/**
 * Two-proportion z-test (group against the rest), every count plus one. Pol.is `two-prop-test`;
 * 0 when the pooled proportion is 1, as there.
 */
export function twoPropTest(
  successesIn: number,
  successesOut: number,
  trialsIn: number,
  trialsOut: number,
): number {
  const s1 = successesIn + 1
  const s2 = successesOut + 1
  const n1 = trialsIn + 1
  const n2 = trialsOut + 1
  const pooled = (s1 + s2) / (n1 + n2)
  if (pooled === 1) return 0
  return (s1 / n1 - s2 / n2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
}
