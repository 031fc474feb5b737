import {
  type ConversationInput,
  type ConversationRecord,
  DEFAULT_SETTINGS,
  isStatementPolicy,
  isVoteAssurance,
  type Problem,
  seedLines,
  validateConversation,
} from '../domain/conversation.js'
import {
  closesAtFromParts,
  lastDayOf,
  opensAtFromParts,
  parseDateParts,
  ukDateParts,
} from '../domain/dates.js'

/** What the conversation form shows: the typed strings, so a form with errors comes back as it was sent. */
export interface ConversationFormValues {
  readonly titleEn: string
  readonly titleCy: string
  readonly descriptionEn: string
  readonly descriptionCy: string
  readonly opens: { readonly day: string; readonly month: string; readonly year: string }
  readonly closes: { readonly day: string; readonly month: string; readonly year: string }
  readonly voteAssurance: string
  readonly statementPolicy: string
  readonly options: readonly string[]
  readonly maxLength: string
  readonly seedsEn: string
  readonly seedsCy: string
}

function text(body: unknown, name: string): string {
  if (!body || typeof body !== 'object') return ''
  const v = (body as Record<string, unknown>)[name]
  return Array.isArray(v) ? String(v[0] ?? '') : v === undefined || v === null ? '' : String(v)
}

function list(body: unknown, name: string): string[] {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined
  return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String)
}

function parts(iso: string | null): { day: string; month: string; year: string } {
  if (!iso) return { day: '', month: '', year: '' }
  const d = ukDateParts(iso)
  return { day: String(d.day), month: String(d.month), year: String(d.year) }
}

export function blankFormValues(now: Date): ConversationFormValues {
  return {
    titleEn: '',
    titleCy: '',
    descriptionEn: '',
    descriptionCy: '',
    opens: parts(now.toISOString()),
    closes: { day: '', month: '', year: '' },
    voteAssurance: DEFAULT_SETTINGS.voteAssurance,
    statementPolicy: DEFAULT_SETTINGS.statementPolicy,
    options: [
      ...(DEFAULT_SETTINGS.strictModeration ? ['strictModeration'] : []),
      ...(DEFAULT_SETTINGS.showMap ? ['showMap'] : []),
      ...(DEFAULT_SETTINGS.openData ? ['openData'] : []),
    ],
    maxLength: String(DEFAULT_SETTINGS.maxLength),
    seedsEn: '',
    seedsCy: '',
  }
}

export function formValuesOf(c: ConversationRecord): ConversationFormValues {
  const last = c.closesAt ? lastDayOf(c.closesAt) : null
  return {
    titleEn: c.titleEn,
    titleCy: c.titleCy ?? '',
    descriptionEn: c.descriptionEn,
    descriptionCy: c.descriptionCy ?? '',
    opens: parts(c.opensAt),
    closes: last
      ? { day: String(last.day), month: String(last.month), year: String(last.year) }
      : { day: '', month: '', year: '' },
    voteAssurance: c.voteAssurance,
    statementPolicy: c.statementPolicy,
    options: [
      ...(c.strictModeration ? ['strictModeration'] : []),
      ...(c.showMap ? ['showMap'] : []),
      ...(c.openData ? ['openData'] : []),
    ],
    maxLength: String(c.maxLength),
    seedsEn: '',
    seedsCy: '',
  }
}

/** Reads and checks the form. `opensAt` is set when there are no problems. */
export function readConversationForm(
  body: unknown,
  options: { welsh: boolean },
): { values: ConversationFormValues; input: ConversationInput; problems: Problem[] } {
  const values: ConversationFormValues = {
    titleEn: text(body, 'titleEn').trim(),
    titleCy: text(body, 'titleCy').trim(),
    descriptionEn: text(body, 'descriptionEn').trim(),
    descriptionCy: text(body, 'descriptionCy').trim(),
    opens: { day: text(body, 'opens-day'), month: text(body, 'opens-month'), year: text(body, 'opens-year') },
    closes: {
      day: text(body, 'closes-day'),
      month: text(body, 'closes-month'),
      year: text(body, 'closes-year'),
    },
    voteAssurance: text(body, 'voteAssurance'),
    statementPolicy: text(body, 'statementPolicy'),
    options: list(body, 'options'),
    maxLength: text(body, 'maxLength').trim(),
    seedsEn: text(body, 'seedsEn'),
    seedsCy: text(body, 'seedsCy'),
  }
  const opensParts = parseDateParts(values.opens.day, values.opens.month, values.opens.year)
  const closesBlank = [values.closes.day, values.closes.month, values.closes.year].every(
    (p) => p.trim() === '',
  )
  const closesParts = closesBlank
    ? null
    : parseDateParts(values.closes.day, values.closes.month, values.closes.year)
  const input: ConversationInput = {
    titleEn: values.titleEn,
    titleCy: values.titleCy,
    descriptionEn: values.descriptionEn,
    descriptionCy: values.descriptionCy,
    opensAt: opensParts ? opensAtFromParts(opensParts) : null,
    closesAt: closesBlank ? null : closesParts ? closesAtFromParts(closesParts) : 'invalid',
    voteAssurance: isVoteAssurance(values.voteAssurance)
      ? values.voteAssurance
      : DEFAULT_SETTINGS.voteAssurance,
    statementPolicy: isStatementPolicy(values.statementPolicy)
      ? values.statementPolicy
      : DEFAULT_SETTINGS.statementPolicy,
    strictModeration: values.options.includes('strictModeration'),
    showMap: values.options.includes('showMap'),
    openData: values.options.includes('openData'),
    maxLength: /^\d{1,5}$/.test(values.maxLength) ? Number(values.maxLength) : Number.NaN,
    seedsEn: seedLines(values.seedsEn),
    seedsCy: seedLines(values.seedsCy),
  }
  const problems = validateConversation(input, options)
  if (!isVoteAssurance(values.voteAssurance)) problems.push({ field: 'voteAssurance', code: 'required' })
  if (!isStatementPolicy(values.statementPolicy))
    problems.push({ field: 'statementPolicy', code: 'required' })
  return { values, input, problems }
}

/** Error summary links go to the first box of a date (GOV.UK date input pattern). */
export function dateAnchors<T extends { errorList: readonly { text: string; href: string }[] }>(
  errors: T,
): T {
  return {
    ...errors,
    errorList: errors.errorList.map((e) =>
      e.href === '#opensAt'
        ? { ...e, href: '#opens-day' }
        : e.href === '#closesAt'
          ? { ...e, href: '#closes-day' }
          : e,
    ),
  }
}
