import { createHash, randomBytes } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { Locale } from '../../../platform/i18n/i18n.js'
import type { Participation } from '../actions.js'
import {
  type ConversationRecord,
  conversationStatus,
  conversationTitle,
  pickLanguage,
  type StatementRecord,
  statementText,
} from '../domain/conversation.js'
import { lastDayOf } from '../domain/dates.js'

declare module '@fastify/secure-session' {
  interface SessionData {
    /** A random key naming this browser's participants in conversations (no personal data). */
    deliberationKey: string
  }
}

/** A positive whole number from a route parameter, or 0 (which no record has). */
export function idParam(request: FastifyRequest, name = 'id'): number {
  const raw = (request.params as Record<string, string | undefined>)[name] ?? ''
  return /^\d{1,15}$/.test(raw) ? Number(raw) : 0
}

/**
 * Who is taking part, as the rules see them: a signed-in citizen with their assurance level, or
 * this browser's anonymous key (created only when `create` is set, i.e. when they first act).
 */
export function participationOf(request: FastifyRequest, create: boolean): Participation | null {
  let key = request.session.get('deliberationKey') ?? null
  if (key === null && create) {
    key = randomBytes(18).toString('base64url')
    request.session.set('deliberationKey', key)
  }
  // Only a hash of the key is stored: the database alone cannot be used to act as a browser.
  const stored = key === null ? null : createHash('sha256').update(key).digest('base64url')
  const actor = request.actor
  if (actor.kind === 'citizen') {
    return {
      identity: { kind: 'citizen', citizenId: actor.id, assurance: actor.assurance, sessionKey: stored },
      assurance: actor.assurance,
    }
  }
  if (stored === null) return null
  return { identity: { kind: 'anonymous', sessionKey: stored }, assurance: 'none' }
}

/** What pages show of a conversation, in the page's language. */
export function conversationView(c: ConversationRecord, locale: Locale, now: Date) {
  const title = conversationTitle(c, locale)
  const description = pickLanguage(c.descriptionEn, c.descriptionCy, locale)
  return {
    id: c.id,
    title: title.text,
    titleLang: title.lang,
    description: description.text,
    descriptionLang: description.lang,
    paragraphs: description.text
      .split(/\r?\n\s*\r?\n/)
      .map((p) => p.trim())
      .filter((p) => p !== ''),
    status: conversationStatus(c, now),
    opensAt: c.opensAt,
    closesAt: c.closesAt,
    lastDay: c.closesAt ? lastDayIso(c.closesAt) : null,
    openData: c.openData,
    showMap: c.showMap,
    strictModeration: c.strictModeration,
    maxLength: c.maxLength,
    voteAssurance: c.voteAssurance,
    statementPolicy: c.statementPolicy,
    source: c.source,
  }
}

/** Noon UTC of the last day, so formatting it in UK time shows that day. */
function lastDayIso(closesAt: string): string {
  const d = lastDayOf(closesAt)
  return new Date(Date.UTC(d.year, d.month - 1, d.day, 12)).toISOString()
}

export function statementView(s: StatementRecord, locale: Locale) {
  const text = statementText(s, locale)
  return {
    id: s.id,
    number: s.number,
    text: text.text,
    lang: text.lang,
    seed: s.seed,
    meta: s.meta,
    moderation: s.moderation,
    createdAt: s.createdAt,
  }
}
