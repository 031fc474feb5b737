/**
 * The built-in detectors: personal data, accessibility and channel limits. Each returns spans
 * (JavaScript string indices into the text) and the values its message needs.
 */
import { ENGLISH_STOP_WORDS, WELSH_STOP_WORDS } from '../text/stopwords.js'
import type { Span } from './matchers.js'
import type { PersonalDataDetector } from './types.js'

// ── Personal data ───────────────────────────────────────────────────────────────────────────
// Welsh Government social media house rules remove posts with personal information; an official
// account must never publish it (UK GDPR Art. 5(1)(c), data minimisation).

// Not after @: "@jo@mastodon.social" is a fediverse handle, public by design, not an email address.
const EMAIL = /(?<![\p{L}\p{N}._%+@-])[\p{L}\p{N}._%+-]+@(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}(?![\p{L}\p{N}])/gu

/**
 * Candidates for UK phone numbers: +44 or a leading 0, then digits with spaces, hyphens or
 * brackets. Ofcom's National Telephone Numbering Plan: 9 or 10 digits after the trunk 0, the
 * first being 1, 2, 3, 5, 7, 8 or 9 (4 and 6 are unused).
 */
const PHONE_CANDIDATE = /(?<![\p{L}\p{N}+])(?:\+44[\s-]*(?:\(0\)[\s-]*)?|\(0|0)\d[\d\s()-]{6,16}\d(?!\p{N})/gu

function validUkPhone(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '')
  let national: string
  if (candidate.startsWith('+44')) {
    national = digits.slice(2)
    if (national.startsWith('0')) national = national.slice(1) // "+44 (0)29 …"
  } else {
    national = digits.slice(1)
  }
  return /^[1-35789]\d{8,9}$/.test(national)
}

function* phones(text: string): Generator<Span> {
  for (const m of text.matchAll(PHONE_CANDIDATE)) {
    // The candidate may have swallowed a following number ("029 2087 2087 10 times"): drop
    // groups from the end until what is left is a valid number.
    let candidate = m[0]
    while (!validUkPhone(candidate)) {
      const cut = candidate.search(/[\s-]+[^\s-]*$/)
      if (cut <= 0) break
      candidate = candidate.slice(0, cut).replace(/[\s()-]+$/, '')
    }
    if (validUkPhone(candidate)) yield { start: m.index, end: m.index + candidate.length, text: candidate }
  }
}

/**
 * National Insurance numbers, HMRC NIM39110: two prefix letters (D, F, I, Q, U, V never; O never
 * second), six digits, a suffix A–D; the prefixes BG, GB, KN, NK, NT, TN and ZZ are not issued.
 * Spaces between the pairs are allowed ("QQ 12 34 56 C" is HMRC's own example, and QQ is not issued).
 */
const NINO =
  /(?<![\p{L}\p{N}])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\p{L}\p{N}])/giu
const NINO_NOT_ISSUED = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'])

/**
 * Full UK postcodes (Royal Mail PAF format: outward code + inward code "9AA"). A postcode on its
 * own names a street, not a person; with a house number before it, it is a home address.
 */
const POSTCODE =
  /(?<![\p{L}\p{N}])([A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?)) ?(\d[ABD-HJLNP-UW-Z]{2})(?![\p{L}\p{N}])/giu

const STREET_WORDS = new Set(
  `street st road rd avenue ave lane ln close drive dr way place court ct crescent terrace gardens grove hill
  park square sq walk row mews view rise green parade gate wharf quay yard croft meadow meadows fields vale
  heol stryd ffordd lôn lon rhodfa cilgant teras sgwâr sgwar maes clos llys bryn cae parc stryt`
    .split(/\s+/)
    .filter(Boolean),
)
const UNIT_WORDS = /(?:flat|unit|apartment|apt|house|no\.?|number|rhif|fflat|uned|tŷ|ty)\s*$/iu
const NOT_A_STREET = new Set(
  `january february march april may june july august september october november december jan feb mar apr jun
  jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday ionawr chwefror mawrth
  ebrill mai mehefin gorffennaf awst medi hydref tachwedd rhagfyr dydd am pm per`
    .split(/\s+/)
    .filter(Boolean),
)
const HOUSE_NUMBER = /(?<![\p{L}\p{N}:£$€.,/-])(\d{1,4}[a-z]?)(?![\p{N}:%/.])[\s,]+/giu
// A sentence end (not an abbreviation such as "St.") or a blank line ends an address.
const ADDRESS_BREAK = /(?<!\b(?:St|Rd|Ave|No|Sq|Ct|Dr|Ln|Mt))[.!?](?=\s)|\n\s*\n/gu

/** Where the house number of the address ending at `postcodeStart` begins, or -1. */
function houseNumberBefore(text: string, postcodeStart: number): number {
  let from = Math.max(0, postcodeStart - 120)
  for (const b of text.slice(from, postcodeStart).matchAll(ADDRESS_BREAK)) {
    from = Math.max(from, from + b.index + b[0].length)
  }
  const window = text.slice(from, postcodeStart)
  for (const m of window.matchAll(HOUSE_NUMBER)) {
    const after = window.slice(m.index + m[0].length)
    const words = after.match(/[\p{L}'’]+/gu) ?? []
    const first = words[0] ?? ''
    const before = window.slice(0, m.index)
    const streetSoon = words.slice(0, 4).some((w) => STREET_WORDS.has(w.toLowerCase()))
    const unit = UNIT_WORDS.test(before)
    const properNoun = /^\p{Lu}/u.test(first) && !NOT_A_STREET.has(first.toLowerCase())
    if (streetSoon || unit || properNoun) return from + m.index
  }
  return -1
}

function normaliseKey(text: string): string {
  return text.replace(/\s+/g, '').toLowerCase()
}

function allowed(detector: PersonalDataDetector, span: Span, key: string, allow: readonly string[]): boolean {
  const k = normaliseKey(key)
  return allow.some((entry) => {
    const e = normaliseKey(entry)
    if (!e) return false
    if (detector === 'email' && e.startsWith('@')) {
      const domain = k.slice(k.indexOf('@') + 1)
      return domain === e.slice(1) || domain.endsWith(`.${e.slice(1)}`)
    }
    if (detector === 'phone') return e.replace(/\D/g, '') === span.text.replace(/\D/g, '')
    return e === k
  })
}

/** The spans one personal-data detector finds, minus the allowed ones. */
export function personalData(
  detector: PersonalDataDetector,
  text: string,
  allow: readonly string[] = [],
): Span[] {
  const out: Span[] = []
  // Digits in a link ("…/news/02920872087") are an id, not a phone or NI number.
  const inLink = links(text)
  const keep = (span: Span, key = span.text) => {
    if (detector !== 'email' && inLink.some((l) => l.start <= span.start && span.end <= l.end)) return
    if (!allowed(detector, span, key, allow)) out.push(span)
  }
  switch (detector) {
    case 'email':
      for (const m of text.matchAll(EMAIL)) keep({ start: m.index, end: m.index + m[0].length, text: m[0] })
      break
    case 'phone':
      for (const span of phones(text)) keep(span)
      break
    case 'nino':
      for (const m of text.matchAll(NINO)) {
        if (NINO_NOT_ISSUED.has(m[1]!.toUpperCase())) continue
        keep({ start: m.index, end: m.index + m[0].length, text: m[0] })
      }
      break
    case 'address':
      for (const m of text.matchAll(POSTCODE)) {
        const start = houseNumberBefore(text, m.index)
        if (start < 0) continue
        const end = m.index + m[0].length
        keep({ start, end, text: text.slice(start, end) }, m[0])
      }
      break
  }
  return out
}

// ── Hashtags ────────────────────────────────────────────────────────────────────────────────
// GOV.UK content design guidance and the Welsh Government's accessible social media guidance:
// write multi-word hashtags in CamelCase (#LocalElections) so screen readers read the words.

const CIVIC_WORDS = `local election elections vote voting voter voters register registration electoral polling
station stations postal count results council councils councillor community communities city town village county
school schools road roads safety safe bin bins recycle recycling waste day days week weekly month year years news job
jobs health care carer carers social mental housing home homes park parks library libraries climate change
emergency green clean air energy food bank banks free help support young people children child family families
older age budget budgets tax plan plans planning consultation have your say our the and for with love shop shops
small business businesses high street travel bus buses train trains active walking walk cycling cycle sport sports
art arts culture heritage festival christmas summer winter spring autumn holiday holidays half term back open
closed event events volunteer volunteers volunteering leavers foster fostering adopt adoption wellbeing well being
stay warm cold weather flood floods flooding storm alert works closure pride black history women international world
national book books reading read learn learning skills apprenticeship apprenticeships digital inclusion net zero
carbon tree trees plant planting nature wildlife beach beaches coast river rivers water litter pick fly tipping dog
dogs noise night life out about get join meet team staff work working careers apply now today tomorrow weekend good
great big little new happy remember remembrance sunday armed forces veterans fire police crime scam scams fraud
awareness cost living crisis bills benefit benefits check money advice public service services hub market markets
fair trade equality diversity disability disabled deaf blind autism dementia friendly language languages welsh
english wales cardiff swansea newport wrexham bangor vale glamorgan gwynedd powys ceredigion pembrokeshire
carmarthenshire monmouthshire conwy flintshire denbighshire anglesey torfaen caerphilly bridgend rhondda
merthyr blaenau gwent neath port talbot council tax petition petitions survey ideas idea share your
cymru caerdydd abertawe casnewydd cyngor cymuned cymunedau etholiad etholiadau lleol pleidlais pleidleisio
pleidleisiwch dydd diwrnod wythnos mis blwyddyn ysgol ysgolion iechyd gofal tai cartref cartrefi parc llyfrgell
hinsawdd newid ailgylchu gwastraff bws teithio cymraeg iaith croeso dathlu hapus nadolig haf gaeaf gwanwyn
ffair gwirfoddoli gwirfoddolwyr diogel diogelwch bwyd ynni glan aer plant pobl ifanc teulu teuluoedd eisteddfod
dewch gyda ni ein eich eich barn dweud`
const DICTIONARY: ReadonlySet<string> = new Set(
  [...CIVIC_WORDS.split(/\s+/), ...ENGLISH_STOP_WORDS, ...WELSH_STOP_WORDS].filter((w) => w.length >= 3),
)
// Two-letter words that may be part of a hashtag (#GetOutAndVote, #NiYnGwrando…).
const SHORT_WORDS = new Set([
  'of',
  'in',
  'on',
  'at',
  'to',
  'my',
  'we',
  'us',
  'is',
  'it',
  'an',
  'go',
  'ni',
  'yn',
  'ar',
  'i',
])

function inDictionary(word: string): boolean {
  return DICTIONARY.has(word) || SHORT_WORDS.has(word)
}

/** The fewest dictionary words that make up `body` exactly, or null (dynamic programming). */
export function segmentHashtag(body: string): string[] | null {
  const n = body.length
  const best: (string[] | null)[] = new Array(n + 1).fill(null)
  best[0] = []
  for (let end = 1; end <= n; end++) {
    for (let start = Math.max(0, end - 24); start < end; start++) {
      const prev = best[start]
      if (!prev) continue
      const piece = body.slice(start, end)
      const ok = /^\p{N}+$/u.test(piece) || (piece.length >= 2 && inDictionary(piece))
      if (!ok) continue
      if (!best[end] || best[end]!.length > prev.length + 1) best[end] = [...prev, piece]
    }
  }
  return best[n]
}

export interface HashtagSpan extends Span {
  readonly suggestion: string
}

const HASHTAG = /(?<![\p{L}\p{N}_&/#])#([\p{L}\p{M}\p{N}_]+)/gu

/**
 * Lower-case run-together hashtags of at least `minLetters` letters that split into two or more
 * known words (#localelections → #LocalElections). A tag that is itself a word (#recycling), or
 * that does not split into known words, is left alone: false alarms teach people to ignore warnings.
 */
export function lowerCaseHashtags(text: string, minLetters = 8): HashtagSpan[] {
  const out: HashtagSpan[] = []
  for (const m of text.matchAll(HASHTAG)) {
    const body = m[1]!
    if (/\p{Lu}/u.test(body) || body.includes('_')) continue
    if ((body.match(/\p{L}/gu) ?? []).length < minLetters) continue
    if (inDictionary(body)) continue
    const parts = segmentHashtag(body)
    if (!parts || parts.length < 2) continue
    const suggestion = `#${parts.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')}`
    out.push({ start: m.index, end: m.index + m[0].length, text: m[0], suggestion })
  }
  return out
}

// ── Reading ease ────────────────────────────────────────────────────────────────────────────

/** English syllables, the usual vowel-group heuristic (silent final e, -es, -ed dropped). */
export function syllables(word: string): number {
  let w = word.toLowerCase().replace(/[^a-z]/g, '')
  if (w.length <= 3) return 1
  w = w.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, '').replace(/^y/, '')
  return Math.max(1, (w.match(/[aeiouy]{1,2}/g) ?? []).length)
}

export interface ReadingEase {
  readonly score: number
  readonly words: number
}

/**
 * Flesch reading ease, 206.835 − 1.015 × words per sentence − 84.6 × syllables per word (Flesch
 * 1948). Links, @mentions and #hashtags are not words; a line break ends a sentence, as posts are
 * often written in lines without full stops.
 */
export function fleschReadingEase(text: string): ReadingEase {
  const prose = text.replace(/(?:https?:\/\/|www\.)\S+|[@#][\p{L}\p{N}_.@-]+/gu, ' ')
  const words = prose.match(/\p{L}[\p{L}'’-]*/gu) ?? []
  const sentences = Math.max(1, prose.split(/[.!?]+(?=\s|$)|\n+/).filter((s) => /\p{L}/u.test(s)).length)
  if (words.length === 0) return { score: 100, words: 0 }
  const syl = words.reduce((sum, w) => sum + syllables(w), 0)
  const score = 206.835 - 1.015 * (words.length / sentences) - 84.6 * (syl / words.length)
  return { score: Math.round(score * 10) / 10, words: words.length }
}

// ── Emoji used as bullets ───────────────────────────────────────────────────────────────────
// Screen readers read an emoji's full name ("right arrow", "check mark button") at the start of
// every line: a list of emoji bullets is a list of noise (GCS accessible social media guidance).

const EMOJI_BULLET =
  /^[ \t]*((?:\p{Extended_Pictographic}|[0-9#*]\uFE0F?\u20E3)(?:\uFE0F|\p{Emoji_Modifier}|\u200D\p{Extended_Pictographic})*)[ \t]*(?=[\p{L}\p{N}])/gmu

/** The emoji at the start of lines, when at least `minLines` lines start with one. */
export function emojiBullets(text: string, minLines = 2): Span[] {
  const spans: Span[] = []
  for (const m of text.matchAll(EMOJI_BULLET)) {
    const start = m.index + m[0].indexOf(m[1]!)
    spans.push({ start, end: start + m[1]!.length, text: m[1]! })
  }
  return spans.length >= minLines ? spans : []
}

// ── Channel limits ──────────────────────────────────────────────────────────────────────────

export const LINK = /(?:https?:\/\/|www\.)[^\s<>"]*[^\s<>"'().,;:!?]/giu

export function links(text: string): Span[] {
  return [...text.matchAll(LINK)].map((m) => ({ start: m.index, end: m.index + m[0].length, text: m[0] }))
}

/** Mastodon counts every link as 23 characters, whatever its length (docs.joinmastodon.org, statuses). */
export const MASTODON_URL_LENGTH = 23

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' })

export interface Overflow {
  /** Where the text passes the limit (a string index), or -1 when it fits. */
  readonly at: number
  readonly count: number
}

/**
 * How long the text is for the channel, and where it passes `limit`. Bluesky counts graphemes
 * (what a reader sees as one character: 👍🏽 is one; AT Protocol app.bsky.feed.post maxGraphemes
 * 300); Mastodon counts code points, every link as 23.
 */
export function measure(
  text: string,
  mode: 'graphemes' | 'mastodon' | 'codepoints',
  limit: number,
): Overflow {
  let count = 0
  let at = -1
  const step = (index: number, units: number) => {
    count += units
    if (at < 0 && count > limit) at = index
  }
  if (mode === 'graphemes') {
    for (const s of graphemes.segment(text)) step(s.index, 1)
    return { at, count }
  }
  const linkSpans = mode === 'mastodon' ? links(text) : []
  let i = 0
  let next = 0
  while (i < text.length) {
    const link = linkSpans[next]
    if (link && link.start === i) {
      step(i, MASTODON_URL_LENGTH)
      i = link.end
      next++
      continue
    }
    const cp = text.codePointAt(i)!
    step(i, 1)
    i += cp > 0xffff ? 2 : 1
  }
  return { at, count }
}
