import type { Translate } from '../i18n/i18n.js'

export interface FieldProblem {
  readonly field: string
  readonly code: string
  readonly vars?: Readonly<Record<string, string | number>>
  /** The message's catalogue key when it is not `<prefix>.<field>.<code>`. */
  readonly key?: string
}

export interface FormErrors {
  /** For govukErrorSummary: every problem, linking to its field. */
  readonly errorList: readonly { text: string; href: string }[]
  /** For each field's errorMessage. */
  readonly fieldErrors: Readonly<Record<string, { text: string }>>
}

/**
 * Turns problems into the GOV.UK error summary pattern: one message per field naming the field,
 * from `<prefix>.<field>.<code>` in the catalogues.
 */
export function formErrors(problems: readonly FieldProblem[], t: Translate, prefix: string): FormErrors {
  const fieldErrors: Record<string, { text: string }> = {}
  const errorList: { text: string; href: string }[] = []
  for (const p of problems) {
    if (fieldErrors[p.field]) continue
    const text = t(p.key ?? `${prefix}.${p.field}.${p.code}`, p.vars)
    fieldErrors[p.field] = { text }
    errorList.push({ text, href: `#${p.field}` })
  }
  return { errorList, fieldErrors }
}

/** Reads a form body field as a string, whatever the client sent. */
export function field(body: unknown, name: string): string {
  if (!body || typeof body !== 'object') return ''
  const value = (body as Record<string, unknown>)[name]
  if (Array.isArray(value)) return String(value[0] ?? '')
  return value === undefined || value === null ? '' : String(value)
}

/** Only a path on this site may be a redirect target (no open redirects). */
export function safeNext(next: unknown, fallback: string): string {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : fallback
}
