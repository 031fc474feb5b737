import { type Compilable, type CompiledQuery, type Insertable, sql } from 'kysely'
import type { Database, DbOrTrx } from '../../../platform/db/database.js'
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
 * The INSERTs of a batch, compiled once per dialect and row count and run again with new
 * parameters (Kysely's "compile once, execute many"): building and compiling a 400-row insert
 * (7,600 value nodes) for every chunk was ~5% of bench/listening. Batches are cut into chunks of
 * the full size and then powers of two, so a few templates serve every batch size.
 */
const templates = new Map<string, Map<string, CompiledQuery>>()

async function insertTemplated<R>(
  db: DbOrTrx,
  name: string,
  width: number,
  rowCount: number,
  build: (rows: readonly Record<string, number>[]) => Compilable<R>,
  fill: (params: unknown[], row: number, at: number) => void,
): Promise<R[]> {
  // The placeholders differ by dialect (`?` or `$1`); a tiny query tells which one this is.
  const dialect = db.selectFrom('listening_posts').select('id').where('id', '=', 0).compile().sql
  let byShape = templates.get(dialect)
  if (!byShape) {
    byShape = new Map()
    templates.set(dialect, byShape)
  }
  const key = `${name}:${rowCount}`
  let template = byShape.get(key) as CompiledQuery<R> | undefined
  if (!template) {
    // Numbered dummy values show where each row's values land among the parameters.
    const rows = Array.from({ length: rowCount }, (_, r) => ({ r: r * width }))
    template = build(rows as readonly Record<string, number>[]).compile()
    const ok = template.parameters.length === rowCount * width && template.parameters.every((v, i) => v === i)
    if (!ok) throw new Error(`listening ${name}: unexpected parameter order`)
    byShape.set(key, template)
  }
  const params = new Array<unknown>(rowCount * width)
  for (let r = 0; r < rowCount; r++) fill(params, r, r * width)
  const result = await db.executeQuery<R>({ ...template, parameters: params })
  return result.rows
}

/** Chunk sizes for `count` rows: full chunks, then powers of two (so templates are few). */
function chunkSizes(count: number, full: number): number[] {
  const out: number[] = []
  let left = count
  while (left >= full) {
    out.push(full)
    left -= full
  }
  for (let size = 1 << 30; left > 0; size >>= 1) {
    if (size <= left) {
      out.push(size)
      left -= size
    }
  }
  return out
}

/**
 * `JSON.stringify` of a list of strings, without the serialiser for the usual short lists of
 * plain words (nothing JSON escapes: no quote, backslash, control character or surrogate).
 */
function jsonStrings(list: readonly string[]): string {
  let out = '['
  for (let i = 0; i < list.length; i++) {
    const s = list[i]!
    for (let j = 0; j < s.length; j++) {
      const c = s.charCodeAt(j)
      if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(list)
    }
    out += i === 0 ? `"${s}"` : `,"${s}"`
  }
  return `${out}]`
}

/** The columns of `listening_posts` an insert sets, in parameter order. */
const POST_INSERT_WIDTH = 19

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
  let i = 0
  for (const size of chunkSizes(posts.length, CHUNK)) {
    const chunk = posts.slice(i, i + size)
    i += size
    const rows = await insertTemplated(
      db,
      'posts',
      POST_INSERT_WIDTH,
      size,
      (dummy) =>
        db
          .insertInto('listening_posts')
          .values(
            dummy.map(({ r }) => {
              let k = r!
              return {
                source_id: k++,
                network: k++,
                external_id: k++,
                url: k++,
                site: k++,
                author: k++,
                author_name: k++,
                text: k++,
                lang: k++,
                published_at: k++,
                collected_at: k++,
                sentiment: k++,
                sentiment_score: k++,
                keywords: k++,
                places: k++,
                hashtags: k++,
                mentions: k++,
                topic: k++,
                expires_at: k++,
              } as unknown as Insertable<Database['listening_posts']>
            }),
          )
          .onConflict((oc) => oc.columns(['source_id', 'external_id']).doNothing())
          .returning(['id', 'external_id']),
      (params, row, k) => {
        const p = chunk[row]!
        params[k++] = source.id
        params[k++] = source.network
        params[k++] = p.externalId
        params[k++] = p.url
        params[k++] = p.site
        params[k++] = p.author
        params[k++] = p.authorName
        params[k++] = p.text
        params[k++] = p.lang
        params[k++] = p.publishedAt
        params[k++] = collectedAt
        params[k++] = p.sentiment
        params[k++] = p.sentimentScore
        params[k++] = jsonStrings(p.keywords)
        params[k++] = jsonStrings(p.places)
        params[k++] = jsonStrings(p.hashtags)
        params[k++] = jsonStrings(p.mentions)
        params[k++] = p.topic
        // Kept for the source's retention period from when it was published.
        params[k++] = new Date(Date.parse(p.publishedAt) + retentionMs).toISOString()
      },
    )
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

const MATCH_INSERT_WIDTH = 5

export async function insertMatches(db: DbOrTrx, matches: readonly MatchRow[]): Promise<void> {
  let i = 0
  for (const size of chunkSizes(matches.length, 1000)) {
    const chunk = matches.slice(i, i + size)
    i += size
    await insertTemplated(
      db,
      'matches',
      MATCH_INSERT_WIDTH,
      size,
      (dummy) =>
        db
          .insertInto('listening_matches')
          .values(
            dummy.map(({ r }) => {
              let k = r!
              return {
                query_id: k++,
                post_id: k++,
                terms: k++,
                published_at: k++,
                sentiment: k++,
              } as unknown as Insertable<Database['listening_matches']>
            }),
          )
          .onConflict((oc) => oc.columns(['query_id', 'post_id']).doNothing()),
      (params, row, k) => {
        const m = chunk[row]!
        params[k++] = m.queryId
        params[k++] = m.postId
        params[k++] = jsonStrings(m.terms)
        params[k++] = m.publishedAt
        params[k++] = m.sentiment
      },
    )
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
