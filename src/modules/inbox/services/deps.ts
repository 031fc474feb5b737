/**
 * Where the inbox finds connected social accounts and how it reaches the networks. The
 * publishing module's account register provides the accounts (with decrypted credentials); tests
 * hand in their own accounts and a fetch pointed at the local fakes.
 */
import type { Services } from '../../../platform/services.js'
import type { FetchLike } from '../../../platform/social/index.js'
import { decryptCredentials } from '../../publishing/services/credentials.js'
import { accountSecret, listAccounts } from '../../publishing/store/account-store.js'
import type { AccountProvider, ConnectedAccount } from './delivery.js'

export interface InboxDeps {
  readonly accounts: AccountProvider
  readonly fetch?: FetchLike
}

const overrides = new WeakMap<Services, InboxDeps>()

/** Tests and embedders: use these accounts (and fetch) for this services instance. */
export function setInboxDeps(services: Services, deps: InboxDeps): void {
  overrides.set(services, deps)
}

/**
 * The publishing module's connected accounts that are switched on and hold credentials, with the
 * secret decrypted in memory only (never logged, never stored by the inbox). An account whose
 * secret cannot be decrypted (no CREDENTIALS_KEY) is skipped rather than failing the others.
 */
export async function publishingAccounts(services: Services): Promise<ConnectedAccount[]> {
  const out: ConnectedAccount[] = []
  for (const a of await listAccounts(services.db)) {
    if (!a.enabled || !a.hasSecret) continue
    const stored = await accountSecret(services.db, a.id)
    if (!stored) continue
    let secret: string
    try {
      secret = decryptCredentials(services, stored)
    } catch {
      services.logger.warn({ account: a.id }, 'inbox: credentials of a publishing account cannot be read')
      continue
    }
    out.push({
      key: `publishing:${a.id}`,
      name: a.name,
      credentials: { network: a.network, serviceUrl: a.serviceUrl, identifier: a.identifier, secret },
    })
  }
  return out
}

export function inboxDeps(services: Services): InboxDeps {
  return overrides.get(services) ?? { accounts: () => publishingAccounts(services) }
}
