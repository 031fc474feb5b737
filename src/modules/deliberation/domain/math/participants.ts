/**
 * Which participants are clustered: Pol.is `in-conv` (conversation.clj). A participant enters
 * once they have voted on at least min(7, statements); while fewer than 15 are in, the most
 * active voters are added until there are 15. Once in, always in (pass the previous set).
 */

export const IN_CONVERSATION_MIN_VOTES = 7
export const IN_CONVERSATION_TOP_UP = 15

/**
 * Returns a 0/1 mask over rows. `voteCounts` counts votes on every statement, moderated-out
 * ones included, as Pol.is counts them on the raw matrix; `statementCount` is the number of
 * matrix columns. Ties in the top-up go to the lower participant id, so the choice does not
 * depend on row order.
 */
export function selectInConversation(
  voteCounts: Int32Array,
  statementCount: number,
  participantIds: readonly number[],
  previous?: Uint8Array,
): Uint8Array {
  const n = voteCounts.length
  const threshold = Math.min(IN_CONVERSATION_MIN_VOTES, statementCount)
  const inConv = new Uint8Array(n)
  let size = 0
  for (let i = 0; i < n; i++) {
    if ((previous !== undefined && i < previous.length && previous[i] === 1) || voteCounts[i] >= threshold) {
      inConv[i] = 1
      size++
    }
  }
  if (size < IN_CONVERSATION_TOP_UP) {
    const rest: number[] = []
    for (let i = 0; i < n; i++) if (inConv[i] === 0 && voteCounts[i] > 0) rest.push(i)
    rest.sort((a, b) => voteCounts[b] - voteCounts[a] || participantIds[a] - participantIds[b])
    for (const i of rest.slice(0, IN_CONVERSATION_TOP_UP - size)) inConv[i] = 1
  }
  return inConv
}
