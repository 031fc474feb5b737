/**
 * The policy a fresh install ships: personal data, UK party names and campaign phrases, the four
 * Ps, accessibility and per-channel limits switched on; the elections calendar starts empty.
 *
 * Sources:
 * - Civil Service Code and the Government Communication Service propriety guidance, "the four
 *   Ps": official communication must not be Political, Partisan, announced before Parliament
 *   (Parliament-first), or Polemical (gcs.civilservice.gov.uk, propriety guidance).
 * - Cabinet Office general election guidance: the pre-election period ("purdah").
 * - Welsh Government social media house rules (gov.wales): no personal information on channels.
 * - GOV.UK content design guidance: CamelCase hashtags; links that say where they go, never
 *   "click here"; plain English.
 * - HMRC National Insurance Manual NIM39110: the NINO format.
 *
 * Rule messages are the `policy.rules.<code>.message` strings of the catalogues in ./locales, so
 * the defaults are translated like every other string; an admin's edits are saved in the policy.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { flatten } from '../i18n/i18n.js'
import { SRC } from '../paths.js'
import type { Policy, PolicyRule } from './types.js'

const catalogues = Object.fromEntries(
  (['en', 'cy'] as const).map((locale) => [
    locale,
    flatten(JSON.parse(readFileSync(join(SRC, 'platform', 'policy', 'locales', `${locale}.json`), 'utf8'))),
  ]),
) as Record<'en' | 'cy', Record<string, string>>

/** The shipped message of a built-in rule, in both languages. */
export function defaultMessage(code: string): { en: string; cy: string } {
  const key = `policy.rules.${code}.message`
  return { en: catalogues.en[key] ?? code, cy: catalogues.cy[key] ?? catalogues.en[key] ?? code }
}

/**
 * UK parties as people write them in English and Welsh, with the soft and aspirate mutations
 * Welsh puts on them after "dros", "i", "a" ("pleidleisiwch dros Blaid Cymru / dros Lafur").
 * `=` keeps the capital where the word is also an ordinary one: "=Labour" is the party, "labour
 * market" is not; "=Llafur"/"=Lafur" likewise ("llafur" is "labour, work").
 */
export const PARTY_TERMS: readonly string[] = [
  // English
  'Conservative Party',
  '=Conservatives',
  'Tory',
  'Tories',
  'Labour Party',
  '=Labour',
  'Welsh Labour',
  'Scottish Labour',
  'Liberal Democrats',
  'Lib Dems',
  'Lib Dem',
  'Green Party',
  '=Greens',
  'Reform UK',
  'Plaid Cymru',
  'SNP',
  'Scottish National Party',
  'UKIP',
  'DUP',
  'Sinn Féin',
  'Sinn Fein',
  'Alliance Party',
  'Co-operative Party',
  // Welsh
  'Blaid Cymru',
  'Mhlaid Cymru',
  '=Llafur',
  '=Lafur',
  'Llafur Cymru',
  'Ceidwadwyr',
  'Geidwadwyr',
  'Cheidwadwyr',
  'Torïaid',
  'Toriaid',
  'Democratiaid Rhyddfrydol',
  'Ddemocratiaid Rhyddfrydol',
  'Plaid Werdd',
  'Blaid Werdd',
  'Gwyrddion',
]

/** Campaigning: asking for votes, manifestos (GCS propriety: no party material, including links). */
export const CAMPAIGN_TERMS: readonly string[] = [
  'manifesto',
  'manifestos',
  're-elect',
  'our candidate',
  'canvassing',
  // Welsh
  'maniffesto',
  'maniffestos',
  'ail-ethol',
  'ein hymgeisydd',
  'canfasio',
]

/**
 * Asking for votes. Patterns, because a council also asks people to vote in its own
 * participatory budgets and polls: "vote for your favourite project" is not campaigning.
 */
export const CAMPAIGN_PATTERNS: readonly string[] = [
  '\\bvote (?:for|against)\\b(?! (?:your|up to|(?:the |a |an |our )?(?:projects?|ideas?|designs?|names?|favourites?)\\b))',
  '\\bpleidleisi(?:wch|o) (?:dros|yn erbyn)\\b(?! (?:eich|hyd at|(?:y |yr )?(?:prosiect(?:au)?|syniad(?:au)?|dyluniad(?:au)?|hoff)\\b))',
]

/** Partisan: attacking opponents or praising one side (GCS propriety, "Partisan"). */
export const PARTISAN_TERMS: readonly string[] = [
  'the opposition failed',
  'opposition failed',
  'broken promises',
  'broken promise',
  'failed to deliver',
  'previous administration failed',
  'U-turn',
  'unlike the opposition',
  'thanks to our party',
  // Welsh
  'addewidion wedi’u torri',
  'addewid wedi’i thorri',
  'methodd yr wrthblaid',
  'wedi methu cyflawni',
  'tro pedol',
  'yn wahanol i’r wrthblaid',
]

/**
 * Parliament-first: policy announced on social media before the Senedd or Parliament hears it
 * (Ministerial Code 9.1; Senedd Standing Orders practice). Patterns, as wording varies.
 */
export const PARLIAMENT_FIRST_PATTERNS: readonly string[] = [
  '\\bwill (?:today |shortly |soon |later today )?announce\\b',
  '\\bis (?:to|set to) announce\\b',
  '\\bare (?:to|set to) announce\\b',
  // Welsh
  '\\bbydd(?:wn|an)? yn cyhoeddi\\b',
]
export const PARLIAMENT_FIRST_TERMS: readonly string[] = [
  'new policy',
  'new policies',
  'new law',
  'new laws',
  'new legislation',
  'new bill',
  'plans to legislate',
  'plan to legislate',
  // Welsh
  'polisi newydd',
  'polisïau newydd',
  'deddf newydd',
  'cyfraith newydd',
  'deddfwriaeth newydd',
  'bil newydd',
]

/** Polemical: loaded, emotive words an official account does not use (GCS propriety, "Polemical"). */
export const POLEMICAL_TERMS: readonly string[] = [
  'disgraceful',
  'disgrace',
  'shameful',
  'scandal',
  'scandalous',
  'outrageous',
  'appalling',
  'shambles',
  'incompetent',
  'pathetic',
  'liars',
  // Welsh (with soft mutations: gwarthus → warthus, cywilyddus → gywilyddus)
  'gwarthus',
  'warthus',
  'cywilyddus',
  'gywilyddus',
  'sgandal',
  'anfaddeuol',
  'anghymwys',
  'celwyddgwn',
]

/** Link text that says nothing about where it goes (GOV.UK: "do not use 'click here'"). */
export const LINK_TEXT_TERMS: readonly string[] = [
  'click here',
  'click this link',
  'tap here',
  'read more',
  'cliciwch yma',
  'clicio yma',
  'pwyswch yma',
  'darllen mwy',
  'darllenwch fwy',
]

function rule(r: Omit<PolicyRule, 'message' | 'builtin' | 'enabled'> & { enabled?: boolean }): PolicyRule {
  return { enabled: true, ...r, builtin: true, message: defaultMessage(r.code) }
}

/** Builds the shipped policy (a new object each time: callers may keep and edit it). */
export function defaultPolicy(): Policy {
  return {
    rules: [
      rule({
        code: 'personal-data.email',
        kind: 'personal-data',
        severity: 'block',
        detector: 'email',
        allow: [],
      }),
      rule({
        code: 'personal-data.phone',
        kind: 'personal-data',
        severity: 'block',
        detector: 'phone',
        allow: [],
      }),
      rule({
        code: 'personal-data.nino',
        kind: 'personal-data',
        severity: 'block',
        detector: 'nino',
        allow: [],
      }),
      rule({
        code: 'personal-data.address',
        kind: 'personal-data',
        severity: 'block',
        detector: 'address',
        allow: [],
      }),
      rule({
        code: 'political',
        kind: 'terms',
        severity: 'warn',
        terms: [...PARTY_TERMS, ...CAMPAIGN_TERMS],
        patterns: CAMPAIGN_PATTERNS,
      }),
      rule({ code: 'partisan', kind: 'terms', severity: 'warn', terms: PARTISAN_TERMS, patterns: [] }),
      rule({
        code: 'parliament-first',
        kind: 'terms',
        severity: 'warn',
        terms: PARLIAMENT_FIRST_TERMS,
        patterns: PARLIAMENT_FIRST_PATTERNS,
      }),
      rule({ code: 'polemical', kind: 'terms', severity: 'warn', terms: POLEMICAL_TERMS, patterns: [] }),
      rule({
        code: 'pre-election.political',
        kind: 'pre-election',
        severity: 'block',
        appliesTo: ['political', 'partisan'],
      }),
      rule({ code: 'accessibility.alt-text', kind: 'alt-text', severity: 'block' }),
      rule({ code: 'accessibility.hashtag-case', kind: 'hashtag-case', severity: 'warn', threshold: 8 }),
      rule({
        code: 'accessibility.reading-ease',
        kind: 'reading-ease',
        severity: 'warn',
        threshold: 50,
        minWords: 20,
      }),
      rule({
        code: 'accessibility.link-text',
        kind: 'terms',
        severity: 'warn',
        terms: LINK_TEXT_TERMS,
        patterns: [],
      }),
      rule({ code: 'accessibility.emoji-bullets', kind: 'emoji-bullets', severity: 'warn', threshold: 2 }),
      // The networks refuse longer posts (Mastodon's default 500 characters; Bluesky 300 graphemes).
      rule({ code: 'length', kind: 'length', severity: 'block', limits: { mastodon: 500, bluesky: 300 } }),
      rule({ code: 'links', kind: 'links', severity: 'warn', limits: { mastodon: 2, bluesky: 2 } }),
    ],
  }
}
