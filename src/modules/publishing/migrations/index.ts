import type { Migration } from 'kysely'
import * as core from './2026_11_29_1800_publishing_core.js'
import * as media from './2026_11_29_1810_publishing_media.js'

export const publishingMigrations: Record<string, Migration> = {
  '2026_11_29_1800_publishing_core': core,
  '2026_11_29_1810_publishing_media': media,
}
