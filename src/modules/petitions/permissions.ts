import type { Actor } from '../../platform/auth/actor.js'
import { ALLOW, deny, staffWith } from '../../platform/auth/permissions.js'
import { inStates, SIGNABLE_STATES } from './domain/petition.js'
import type { Petition } from './store/petition-store.js'

/** The petitions module's permissions table (`action:subject → rule`). */
export const petitionPermissions = {
  'sign:petition': (_actor: Actor, petition: Petition) => {
    if (petition.source !== 'local') return deny('petition-archived')
    return inStates(petition.state, SIGNABLE_STATES) ? ALLOW : deny('petition-not-open')
  },
  'view:petition-admin': staffWith('moderator', 'communications'),
  'moderate:petition': staffWith('moderator'),
  'respond:petition': staffWith('moderator', 'communications'),
  'view:statistics': staffWith('moderator', 'analyst'),
  'invalidate:signatures': staffWith(),
} as const
