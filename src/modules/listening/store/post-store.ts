import { sql } from 'kysely'
import type { DbOrTrx } from '../../../platform/db/database.js'
import type { AnalysedPost } from '../domain/post.js'
import type { MatchablePost } from '../domain/query/index.js'
import './tables.js'

/** A stored post as the dashboard, exports and the matcher read it. */
export interface StoredPost extends MatchablePost {
  readonly id: number
  readonly sourceId: number
  readonly externalId: string
  readonly url: string | null
  readonly authorName: string | null
  readonly publishedAt: string
  readonly sentiment: 'negative' | 'neutral' | 'positive'
  readonly sentimentScore: number
  readonly keywords: readonly string[]
  readonly topic: string | null
}

type PostRow = {
  id: number
  source_id: number
  network: string
  external_id: string
  url: string | null
  site: string | null
  author: string | null
  author_name: string | null
  text: string
  lang: string | null
  published_at: string
  sentiment: string
  sentiment_score: number
  keywords: string
  places: string
  hashtags: string
  mentions: string
  topic: string | null
}

const POST_COLUMNS = [
  'id',
  'source_id',
  'network',
  'external_id',
  'url',
  'site',
  'author',
  'author_name',
  'text',
  'lang',
  'published_at',
  'sentiment',
  'sentiment_score',
  'keywords',
  'places',
  'hashtags',
  'mentions',
  'topic',
] as const

export function toStoredPost(r: PostRow): StoredPost {
  return {
    id: Number(r.id),
    sourceId: Number(r.source_id),
    externalId: r.external_id,
    source: r.network,
    url: r.url,
    site: r.site,
    author: r.author,
    authorName: r.author_name,
    text: r.text,
    lang: r.lang,
    publishedAt: r.published_at,
    sentiment: r.sentiment as StoredPost['sentiment'],
    sentimentScore: Number(r.sentiment_score),
    keywords: JSON.parse(r.keywords) as string[],
    places: JSON.parse(r.places) as string[],
    hashtags: JSON.parse(r.hashtags) as string[],
    mentions: JSON.parse(r.mentions) as string[],
    topic: r.topic,
  }
}

/** Rows per INSERT: 19 columns × 400 stays under every dialect's parameter limit. */
const CHUNK = 400

/** Which of these external ids a source already has (so nothing is analysed twice). */
export async function existingExternalIds(
  db: DbOrTrx,
  sourceId: number,
  ids: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>()
  for (let i = 0; i < ids.length; i += 900) {
    const rows = await db
      .selectFrom('listening_posts')
      .select('external_id')
      .where('source_id', '=', sourceId)
      .where('external_id', 'in', ids.slice(i, i + 900))
      .execute()
    for (const r of rows) found.add(r.external_id)
  }
  return found
}

/**
 * Stores analysed posts; one that is already there (same source and external id) is left alone.
 * Returns the posts actually inserted, with their ids.
 */
export async function insertPosts(
  db: DbOrTrx,
  source: { readonly id: number; readonly network: string; readonly retentionDays: number },
  posts: readonly AnalysedPost[],
  now: Date,
): Promise<{ id: number; post: AnalysedPost }[]> {
  const out: { id: number; post: AnalysedPost }[] = []
  const collectedAt = now.toISOString()
  const retentionMs = source.retentionDays * 86_400_000
  for (let i = 0; i < posts.length; i += CHUNK) {
    const chunk = posts.slice(i, i + CHUNK)
    const rows = await db
      .insertInto('listening_posts')
      .values(
        chunk.map((p) => ({
          source_id: source.id,
          network: source.network,
          external_id: p.externalId,
          url: p.url,
          site: p.site,
          author: p.author,
          author_name: p.authorName,
          text: p.text,
          lang: p.lang,
          published_at: p.publishedAt,
          collected_at: collectedAt,
          sentiment: p.sentiment,
          sentiment_score: p.sentimentScore,
          keywords: JSON.stringify(p.keywords),
          places: JSON.stringify(p.places),
          hashtags: JSON.stringify(p.hashtags),
          mentions: JSON.stringify(p.mentions),
          topic: p.topic,
          // Kept for the source's retention period from when it was published.
          expires_at: new Date(Date.parse(p.publishedAt) + retentionMs).toISOString(),
        })),
      )
      .onConflict((oc) => oc.columns(['source_id', 'external_id']).doNothing())
      .returning(['id', 'external_id'])
      .execute()
    const byId = new Map(chunk.map((p) => [p.externalId, p]))
    for (const r of rows) out.push({ id: Number(r.id), post: byId.get(r.external_id)! })
  }
  return out
}

export interface MatchRow {
  readonly queryId: number
  readonly postId: number
  readonly terms: readonly string[]
  readonly publishedAt: string
  readonly sentiment: string
}

export async function insertMatches(db: DbOrTrx, matches: readonly MatchRow[]): Promise<void> {
  for (let i = 0; i < matches.length; i += 1000) {
    await db
      .insertInto('listening_matches')
      .values(
        matches.slice(i, i + 1000).map((m) => ({
          query_id: m.queryId,
          post_id: m.postId,
          terms: JSON.stringify(m.terms),
          published_at: m.publishedAt,
          sentiment: m.sentiment,
        })),
      )
      .onConflict((oc) => oc.columns(['query_id', 'post_id']).doNothing())
      .execute()
  }
}

/** Stored posts in id order, a page at a time (for matching a new query against what is stored). */
export async function* iteratePosts(
  db: DbOrTrx,
  options: { since?: string; pageSize?: number } = {},
): AsyncGenerator<StoredPost[]> {
  let after = 0
  const size = options.pageSize ?? 2000
  for (;;) {
    let q = db.selectFrom('listening_posts').select(POST_COLUMNS).where('id', '>', after)
    if (options.since) q = q.where('published_at', '>=', options.since)
    const rows = await q.orderBy('id').limit(size).execute()
    if (rows.length === 0) return
    after = Number(rows.at(-1)!.id)
    yield rows.map((r) => toStoredPost(r as PostRow))
  }
}

export async function findPostsByIds(db: DbOrTrx, ids: readonly number[]): Promise<StoredPost[]> {
  if (ids.length === 0) return []
  const rows = await db.selectFrom('listening_posts').select(POST_COLUMNS).where('id', 'in', ids).execute()
  const byId = new Map(rows.map((r) => [Number(r.id), toStoredPost(r as PostRow)]))
  return ids.map((id) => byId.get(id)).filter((p): p is StoredPost => p !== undefined)
}

/** Posts matched by a query in a time window, newest first. */
export async function matchedPosts(
  db: DbOrTrx,
  queryId: number,
  options: { from?: string; to?: string; limit?: number; offset?: number } = {},
): Promise<(StoredPost & { terms: string[] })[]> {
  let q = db
    .selectFrom('listening_matches as m')
    .innerJoin('listening_posts as p', 'p.id', 'm.post_id')
    .select([...POST_COLUMNS.map((c) => `p.${c}` as const), 'm.terms as match_terms'])
    .where('m.query_id', '=', queryId)
  if (options.from) q = q.where('m.published_at', '>=', options.from)
  if (options.to) q = q.where('m.published_at', '<', options.to)
  const rows = await q
    .orderBy('m.published_at', 'desc')
    .orderBy('m.post_id', 'desc')
    .limit(options.limit ?? 100_000)
    .offset(options.offset ?? 0)
    .execute()
  return rows.map((r) => ({
    ...toStoredPost(r as unknown as PostRow),
    terms: JSON.parse((r as { match_terms: string }).match_terms) as string[],
  }))
}

export async function countPosts(db: DbOrTrx): Promise<number> {
  const row = await db
    .selectFrom('listening_posts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Retention: removes posts whose period has ended (their matches go with them). */
export async function deleteExpiredPosts(db: DbOrTrx, now: Date): Promise<number> {
  const res = await db
    .deleteFrom('listening_posts')
    .where('expires_at', '<', now.toISOString())
    .executeTakeFirst()
  return Number(res.numDeletedRows ?? 0)
}

/** Hourly counts of a query's matches, `hour` as an ISO string to the hour. */
export async function hourlyCounts(
  db: DbOrTrx,
  queryId: number,
  from: string,
  to: string,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('listening_matches')
    .select([sql<string>`substr(published_at, 1, 13)`.as('hour'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('query_id', '=', queryId)
    .where('published_at', '>=', from)
    .where('published_at', '<', to)
    .groupBy(sql`substr(published_at, 1, 13)`)
    .execute()
  return new Map(rows.map((r) => [`${r.hour}:00:00.000Z`, Number(r.n)]))
}
