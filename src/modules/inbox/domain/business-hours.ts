/**
 * Business-hours arithmetic for service standards (Chatwoot `SlaPolicy.only_during_business_hours`;
 * Hootsuite Inbox 2.0 business hours). Pure: time is passed in, the time zone is explicit
 * (Europe/London by default, so BST changes are honoured), and bank holidays are skipped.
 */

/** Minutes after local midnight: [opens, closes). */
export type DayWindow = readonly [number, number]

export interface BusinessHours {
  /** IANA time zone the hours are in, e.g. Europe/London. */
  readonly timeZone: string
  /** Index 0 = Sunday … 6 = Saturday (Date#getDay order); null = closed all day. */
  readonly days: readonly (DayWindow | null)[]
  /** Local dates (YYYY-MM-DD) when the office is closed. */
  readonly holidays: readonly string[]
}

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000

/** England and Wales bank holidays 2026–2027 (gov.uk/bank-holidays), the default holiday list. */
export const ENGLAND_WALES_BANK_HOLIDAYS: readonly string[] = [
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
  '2026-12-25',
  '2026-12-28',
  '2027-01-01',
  '2027-03-26',
  '2027-03-29',
  '2027-05-03',
  '2027-05-31',
  '2027-08-30',
  '2027-12-27',
  '2027-12-28',
]

/** Monday to Friday, 09:00–17:00 London time (the Welsh Government's monitored hours). */
export const OFFICE_HOURS: BusinessHours = {
  timeZone: 'Europe/London',
  days: [null, [540, 1020], [540, 1020], [540, 1020], [540, 1020], [540, 1020], null],
  holidays: ENGLAND_WALES_BANK_HOLIDAYS,
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** The wall-clock fields of an instant in a zone. */
export function localParts(
  at: Date,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {}
  for (const p of formatter(timeZone).formatToParts(at))
    if (p.type !== 'literal') parts[p.type] = Number(p.value)
  return {
    year: parts['year']!,
    month: parts['month']!,
    day: parts['day']!,
    hour: parts['hour']!,
    minute: parts['minute']!,
    second: parts['second']!,
  }
}

/** Offset of the zone from UTC at an instant, in milliseconds (BST: +3,600,000). */
function offsetMs(at: Date, timeZone: string): number {
  const p = localParts(at, timeZone)
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return asUtc - Math.floor(at.getTime() / 1000) * 1000
}

// Wall-clock → instant conversions repeat (the same opening hours every day): remember them.
// Intl formatting is the costliest step of routing otherwise. Bounded, and pure (no clock).
const instantCache = new Map<string, number>()

/** The instant of a local wall-clock time (day given as a UTC-midnight timestamp of the local date). */
function localToInstant(localDayUtcMs: number, minuteOfDay: number, timeZone: string): number {
  const key = `${timeZone}|${localDayUtcMs}|${minuteOfDay}`
  const hit = instantCache.get(key)
  if (hit !== undefined) return hit
  const value = computeInstant(localDayUtcMs, minuteOfDay, timeZone)
  if (instantCache.size > 20_000) instantCache.clear()
  instantCache.set(key, value)
  return value
}

function computeInstant(localDayUtcMs: number, minuteOfDay: number, timeZone: string): number {
  const guess = localDayUtcMs + minuteOfDay * MINUTE_MS
  const first = guess - offsetMs(new Date(guess), timeZone)
  // Re-check at the result: near a clock change the first guess uses the other offset.
  return guess - offsetMs(new Date(first), timeZone)
}

function isoDay(localDayUtcMs: number): string {
  return new Date(localDayUtcMs).toISOString().slice(0, 10)
}

/** The business windows (UTC ms) of one local date, or null when closed. */
function windowOf(localDayUtcMs: number, hours: BusinessHours, holidays: ReadonlySet<string>) {
  const weekday = new Date(localDayUtcMs).getUTCDay()
  const w = hours.days[weekday]
  if (!w || w[1] <= w[0] || holidays.has(isoDay(localDayUtcMs))) return null
  return {
    start: localToInstant(localDayUtcMs, w[0], hours.timeZone),
    end: localToInstant(localDayUtcMs, w[1], hours.timeZone),
  }
}

const dayCache = new Map<string, number>()

/** The local date of an instant (as a UTC-midnight timestamp). Zone offsets change on quarter hours at most. */
function localDayOf(at: Date, timeZone: string): number {
  const quarter = Math.floor(at.getTime() / 900_000)
  const key = `${timeZone}|${quarter}`
  const hit = dayCache.get(key)
  if (hit !== undefined) return hit
  const p = localParts(new Date(quarter * 900_000), timeZone)
  const value = Date.UTC(p.year, p.month - 1, p.day)
  if (dayCache.size > 20_000) dayCache.clear()
  dayCache.set(key, value)
  return value
}

function hasOpenDay(hours: BusinessHours): boolean {
  return hours.days.some((w) => w !== null && w[1] > w[0])
}

/**
 * The instant `minutes` business minutes after `start`. A start outside hours counts from the next
 * opening. Zero minutes returns `start` unchanged. Bounded to ten years of days so a calendar of
 * holidays only can never loop for ever.
 */
export function addBusinessMinutes(start: Date, minutes: number, hours: BusinessHours): Date {
  if (minutes <= 0) return new Date(start)
  if (!hasOpenDay(hours)) throw new RangeError('business hours have no open day')
  const holidays = new Set(hours.holidays)
  let remaining = minutes * MINUTE_MS
  let day = localDayOf(start, hours.timeZone)
  const t0 = start.getTime()
  for (let i = 0; i < 3660; i++, day += DAY_MS) {
    const w = windowOf(day, hours, holidays)
    if (!w) continue
    const from = Math.max(w.start, t0)
    if (from >= w.end) continue
    const available = w.end - from
    if (remaining <= available) return new Date(from + remaining)
    remaining -= available
  }
  throw new RangeError('no business hours within ten years')
}

/**
 * Business minutes from `from` to `to` (negative when `to` is earlier): "due in 2 h 10 min
 * (business hours)", and whether a first response was within the standard.
 */
export function businessMinutesBetween(from: Date, to: Date, hours: BusinessHours): number {
  if (to.getTime() < from.getTime()) return -businessMinutesBetween(to, from, hours)
  const holidays = new Set(hours.holidays)
  let total = 0
  const a = from.getTime()
  const b = to.getTime()
  for (let day = localDayOf(from, hours.timeZone); day <= localDayOf(to, hours.timeZone); day += DAY_MS) {
    const w = windowOf(day, hours, holidays)
    if (!w) continue
    const s = Math.max(w.start, a)
    const e = Math.min(w.end, b)
    if (e > s) total += e - s
  }
  return Math.round(total / MINUTE_MS)
}

/** "HH:MM" → minutes after midnight, or null when malformed. */
export function parseClock(value: string): number | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(value.trim())
  return m ? Number(m[1]) * 60 + Number(m[2]) : null
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

/** A holiday list typed one date per line (or comma-separated): valid dates, and the bad entries. */
export function parseHolidays(text: string): { dates: string[]; invalid: string[] } {
  const dates: string[] = []
  const invalid: string[] = []
  for (const raw of text.split(/[\s,]+/)) {
    if (raw === '') continue
    const time = Date.parse(`${raw}T00:00:00Z`)
    const ok =
      /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(raw)
    if (ok) dates.push(raw)
    else invalid.push(raw)
  }
  return { dates: [...new Set(dates)].sort(), invalid }
}
