/**
 * Adjusted Rand index (Hubert & Arabie 1985) between two labelings of the same items: 1 for the
 * same partition (whatever the label names), about 0 for chance agreement. Labels may be any
 * values compared with ===.
 */
export function adjustedRandIndex(a: readonly unknown[], b: readonly unknown[]): number {
  if (a.length !== b.length) throw new RangeError(`labelings differ in length (${a.length} and ${b.length})`)
  const n = a.length
  const pairs = (x: number): number => (x * (x - 1)) / 2
  const cells = new Map<string, number>()
  const rows = new Map<unknown, number>()
  const cols = new Map<unknown, number>()
  const idA = new Map<unknown, number>()
  const idB = new Map<unknown, number>()
  for (let i = 0; i < n; i++) {
    if (!idA.has(a[i])) idA.set(a[i], idA.size)
    if (!idB.has(b[i])) idB.set(b[i], idB.size)
    const key = `${idA.get(a[i])}:${idB.get(b[i])}`
    cells.set(key, (cells.get(key) ?? 0) + 1)
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1)
    cols.set(b[i], (cols.get(b[i]) ?? 0) + 1)
  }
  let index = 0
  for (const c of cells.values()) index += pairs(c)
  let sumA = 0
  for (const c of rows.values()) sumA += pairs(c)
  let sumB = 0
  for (const c of cols.values()) sumB += pairs(c)
  const expected = n > 1 ? (sumA * sumB) / pairs(n) : 0
  const maximum = (sumA + sumB) / 2
  // Both labelings trivial in the same way (one cluster each, or all singletons): identical.
  if (maximum === expected) return 1
  return (index - expected) / (maximum - expected)
}
