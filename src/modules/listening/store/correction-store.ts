/**
 * Staff corrections of sentiment labels (issue #6: "staff corrections of a label are stored for
 * the next training"). Correcting a post also relabels it and its matches, so the insights show
 * what staff decided; the model's own label is kept beside the correction.
 */
import type { DbOrTrx } from '../../../platform/db/database.js'
import type { SentimentLabel } from '../../../platform/text/index.js'
import './tables.js'

export interface SentimentCorrection {
  readonly postId: number
  readonly text: string
  readonly lang: string | null
  readonly modelLabel: SentimentLabel
  readonly label: SentimentLabel
  readonly correctedAt: string
}

/** Stores (or replaces) the correction of one post; returns false if the post does not exist. */
export async function correctSentiment(
  db: DbOrTrx,
  postId: number,
  label: SentimentLabel,
  staffId: number | null,
  now: Date,
): Promise<boolean> {
  const post = await db
    .selectFrom('listening_posts')
    .select(['id', 'text', 'lang', 'sentiment'])
    .where('id', '=', postId)
    .executeTakeFirst()
  if (!post) return false
  const previous = await db
    .selectFrom('listening_sentiment_corrections')
    .select('model_label')
    .where('post_id', '=', postId)
    .executeTakeFirst()
  // A second correction keeps what the model first said.
  const modelLabel = previous?.model_label ?? post.sentiment
  await db
    .insertInto('listening_sentiment_corrections')
    .values({
      post_id: postId,
      text: post.text,
      lang: post.lang,
      model_label: modelLabel,
      label,
      corrected_by: staffId,
      corrected_at: now.toISOString(),
    })
    .onConflict((oc) =>
      oc.column('post_id').doUpdateSet({ label, corrected_by: staffId, corrected_at: now.toISOString() }),
    )
    .execute()
  await db.updateTable('listening_posts').set({ sentiment: label }).where('id', '=', postId).execute()
  await db.updateTable('listening_matches').set({ sentiment: label }).where('post_id', '=', postId).execute()
  return true
}

/** Every correction, oldest first (the training script's `--extra` input). */
export async function listCorrections(db: DbOrTrx): Promise<SentimentCorrection[]> {
  const rows = await db
    .selectFrom('listening_sentiment_corrections')
    .selectAll()
    .orderBy('corrected_at')
    .orderBy('post_id')
    .execute()
  return rows.map((r) => ({
    postId: Number(r.post_id),
    text: r.text,
    lang: r.lang,
    modelLabel: r.model_label as SentimentLabel,
    label: r.label as SentimentLabel,
    correctedAt: r.corrected_at,
  }))
}

/** One `label<TAB>text` line per correction, as `scripts/train-sentiment.ts --extra` reads them. */
export function correctionsTsv(corrections: readonly SentimentCorrection[]): string {
  return corrections.map((c) => `${c.label}\t${c.text.replace(/[\t\r\n]+/g, ' ')}\n`).join('')
}
