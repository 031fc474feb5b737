/**
 * Council time: calendar days, hours and wall-clock times in Europe/London (GMT in winter, BST in
 * summer), whatever zone the server runs in. A post at 23:30 UTC in July is on the next day
 * here, and "09:00 on 29 March" means 08:00 UTC after the clocks go forward.
 */

const ZONE = 'Europe/London'
const DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})
const HOUR = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', hourCycle: 'h23' })
const TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

const asDate = (at: Date | string): Date => (typeof at === 'string' ? new Date(at) : at)

/** The calendar day of an instant in London, YYYY-MM-DD. */
export function londonDay(at: Date | string): string {
  return DAY.format(asDate(at))
}

/** The hour of day of an instant in London, 0–23. */
export function londonHour(at: Date | string): number {
  return Number(HOUR.format(asDate(at)))
}

/** The wall-clock time of an instant in London, HH:MM. */
export function londonTime(at: Date | string): string {
  return TIME.format(asDate(at))
}

/**
 * The instant of a London wall-clock day (YYYY-MM-DD) and time (H:MM or HH:MM), or null when either
 * is not a real one (31 February, 24:00). In the hour the clocks skip, the UTC reading is kept.
 */
export function londonToUtc(day: string, time = '00:00'): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  const t = /^(\d{1,2}):(\d{2})$/.exec(time)
  if (!d || !t) return null
  const [y, mo, da, h, mi] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])]
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59) return null
  const asUtc = Date.UTC(y, mo - 1, da, h, mi)
  const check = new Date(asUtc)
  if (check.getUTCDate() !== da || check.getUTCMonth() !== mo - 1) return null
  // London is UTC or UTC+1: try both offsets and keep the one that reads back as the wall clock.
  const wanted = `${String(h).padStart(2, '0')}:${t[2]}`
  for (const offsetH of [0, 1]) {
    const candidate = new Date(asUtc - offsetH * 3_600_000)
    if (londonDay(candidate) === day && londonTime(candidate) === wanted) return candidate
  }
  return new Date(asUtc)
}
