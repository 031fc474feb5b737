import { TextIndex } from '../../../platform/text/index.js'

/**
 * Near-duplicate statements: a new statement too close to one already in the conversation is
 * refused, pointing to the existing one (Pol.is only refuses exact repeats, `UNIQUE(zid, txt)`).
 * Similarity is the text engine's TF-IDF cosine over content words, word pairs and character
 * 4-grams (so "potholes" meets "pot-holes"), computed over the conversation's own statements.
 */

/** Cosine similarity from which a new statement counts as saying the same thing. */
export const DEFAULT_DUPLICATE_THRESHOLD = 0.75

export interface ExistingStatement<Id> {
  readonly id: Id
  readonly texts: readonly string[]
}

export function normaliseForComparison(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** The existing statement the text repeats, with the similarity, or null. */
export function findNearDuplicate<Id>(
  text: string,
  existing: readonly ExistingStatement<Id>[],
  threshold = DEFAULT_DUPLICATE_THRESHOLD,
): { id: Id; score: number } | null {
  const wanted = normaliseForComparison(text)
  if (wanted === '') return null
  for (const e of existing) {
    if (e.texts.some((t) => normaliseForComparison(t) === wanted)) return { id: e.id, score: 1 }
  }
  const index = new TextIndex<number>({ subwords: true })
  const owners: Id[] = []
  for (const e of existing) {
    for (const t of e.texts) {
      if (t.trim() === '') continue
      index.add(owners.length, t)
      owners.push(e.id)
    }
  }
  if (owners.length === 0) return null
  // The new text joins the index, so its own words count in the weights.
  const self = owners.length
  index.add(self, text)
  const [best] = index.nearest({ id: self }, { k: 1, minScore: threshold })
  return best ? { id: owners[best.id], score: best.score } : null
}
