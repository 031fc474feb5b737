/**
 * Conversations open and close at midnight, UK time (Europe/London, so 23:00 UTC the day before in
 * summer). A closing date is inclusive: a conversation "closing on 30 June" takes votes until the
 * end of that day.
 */

const ZONE = 'Europe/London'

/** Minutes the zone is ahead of UTC at an instant (0 or 60 for London). */
function zoneOffsetMinutes(at: Date): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at)
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value)
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return Math.round((local - Math.floor(at.getTime() / 1000) * 1000) / 60_000)
}

/** The instant of midnight starting a UK calendar day. */
export function ukMidnight(year: number, month: number, day: number): Date {
  const guess = Date.UTC(year, month - 1, day)
  const first = new Date(guess - zoneOffsetMinutes(new Date(guess)) * 60_000)
  // Around a clock change the offset at the guess and at the answer can differ; one more step settles it.
  return new Date(guess - zoneOffsetMinutes(first) * 60_000)
}

/** A real calendar date from form fields, or null (31 February, a year of 99, letters). */
export function parseDateParts(
  day: string,
  month: string,
  year: string,
): { year: number; month: number; day: number } | null {
  if (![day, month, year].every((p) => /^\d{1,4}$/.test(p.trim()))) return null
  const d = Number(day)
  const m = Number(month)
  const y = Number(year)
  if (y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1) return null
  const check = new Date(Date.UTC(y, m - 1, d))
  if (check.getUTCMonth() !== m - 1) return null
  return { year: y, month: m, day: d }
}

/** The UK calendar day an instant falls on. */
export function ukDateParts(iso: string): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(new Date(iso))
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value)
  return { year: get('year'), month: get('month'), day: get('day') }
}

/** Opening instant of a day given in a form. */
export function opensAtFromParts(parts: { year: number; month: number; day: number }): string {
  return ukMidnight(parts.year, parts.month, parts.day).toISOString()
}

/** Closing instant for a last day given in a form: the midnight that ends it. */
export function closesAtFromParts(parts: { year: number; month: number; day: number }): string {
  const next = new Date(Date.UTC(parts.year, parts.month - 1, parts.day + 1))
  return ukMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()).toISOString()
}

/** The last day a conversation takes votes, for the form and for "closes on …". */
export function lastDayOf(closesAt: string): { year: number; month: number; day: number } {
  return ukDateParts(new Date(new Date(closesAt).getTime() - 1000).toISOString())
}
