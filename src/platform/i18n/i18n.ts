import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The languages Townsquare speaks, at full parity (Welsh Language Standards: Welsh not treated less favourably). */
export const LOCALES = ['en', 'cy'] as const
export type Locale = (typeof LOCALES)[number]

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

export type Catalogue = Readonly<Record<string, string>>
export type TranslateVars = Readonly<Record<string, string | number | null | undefined>>
export type Translate = (key: string, vars?: TranslateVars) => string

/** Flattens `{ "a": { "b": "x" } }` to `{ "a.b": "x" }`. */
export function flatten(
  tree: unknown,
  prefix = '',
  out: Record<string, string> = {},
): Record<string, string> {
  if (typeof tree === 'string') {
    out[prefix] = tree
  } else if (tree && typeof tree === 'object') {
    for (const [k, v] of Object.entries(tree)) flatten(v, prefix ? `${prefix}.${k}` : k, out)
  }
  return out
}

/** Reads `<dir>/en.json` and `<dir>/cy.json` of every directory into one catalogue per language. */
export function loadCatalogues(dirs: readonly string[]): Record<Locale, Catalogue> {
  const result = { en: {}, cy: {} } as Record<Locale, Record<string, string>>
  for (const dir of dirs) {
    for (const locale of LOCALES) {
      const file = join(dir, `${locale}.json`)
      if (!existsSync(file)) continue
      const flat = flatten(JSON.parse(readFileSync(file, 'utf8')))
      for (const [k, v] of Object.entries(flat)) {
        if (k in result[locale]) throw new Error(`translation key ${k} is defined twice (${file})`)
        result[locale][k] = v
      }
    }
  }
  return result
}

/** Locale tags for Intl: British English, and Welsh. */
export function intlLocale(locale: Locale): string {
  return locale === 'cy' ? 'cy-GB' : 'en-GB'
}

const pluralRules = new Map<Locale, Intl.PluralRules>()
function plural(locale: Locale): Intl.PluralRules {
  let rules = pluralRules.get(locale)
  if (!rules) {
    rules = new Intl.PluralRules(intlLocale(locale))
    pluralRules.set(locale, rules)
  }
  return rules
}

/**
 * Builds `t(key, vars)` for one language. `{{name}}` placeholders are filled from vars; a numeric
 * `count` picks the CLDR plural form (`key_zero`, `_one`, `_two`, `_few`, `_many`, `_other`;
 * Welsh uses all six) and is formatted for the language.
 *
 * @example t('admin.audit.results', { count: 3 }) // "3 entries"
 */
export function createTranslate(catalogue: Catalogue, locale: Locale): Translate {
  const numbers = new Intl.NumberFormat(intlLocale(locale))
  return (key, vars) => {
    let template: string | undefined
    const count = vars?.['count']
    if (typeof count === 'number') {
      template = catalogue[`${key}_${plural(locale).select(count)}`] ?? catalogue[`${key}_other`]
    }
    template ??= catalogue[key]
    if (template === undefined) return key
    if (!vars) return template
    return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
      const value = vars[name]
      if (value === undefined || value === null) return ''
      return typeof value === 'number' ? numbers.format(value) : value
    })
  }
}

/** Formats an ISO timestamp as a date (and time) in the language, in UK time. */
export function formatDate(iso: string | Date | null | undefined, locale: Locale, withTime = false): string {
  if (!iso) return ''
  const date = typeof iso === 'string' ? new Date(iso) : iso
  if (Number.isNaN(date.getTime())) return ''
  return new Intl.DateTimeFormat(intlLocale(locale), {
    dateStyle: 'long',
    ...(withTime ? { timeStyle: 'short' } : {}),
    timeZone: 'Europe/London',
  }).format(date)
}

export function formatNumber(value: number | null | undefined, locale: Locale): string {
  if (value === null || value === undefined || Number.isNaN(value)) return ''
  return new Intl.NumberFormat(intlLocale(locale)).format(value)
}

/**
 * Welsh pages live under /cy (the Senedd's e-petitions serves each language on its own paths).
 * `localePath('cy', '/admin')` is `/cy/admin`.
 */
export function localePath(locale: Locale, path: string): string {
  if (!path.startsWith('/')) return path
  if (locale === 'en') return path
  return path === '/' ? '/cy' : `/cy${path}`
}

/** Splits `/cy/admin?x=1` into `{ locale: 'cy', path: '/admin?x=1' }`. */
export function splitLocale(url: string): { locale: Locale; path: string } {
  if (url === '/cy' || url.startsWith('/cy/') || url.startsWith('/cy?')) {
    const rest = url.slice(3)
    return { locale: 'cy', path: rest.startsWith('/') ? rest : `/${rest}` }
  }
  return { locale: 'en', path: url }
}
