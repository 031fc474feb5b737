import type { DbOrTrx } from '../../../platform/db/database.js'
import './tables.js'

export interface Media {
  readonly id: number
  readonly postId: number
  readonly mimeType: string
  readonly size: number
  readonly altEn: string
  readonly altCy: string
}

type Row = {
  id: number | string
  post_id: number | string
  mime_type: string
  size: number
  alt_en: string
  alt_cy: string
}

function toMedia(r: Row): Media {
  return {
    id: Number(r.id),
    postId: Number(r.post_id),
    mimeType: r.mime_type,
    size: Number(r.size),
    altEn: r.alt_en,
    altCy: r.alt_cy,
  }
}

const COLUMNS = ['id', 'post_id', 'mime_type', 'size', 'alt_en', 'alt_cy'] as const

/** A post's images in upload order, without their bytes. */
export async function listMedia(db: DbOrTrx, postId: number): Promise<Media[]> {
  const rows = await db
    .selectFrom('publishing_media')
    .select(COLUMNS)
    .where('post_id', '=', postId)
    .orderBy('id')
    .execute()
  return rows.map(toMedia)
}

export async function findMedia(
  db: DbOrTrx,
  id: number,
): Promise<(Media & { data: Uint8Array }) | undefined> {
  const r = await db
    .selectFrom('publishing_media')
    .select([...COLUMNS, 'data'])
    .where('id', '=', id)
    .executeTakeFirst()
  return r ? { ...toMedia(r), data: new Uint8Array(r.data) } : undefined
}

/** A post's images with their bytes, for the publisher. */
export async function mediaWithData(db: DbOrTrx, postId: number): Promise<(Media & { data: Uint8Array })[]> {
  const rows = await db
    .selectFrom('publishing_media')
    .select([...COLUMNS, 'data'])
    .where('post_id', '=', postId)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({ ...toMedia(r), data: new Uint8Array(r.data) }))
}

export async function insertMedia(
  db: DbOrTrx,
  m: { postId: number; mimeType: string; data: Uint8Array; altEn: string; altCy: string },
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('publishing_media')
    .values({
      post_id: m.postId,
      mime_type: m.mimeType,
      size: m.data.length,
      data: Buffer.from(m.data),
      alt_en: m.altEn,
      alt_cy: m.altCy,
      created_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

export async function deleteMedia(db: DbOrTrx, postId: number, id: number): Promise<boolean> {
  const res = await db
    .deleteFrom('publishing_media')
    .where('id', '=', id)
    .where('post_id', '=', postId)
    .executeTakeFirst()
  return Number(res.numDeletedRows) === 1
}
