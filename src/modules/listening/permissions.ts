import { staffWith } from '../../platform/auth/permissions.js'

/**
 * The listening module's permissions table, `action:subject → rule` (admins pass every rule).
 * Analysts and communications officers follow topics; only admins connect sources, because a
 * source holds credentials and decides what the council collects.
 */
export const listeningPermissions = {
  'view:listening': staffWith('analyst', 'communications'),
  'manage:queries': staffWith('analyst', 'communications'),
  'export:posts': staffWith('analyst', 'communications'),
  'correct:sentiment': staffWith('analyst', 'communications'),
  'manage:sources': staffWith(),
} as const
