import type { Db } from '../../../platform/db/database.js'
import type { Locale } from '../../../platform/i18n/i18n.js'
import type { ConversationRecord } from '../domain/conversation.js'
import { buildReport, type Report } from '../domain/report.js'
import { listStatements } from '../store/conversation-store.js'
import { loadSummary } from '../store/result-store.js'

/** The report of a conversation from its last stored computation and its statements as they are now. */
export async function loadReport(
  db: Db,
  conversation: ConversationRecord,
  locale: Locale,
  now: Date,
): Promise<Report> {
  const [statements, summary] = await Promise.all([
    listStatements(db, conversation.id),
    loadSummary(db, conversation.id),
  ])
  return buildReport({
    conversation,
    statements,
    snapshot: summary?.snapshot ?? null,
    participation: summary?.participation ?? [],
    locale,
    now,
  })
}
