/**
 * The pipeline every collected post goes through once: drop what the source already has,
 * analyse the rest (HTML to text, language, sentiment, keywords, places, topic), match against
 * every saved query, and store posts and matches in one transaction per batch.
 */
import type { Db, DbOrTrx } from '../../../platform/db/database.js'
import { Gazetteer } from '../../../platform/text/index.js'
import { type AnalysedPost, analysePost, networkOf, type RawPost, type SourceType } from '../domain/post.js'
import {
  type CompiledQuery,
  compileQuery,
  type MatchResult,
  matchPrepared,
  parseQuery,
  preparePost,
} from '../domain/query/index.js'
import { listeningSettings } from '../settings.js'
import {
  existingExternalIds,
  insertMatches,
  insertPosts,
  iteratePosts,
  type MatchRow,
  type StoredPost,
} from '../store/post-store.js'
import { listQueries } from '../store/query-store.js'
import { saveSourceState } from '../store/source-store.js'

export interface ActiveQuery {
  readonly id: number
  readonly compiled: CompiledQuery
}

/** Saved, enabled queries, compiled. A query that no longer parses is left out (and logged by the caller). */
export async function loadActiveQueries(db: DbOrTrx): Promise<ActiveQuery[]> {
  const out: ActiveQuery[] = []
  for (const q of await listQueries(db, { enabledOnly: true })) {
    try {
      out.push({ id: q.id, compiled: compileQuery(parseQuery(q.query)) })
    } catch {
      // A saved query always parsed when it was saved; a language change could break one.
    }
  }
  return out
}

export interface IngestSource {
  readonly id: number
  readonly type: SourceType
  readonly retentionDays: number
}

export interface IngestOptions {
  readonly queries?: readonly ActiveQuery[]
  readonly gazetteer?: Gazetteer
  readonly now?: Date
  /** Connector state to save in the same transaction as the posts (so a cursor never runs ahead of them). */
  readonly state?: Readonly<Record<string, unknown>>
  /** Malformed items the connector skipped, added to the source's count. */
  readonly skipped?: number
}

export interface IngestResult {
  readonly received: number
  readonly stored: number
  readonly duplicates: number
  readonly matches: number
}

/** Shared per-process: the council's gazetteer, rebuilt when the setting changes. */
let gazetteerCache: { key: string; value: Gazetteer } | null = null
export async function loadGazetteer(db: DbOrTrx): Promise<Gazetteer> {
  const names = (await listeningSettings(db)).gazetteer
  const key = names.join('\u0000')
  if (!gazetteerCache || gazetteerCache.key !== key) gazetteerCache = { key, value: new Gazetteer(names) }
  return gazetteerCache.value
}

/** Which queries a post matches, with the terms that took part. */
export function matchAnalysed(
  post: AnalysedPost,
  network: string,
  queries: readonly ActiveQuery[],
): { queryId: number; terms: readonly string[] }[] {
  if (queries.length === 0) return []
  const prepared = preparePost({
    text: post.text,
    author: post.author,
    lang: post.lang,
    source: network,
    site: post.site,
    places: post.places,
    hashtags: post.hashtags,
    mentions: post.mentions,
  })
  const out: { queryId: number; terms: readonly string[] }[] = []
  for (const q of queries) {
    const r = matchPrepared(q.compiled, prepared)
    if (r.matched) out.push({ queryId: q.id, terms: r.terms })
  }
  return out
}

/**
 * Runs raw posts through the pipeline into the database. Idempotent: the same post twice is
 * stored (and analysed) once. The source's state, when given, is saved in the same transaction.
 */
export async function ingestPosts(
  db: Db,
  source: IngestSource,
  raws: readonly RawPost[],
  options: IngestOptions = {},
): Promise<IngestResult> {
  const now = options.now ?? new Date()
  const network = networkOf(source.type)
  const unique = new Map<string, RawPost>()
  for (const r of raws) if (!unique.has(r.externalId)) unique.set(r.externalId, r)
  const existing = await existingExternalIds(db, source.id, [...unique.keys()])
  const fresh = [...unique.values()].filter((r) => !existing.has(r.externalId))
  const queries = options.queries ?? (await loadActiveQueries(db))
  const gazetteer = options.gazetteer ?? (await loadGazetteer(db))
  const analysed = fresh.map((r) => analysePost(r, { gazetteer }))
  let matchCount = 0
  const stored = await db.transaction().execute(async (trx) => {
    const inserted = await insertPosts(
      trx,
      { id: source.id, network, retentionDays: source.retentionDays },
      analysed,
      now,
    )
    const matches: MatchRow[] = []
    for (const { id, post } of inserted) {
      for (const m of matchAnalysed(post, network, queries))
        matches.push({
          queryId: m.queryId,
          postId: id,
          terms: m.terms,
          publishedAt: post.publishedAt,
          sentiment: post.sentiment,
        })
    }
    await insertMatches(trx, matches)
    matchCount = matches.length
    if (options.state || inserted.length > 0 || (options.skipped ?? 0) > 0) {
      const current = options.state
        ? options.state
        : ((
            await trx
              .selectFrom('listening_sources')
              .select('state')
              .where('id', '=', source.id)
              .executeTakeFirst()
          )?.state ?? '{}')
      await saveSourceState(
        trx,
        source.id,
        typeof current === 'string' ? (JSON.parse(current) as Record<string, unknown>) : current,
        { stored: inserted.length, skipped: options.skipped ?? 0 },
        now,
      )
    }
    return inserted.length
  })
  return { received: raws.length, stored, duplicates: raws.length - stored, matches: matchCount }
}

/** Matches one query against every stored post (after it is created or changed). Returns the count. */
export async function rematchQuery(db: Db, queryId: number, compiled: CompiledQuery): Promise<number> {
  let total = 0
  await db.deleteFrom('listening_matches').where('query_id', '=', queryId).execute()
  for await (const page of iteratePosts(db)) {
    const rows: MatchRow[] = []
    for (const p of page) {
      const r = matchPrepared(compiled, preparePost(p))
      if (r.matched)
        rows.push({
          queryId,
          postId: p.id,
          terms: r.terms,
          publishedAt: p.publishedAt,
          sentiment: p.sentiment,
        })
    }
    await insertMatches(db, rows)
    total += rows.length
  }
  return total
}

/** How many stored posts a query matches (the preview before saving, and the CLI's count). */
export async function countStoredMatches(
  db: DbOrTrx,
  compiled: CompiledQuery,
): Promise<{ total: number; matched: number }> {
  let total = 0
  let matched = 0
  for await (const page of iteratePosts(db)) {
    total += page.length
    for (const p of page) if (compiled(p)) matched++
  }
  return { total, matched }
}

export interface StoredPreview {
  readonly total: number
  readonly matched: number
  readonly samples: readonly { readonly post: StoredPost; readonly result: MatchResult }[]
}

/** The preview before a query is saved: how many stored posts it matches, with a few of them. */
export async function previewStored(
  db: DbOrTrx,
  compiled: CompiledQuery,
  sampleSize = 5,
): Promise<StoredPreview> {
  let total = 0
  let matched = 0
  const samples: { post: StoredPost; result: MatchResult }[] = []
  for await (const page of iteratePosts(db)) {
    total += page.length
    // Newest posts make the best samples; pages come oldest first, so keep the latest found.
    for (const p of page) {
      const prepared = preparePost(p)
      const result = matchPrepared(compiled, prepared)
      if (!result.matched) continue
      matched++
      samples.push({ post: p, result })
      if (samples.length > sampleSize) samples.shift()
    }
  }
  return { total, matched, samples: samples.reverse() }
}
