/**
 * Pol.is's group-count smoother for live updates (conversation.clj `group-k-smoother`): the
 * number of groups shown only changes when a new k has had the best silhouette on `buffer`
 * consecutive updates (Pol.is `group-k-buffer` = 4), so the map does not flicker between, say,
 * 2 and 3 groups as votes trickle in. The first update shows its best k at once.
 */

export const GROUP_K_BUFFER = 4

export interface GroupKSmoother {
  /** Best k of the latest update. */
  readonly lastK: number
  /** Consecutive updates on which lastK was best. */
  readonly lastKCount: number
  /** The k shown. */
  readonly smoothedK: number
}

export function smoothGroupK(
  previous: GroupKSmoother | undefined,
  bestK: number,
  buffer = GROUP_K_BUFFER,
): GroupKSmoother {
  const lastKCount = previous !== undefined && previous.lastK === bestK ? previous.lastKCount + 1 : 1
  const smoothedK = lastKCount >= buffer || previous === undefined ? bestK : previous.smoothedK
  return { lastK: bestK, lastKCount, smoothedK }
}
