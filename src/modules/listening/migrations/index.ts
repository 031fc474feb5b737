import type { Migration } from 'kysely'
import * as core from './2026_11_29_1710_listening_core.js'
import * as sentimentCorrections from './2026_11_29_1910_listening_sentiment_corrections.js'

export const listeningMigrations: Record<string, Migration> = {
  '2026_11_29_1710_listening_core': core,
  '2026_11_29_1910_listening_sentiment_corrections': sentimentCorrections,
}
