import type { Locale } from '../i18n/i18n.js'

/** The organisation running Townsquare, as set by its admins at /admin/settings. */
export interface OrganisationSettings {
  readonly nameEn: string
  readonly nameCy: string
  /** Header colour; must keep white text readable (WCAG 1.4.3: contrast at least 4.5:1). */
  readonly brandColour: string
  readonly welsh: boolean
  readonly contactEmail: string
  readonly enabledModules: readonly string[]
}

export const DEFAULT_ORGANISATION: OrganisationSettings = {
  nameEn: 'Townsquare',
  nameCy: 'Townsquare',
  brandColour: '#1d5e84',
  welsh: true,
  contactEmail: 'participation@example.org',
  enabledModules: [],
}

export function organisationName(org: OrganisationSettings, locale: Locale): string {
  return locale === 'cy' ? org.nameCy || org.nameEn : org.nameEn
}

function channel(hex: string, i: number): number {
  const c = Number.parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16) / 255
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
}

/** WCAG 2.x contrast ratio between a #rrggbb colour and white. */
export function contrastWithWhite(hex: string): number {
  const l = 0.2126 * channel(hex, 0) + 0.7152 * channel(hex, 1) + 0.0722 * channel(hex, 2)
  return 1.05 / (l + 0.05)
}

export type OrganisationField = 'nameEn' | 'nameCy' | 'brandColour' | 'contactEmail'
export type OrganisationProblem = { readonly field: OrganisationField; readonly code: string }

/** Checks a submitted organisation form; returns every problem with the field it belongs to. */
export function validateOrganisation(input: {
  nameEn: string
  nameCy: string
  brandColour: string
  contactEmail: string
}): OrganisationProblem[] {
  const problems: OrganisationProblem[] = []
  if (input.nameEn.trim() === '') problems.push({ field: 'nameEn', code: 'required' })
  else if (input.nameEn.length > 100) problems.push({ field: 'nameEn', code: 'too-long' })
  if (input.nameCy.length > 100) problems.push({ field: 'nameCy', code: 'too-long' })
  if (!/^#[0-9a-fA-F]{6}$/.test(input.brandColour))
    problems.push({ field: 'brandColour', code: 'colour-format' })
  else if (contrastWithWhite(input.brandColour) < 4.5)
    problems.push({ field: 'brandColour', code: 'colour-contrast' })
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.contactEmail.trim()))
    problems.push({ field: 'contactEmail', code: 'email' })
  return problems
}
