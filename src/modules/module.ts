import type { FastifyPluginAsync } from 'fastify'
import type { Migration } from 'kysely'
import type { TSchema } from 'typebox'
import type { PermissionsTable } from '../platform/auth/permissions.js'
import type { CliCommand } from '../platform/cli/command.js'
import type { Services } from '../platform/services.js'

/**
 * What the platform knows of a participation module (Decidim's component manifest): the same
 * fields for every module, so adding one is filling in this shape and listing it in index.ts.
 */
export interface ModuleManifest {
  /** Folder name and URL segment, e.g. `petitions`. */
  readonly key: string
  /** Entry in the service navigation: a translation key and a path (without the /cy prefix). */
  readonly nav?: { readonly labelKey: string; readonly path: string }
  /** Staff pages of the module, listed in the admin area. */
  readonly adminNav?: { readonly labelKey: string; readonly path: string }
  /** Frozen migrations owned by the module, by name (ISO timestamp prefix, module name in it). */
  readonly migrations: Readonly<Record<string, Migration>>
  /** The module's routes: an encapsulated plugin (not fastify-plugin), registered at the root. */
  readonly routes?: FastifyPluginAsync
  /** The module's one permissions table. */
  readonly permissions?: PermissionsTable
  /** Settings councils can change, validated by this schema at /admin/settings. */
  readonly settings?: { readonly schema: TSchema; readonly defaults: object }
  /** `townsquare <key> …` commands. */
  readonly commands?: readonly CliCommand[]
  /** Recurring and queued jobs. */
  readonly registerJobs?: (services: Services) => void
  /** Fills an empty database with realistic, generated demo records. */
  readonly seedDemo?: (services: Services, now: Date) => Promise<void>
}
