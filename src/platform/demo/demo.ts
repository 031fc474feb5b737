import { randomInt } from 'node:crypto'
import { modules } from '../../modules/index.js'
import { recordAudit } from '../audit/audit.js'
import { type StaffRole, systemActor } from '../auth/actor.js'
import { hashPassword } from '../auth/passwords.js'
import { countStaff, insertStaff } from '../auth/staff-store.js'
import type { Services } from '../services.js'
import { writeSetting } from '../settings/settings.js'

export interface DemoLogin {
  readonly role: StaffRole
  readonly email: string
  readonly password: string
}

const DEMO_STAFF: readonly { role: StaffRole; name: string; local: string }[] = [
  { role: 'admin', name: 'Alex Admin', local: 'admin' },
  { role: 'moderator', name: 'Morgan Moderator', local: 'moderator' },
  { role: 'communications', name: 'Cerys Communications', local: 'comms' },
  { role: 'analyst', name: 'Ana Analyst', local: 'analyst' },
  { role: 'responder', name: 'Rhys Responder', local: 'responder' },
]

/** A memorable random password: four words and two digits (never the same across installs). */
function demoPassword(): string {
  const words = [
    'harbour',
    'meadow',
    'lantern',
    'castle',
    'valley',
    'river',
    'bridge',
    'market',
    'chapel',
    'orchard',
    'quarry',
    'beacon',
  ]
  const pick = () => words[randomInt(words.length)]
  return `${pick()}-${pick()}-${pick()}-${pick()}-${randomInt(10, 100)}`
}

/**
 * Fills an EMPTY database with a realistic, generated demo organisation: staff in every role,
 * settings, then each module's own demo records. Returns the logins, or null when the database
 * already has staff (demo data is never mixed into a live install).
 */
export async function seedDemo(services: Services, now: Date): Promise<DemoLogin[] | null> {
  const { db } = services
  if ((await countStaff(db)) > 0) return null
  const password = demoPassword()
  const passwordHash = await hashPassword(password)
  const logins: DemoLogin[] = []
  await db.transaction().execute(async (trx) => {
    for (const s of DEMO_STAFF) {
      const email = `${s.local}@demo.townsquare.invalid`
      await insertStaff(trx, { email, name: s.name, passwordHash, roles: [s.role] }, now)
      logins.push({ role: s.role, email, password })
    }
    await writeSetting(trx, 'organisation', {
      nameEn: 'Glanaber County Council',
      nameCy: 'Cyngor Sir Glanaber',
      brandColour: '#0b5e55',
      welsh: true,
      contactEmail: 'cyfranogiad@glanaber.example',
      enabledModules: modules.map((m) => m.key),
    })
    await recordAudit(trx, {
      actor: systemActor('demo'),
      action: 'platform.demo.seed',
      details: { staff: logins.length },
    })
  })
  services.invalidateSettings()
  for (const mod of modules) await mod.seedDemo?.(services, now)
  return logins
}
