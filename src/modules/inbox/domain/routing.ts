/**
 * Routing (Hootsuite "Automate assignments and tags": keyword rules assign or tag conversations,
 * e.g. "food poisoning" → crisis team; Chatwoot auto-assignment with a max load per agent).
 * Pure: the rules, the message's analysis and the candidate agents are passed in.
 */
import { type Channel, higherPriority, type Priority } from './case.js'

export interface RuleConditions {
  /** Any of these words or phrases in the text (case-insensitive, whole words). */
  readonly keywords?: readonly string[]
  readonly channels?: readonly string[]
  readonly languages?: readonly string[]
  readonly sentiments?: readonly string[]
  readonly topics?: readonly string[]
}

export interface RuleActions {
  readonly teamId?: number | null
  readonly tag?: string | null
  readonly priority?: Priority | null
}

export interface RoutingRule {
  readonly id: number
  readonly position: number
  readonly name: string
  readonly enabled: boolean
  readonly conditions: RuleConditions
  readonly actions: RuleActions
}

/** A compiled rule: keyword patterns built once, reused for every message. */
export interface CompiledRule extends RoutingRule {
  readonly patterns: readonly RegExp[]
}

export interface IncomingFacts {
  readonly text: string
  readonly channel: Channel
  readonly language: string | null
  readonly sentiment: string | null
  /** Every topic term of the message (keywords from the text engine). */
  readonly topics: readonly string[]
}

export interface RoutingDecision {
  readonly teamId: number | null
  readonly tags: readonly string[]
  readonly priority: Priority
  readonly matchedRuleIds: readonly number[]
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export function compileRules(rules: readonly RoutingRule[]): CompiledRule[] {
  return [...rules]
    .filter((r) => r.enabled)
    .sort((a, b) => a.position - b.position || a.id - b.id)
    .map((r) => ({
      ...r,
      patterns: (r.conditions.keywords ?? [])
        .map((k) => k.trim())
        .filter((k) => k !== '')
        .map(
          (k) =>
            new RegExp(
              `(?:^|[^\\p{L}\\p{N}])${escapeRegExp(k).replace(/\s+/g, '\\s+')}(?:$|[^\\p{L}\\p{N}])`,
              'iu',
            ),
        ),
    }))
}

function inList(list: readonly string[] | undefined, value: string | null): boolean {
  if (!list || list.length === 0) return true
  return value !== null && list.some((v) => v.toLowerCase() === value.toLowerCase())
}

/** Every condition group present must hold (AND); within a group any value will do (OR). */
export function ruleMatches(rule: CompiledRule, facts: IncomingFacts): boolean {
  const c = rule.conditions
  if (!inList(c.channels, facts.channel)) return false
  if (!inList(c.languages, facts.language)) return false
  if (!inList(c.sentiments, facts.sentiment)) return false
  if (c.topics && c.topics.length > 0) {
    const wanted = new Set(c.topics.map((t) => t.toLowerCase()))
    if (!facts.topics.some((t) => wanted.has(t.toLowerCase()))) return false
  }
  if (rule.patterns.length > 0 && !rule.patterns.some((p) => p.test(facts.text))) return false
  return true
}

/**
 * Rules in order: the first matching rule that names a team decides the team; tags from every
 * matching rule are kept; the priority is the highest any matching rule sets.
 */
export function routeMessage(
  rules: readonly CompiledRule[],
  facts: IncomingFacts,
  defaultTeamId: number | null = null,
): RoutingDecision {
  let teamId: number | null = null
  const tags: string[] = []
  let priority: Priority = 'normal'
  const matched: number[] = []
  for (const rule of rules) {
    if (!ruleMatches(rule, facts)) continue
    matched.push(rule.id)
    const a = rule.actions
    if (teamId === null && a.teamId != null) teamId = a.teamId
    if (a.tag && !tags.includes(a.tag)) tags.push(a.tag)
    if (a.priority) priority = higherPriority(priority, a.priority)
  }
  return { teamId: teamId ?? defaultTeamId, tags, priority, matchedRuleIds: matched }
}

export interface AgentLoad {
  readonly staffId: number
  readonly available: boolean
  readonly maxOpen: number
  readonly openCount: number
  readonly lastAssignedAt: string | null
}

/**
 * Round-robin with a per-person limit: among available members under their limit, the one
 * assigned longest ago (never assigned first; lowest id breaks ties). Null when nobody can
 * take the case — it waits in the team's queue.
 */
export function pickAssignee(agents: readonly AgentLoad[]): number | null {
  let best: AgentLoad | null = null
  for (const a of agents) {
    if (!a.available || a.openCount >= a.maxOpen) continue
    if (best === null) {
      best = a
      continue
    }
    const x = a.lastAssignedAt ?? ''
    const y = best.lastAssignedAt ?? ''
    if (x < y || (x === y && a.staffId < best.staffId)) best = a
  }
  return best?.staffId ?? null
}

/** Splits "a, b\nc" into trimmed, non-empty, unique entries. */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ]
}
