/**
 * Named places in text: a gazetteer (a module passes its own list, such as the body's wards,
 * streets or community councils), a small built-in list of UK nations and Welsh and UK
 * towns with their Welsh names, UK postcodes, and capitalised-phrase heuristics ("Queen
 * Street", "Parc Bute", "in Splott").
 *
 * Welsh mutates the first letter of a name after many small words: "i Gaerdydd" (to
 * Cardiff), "yng Nghaerdydd" (in Cardiff), "ym Mangor", "o Fangor", "a Phontypridd". The
 * gazetteer matches those forms, but only right after such a word, so an English word that
 * happens to look like a mutated name is not taken for one.
 */
import { tokenize } from './tokenize.js'

export interface PlaceEntry {
  /** The name to report, e.g. "Cardiff". */
  readonly name: string
  /** Other names and spellings, e.g. ["Caerdydd"]. */
  readonly aliases?: readonly string[]
  /** The caller's identifier, e.g. a ward code. */
  readonly id?: string
  /** Free text: 'ward', 'town', 'street', … */
  readonly kind?: string
}

export interface PlaceMatch {
  /** Canonical name (the entry's `name`), or the text itself for heuristic matches. */
  readonly name: string
  /** The text as written. */
  readonly text: string
  readonly start: number
  readonly end: number
  readonly source: 'gazetteer' | 'postcode' | 'pattern'
  readonly id?: string
  readonly kind?: string
  /** Set when a Welsh mutated form matched ("Nghaerdydd" for "Caerdydd"). */
  readonly mutation?: 'soft' | 'nasal' | 'aspirate'
}

type Mutation = NonNullable<PlaceMatch['mutation']>

interface WordTok {
  readonly key: string
  readonly text: string
  readonly start: number
  readonly end: number
}

/** Letters only, lower case, "St." and "Saint" folded together, so spellings meet. */
function nameKey(word: string): string {
  // Words recur (Zipf): remembering the keys of recent words spares the Unicode work for most.
  const cached = nameKeys.get(word)
  if (cached !== undefined) return cached
  if (nameKeys.size >= NAME_KEY_CACHE) nameKeys.clear()
  const key = nameKeyUncached(word)
  nameKeys.set(word, key)
  return key
}

const NAME_KEY_CACHE = 50_000
const nameKeys = new Map<string, string>()

function nameKeyUncached(word: string): string {
  const k = word
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/['’‘]s$/, '')
    .replace(/[^\p{L}\p{N}]/gu, '')
  return k === 'saint' ? 'st' : k
}

/**
 * Words of a text for name matching; hyphens split ("Pen-y-bont" → pen, y, bont). The last
 * text's words are kept, as `findPlaces` runs a council's gazetteer and the built-in one over
 * the same text.
 */
function nameWords(text: string): readonly WordTok[] {
  if (lastNameWords?.text === text) return lastNameWords.words
  const words = nameWordsUncached(text)
  lastNameWords = { text, words }
  return words
}

let lastNameWords: { text: string; words: readonly WordTok[] } | null = null

function nameWordsUncached(text: string): WordTok[] {
  const out: WordTok[] = []
  for (const t of tokenize(text)) {
    if (t.type !== 'word' && t.type !== 'number' && t.type !== 'hashtag') continue
    const offset = t.type === 'hashtag' ? 1 : 0
    const body = offset === 0 ? t.text : t.text.slice(offset)
    let pos = t.start + offset
    // Most words have no hyphen and no "'s": one part, as written.
    const parts = body.includes('-') ? body.split('-') : [body]
    for (const part of parts) {
      const trimmed = hasPossessive(part) ? part.replace(/['’‘]s$/, '') : part
      if (trimmed.length > 0) {
        const key = nameKey(trimmed)
        if (key.length > 0) out.push({ key, text: trimmed, start: pos, end: pos + trimmed.length })
      }
      pos += part.length + 1
    }
  }
  return out
}

/** Whether a word ends in "'s" (any apostrophe), as `/['’‘]s$/` tests, without the regex. */
function hasPossessive(word: string): boolean {
  const n = word.length
  if (n < 2 || word.charCodeAt(n - 1) !== 115) return false
  const a = word.charCodeAt(n - 2)
  return a === 39 || a === 0x2019 || a === 0x2018
}

/** Words after which Welsh mutates a following name, and the mutation each causes. */
const MUTATION_TRIGGERS: Readonly<Record<string, readonly Mutation[]>> = {
  i: ['soft'],
  o: ['soft'],
  am: ['soft'],
  ar: ['soft'],
  at: ['soft'],
  dros: ['soft'],
  drwy: ['soft'],
  trwy: ['soft'],
  gan: ['soft'],
  heb: ['soft'],
  hyd: ['soft'],
  wrth: ['soft'],
  dan: ['soft'],
  tan: ['soft'],
  yn: ['nasal', 'soft'],
  ym: ['nasal'],
  yng: ['nasal'],
  // "a" also stands for "â" (with), as accents are folded.
  a: ['aspirate'],
  gyda: ['aspirate'],
  tua: ['aspirate'],
}

/** The mutated forms of a (lower-case, accent-free) Welsh word. */
export function welshMutations(word: string): Array<{ form: string; mutation: Mutation }> {
  const w = word.toLowerCase()
  // Digraphs that are letters in their own right do not mutate like their first letter.
  if (/^(ch|ph|th|ff|dd|ng)/.test(w)) return []
  const out: Array<{ form: string; mutation: Mutation }> = []
  const add = (form: string, mutation: Mutation): void => {
    if (form.length > 1 && form !== w) out.push({ form, mutation })
  }
  const rest1 = w.slice(1)
  if (w.startsWith('ll')) add(w.slice(1), 'soft')
  else if (w.startsWith('rh')) add('r' + w.slice(2), 'soft')
  else {
    switch (w[0]) {
      case 'p':
        add('b' + rest1, 'soft')
        add('mh' + rest1, 'nasal')
        add('ph' + rest1, 'aspirate')
        break
      case 't':
        add('d' + rest1, 'soft')
        add('nh' + rest1, 'nasal')
        add('th' + rest1, 'aspirate')
        break
      case 'c':
        add('g' + rest1, 'soft')
        add('ngh' + rest1, 'nasal')
        add('ch' + rest1, 'aspirate')
        break
      case 'b':
        add('f' + rest1, 'soft')
        add('m' + rest1, 'nasal')
        break
      case 'd':
        add('dd' + rest1, 'soft')
        add('n' + rest1, 'nasal')
        break
      case 'g':
        add(rest1, 'soft')
        add('ng' + rest1, 'nasal')
        break
      case 'm':
        add('f' + rest1, 'soft')
        break
    }
  }
  return out
}

interface Pattern {
  readonly keys: readonly string[]
  readonly entry: PlaceEntry
  readonly mutation?: Mutation
}

/**
 * A list of place names to look for. Build one per list (it indexes the names), and reuse it.
 *
 * @example
 * const wards = new Gazetteer([{ name: 'Splott', id: 'W05000866', kind: 'ward' }, { name: 'Cathays' }])
 * wards.find('Flooding again in Splott').map((p) => p.name) // ['Splott']
 */
export class Gazetteer {
  readonly #byFirst = new Map<string, Pattern[]>()
  readonly #entries: readonly PlaceEntry[]

  constructor(
    entries: ReadonlyArray<PlaceEntry | string>,
    options: { readonly welshMutations?: boolean } = {},
  ) {
    this.#entries = entries.map((e) => (typeof e === 'string' ? { name: e } : e))
    const mutate = options.welshMutations ?? true
    for (const entry of this.#entries) {
      for (const name of [entry.name, ...(entry.aliases ?? [])]) {
        const keys = nameWords(name).map((w) => w.key)
        if (keys.length === 0) continue
        this.#add({ keys, entry })
        if (mutate) {
          for (const { form, mutation } of welshMutations(keys[0]!)) {
            this.#add({ keys: [form, ...keys.slice(1)], entry, mutation })
          }
        }
      }
    }
    for (const list of this.#byFirst.values()) list.sort((a, b) => b.keys.length - a.keys.length)
  }

  #add(p: Pattern): void {
    const list = this.#byFirst.get(p.keys[0]!) ?? []
    list.push(p)
    this.#byFirst.set(p.keys[0]!, list)
  }

  get entries(): readonly PlaceEntry[] {
    return this.#entries
  }

  /** All matches, left to right, longest first where two overlap. */
  find(text: string): PlaceMatch[] {
    const words = nameWords(text)
    const out: PlaceMatch[] = []
    for (let i = 0; i < words.length; ) {
      const match = this.#matchAt(words, i, text)
      if (match) {
        out.push(match.place)
        i += match.length
      } else i++
    }
    return out
  }

  #matchAt(words: readonly WordTok[], i: number, text: string): { place: PlaceMatch; length: number } | null {
    const candidates = this.#byFirst.get(words[i]!.key)
    if (!candidates) return null
    const previous = i > 0 ? words[i - 1]!.key : ''
    for (const p of candidates) {
      if (i + p.keys.length > words.length) continue
      if (!p.keys.every((k, j) => words[i + j]!.key === k)) continue
      if (p.mutation && !(MUTATION_TRIGGERS[previous] ?? []).includes(p.mutation)) continue
      const first = words[i]!
      const last = words[i + p.keys.length - 1]!
      // A one-word name written in lower case is probably an ordinary word ("barry", "mold").
      if (p.keys.length === 1 && !/^\p{Lu}/u.test(first.text) && first.text.length < 6) continue
      const place: PlaceMatch = {
        name: p.entry.name,
        text: text.slice(first.start, last.end),
        start: first.start,
        end: last.end,
        source: 'gazetteer',
        ...(p.entry.id !== undefined ? { id: p.entry.id } : {}),
        ...(p.entry.kind !== undefined ? { kind: p.entry.kind } : {}),
        ...(p.mutation ? { mutation: p.mutation } : {}),
      }
      return { place, length: p.keys.length }
    }
    return null
  }
}

/** UK nations, and Welsh and some English and Scottish towns and counties, with Welsh names. */
export const UK_PLACES: readonly PlaceEntry[] = [
  ['Wales', 'Cymru', 'nation'],
  ['England', 'Lloegr', 'nation'],
  ['Scotland', 'Yr Alban', 'nation'],
  ['Northern Ireland', 'Gogledd Iwerddon', 'nation'],
  ['United Kingdom', 'Y Deyrnas Unedig', 'country'],
  ['Great Britain', 'Prydain Fawr', 'country'],
  ['Cardiff', 'Caerdydd', 'city'],
  ['Swansea', 'Abertawe', 'city'],
  ['Newport', 'Casnewydd', 'city'],
  ['Wrexham', 'Wrecsam', 'city'],
  ['St Davids', 'Tyddewi|St David’s', 'city'],
  ['St Asaph', 'Llanelwy', 'city'],
  ['Bangor', '', 'city'],
  ['Aberystwyth', '', 'town'],
  ['Carmarthen', 'Caerfyrddin', 'town'],
  ['Llanelli', '', 'town'],
  ['Pontypridd', '', 'town'],
  ['Merthyr Tydfil', 'Merthyr Tudful', 'town'],
  ['Bridgend', 'Pen-y-bont ar Ogwr', 'town'],
  ['Caerphilly', 'Caerffili', 'town'],
  ['Barry', 'Y Barri', 'town'],
  ['Neath', 'Castell-nedd', 'town'],
  ['Port Talbot', '', 'town'],
  ['Rhondda', '', 'area'],
  ['Aberdare', 'Aberdâr', 'town'],
  ['Abergavenny', 'Y Fenni', 'town'],
  ['Monmouth', 'Trefynwy', 'town'],
  ['Chepstow', 'Cas-gwent', 'town'],
  ['Cwmbran', 'Cwmbrân', 'town'],
  ['Pontypool', 'Pont-y-pŵl', 'town'],
  ['Ebbw Vale', 'Glynebwy', 'town'],
  ['Brecon', 'Aberhonddu', 'town'],
  ['Llandrindod Wells', 'Llandrindod', 'town'],
  ['Newtown', 'Y Drenewydd', 'town'],
  ['Welshpool', 'Y Trallwng', 'town'],
  ['Machynlleth', '', 'town'],
  ['Dolgellau', '', 'town'],
  ['Bala', 'Y Bala', 'town'],
  ['Caernarfon', '', 'town'],
  ['Holyhead', 'Caergybi', 'town'],
  ['Llangefni', '', 'town'],
  ['Rhyl', 'Y Rhyl', 'town'],
  ['Prestatyn', '', 'town'],
  ['Colwyn Bay', 'Bae Colwyn', 'town'],
  ['Llandudno', '', 'town'],
  ['Conwy', '', 'town'],
  ['Denbigh', 'Dinbych', 'town'],
  ['Ruthin', 'Rhuthun', 'town'],
  ['Mold', 'Yr Wyddgrug', 'town'],
  ['Flint', 'Y Fflint', 'town'],
  ['Haverfordwest', 'Hwlffordd', 'town'],
  ['Pembroke', 'Penfro', 'town'],
  ['Tenby', 'Dinbych-y-pysgod', 'town'],
  ['Fishguard', 'Abergwaun', 'town'],
  ['Cardigan', 'Aberteifi', 'town'],
  ['Lampeter', 'Llanbedr Pont Steffan', 'town'],
  ['Anglesey', 'Ynys Môn', 'county'],
  ['Gwynedd', '', 'county'],
  ['Denbighshire', 'Sir Ddinbych', 'county'],
  ['Flintshire', 'Sir y Fflint', 'county'],
  ['Powys', '', 'county'],
  ['Ceredigion', '', 'county'],
  ['Pembrokeshire', 'Sir Benfro', 'county'],
  ['Carmarthenshire', 'Sir Gaerfyrddin', 'county'],
  ['Vale of Glamorgan', 'Bro Morgannwg', 'county'],
  ['Monmouthshire', 'Sir Fynwy', 'county'],
  ['Torfaen', '', 'county'],
  ['Blaenau Gwent', '', 'county'],
  ['Snowdonia', 'Eryri', 'area'],
  ['London', 'Llundain', 'city'],
  ['Birmingham', '', 'city'],
  ['Manchester', 'Manceinion', 'city'],
  ['Liverpool', 'Lerpwl', 'city'],
  ['Leeds', '', 'city'],
  ['Bristol', 'Bryste', 'city'],
  ['Sheffield', '', 'city'],
  ['Newcastle upon Tyne', 'Newcastle', 'city'],
  ['Nottingham', '', 'city'],
  ['Chester', 'Caer', 'city'],
  ['Shrewsbury', 'Amwythig', 'town'],
  ['Hereford', 'Henffordd', 'city'],
  ['Gloucester', 'Caerloyw', 'city'],
  ['Oxford', 'Rhydychen', 'city'],
  ['Cambridge', 'Caergrawnt', 'city'],
  ['Edinburgh', 'Caeredin', 'city'],
  ['Glasgow', '', 'city'],
  ['Belfast', '', 'city'],
].map(([name, aliases, kind]) => ({ name: name!, aliases: aliases ? aliases.split('|') : [], kind: kind! }))

let builtIn: Gazetteer | undefined

/** The built-in gazetteer of `UK_PLACES`. */
export function ukGazetteer(): Gazetteer {
  builtIn ??= new Gazetteer(UK_PLACES)
  return builtIn
}

/** UK postcode, full ("CF10 1AA") or outward part only after a place word is not matched. */
const POSTCODE = /\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}\b/g

const STREET_WORDS =
  'Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Park|Square|Hill|Green|Place|Terrace|Crescent|Gardens|Bridge|Estate|Station|Hospital|Library|Centre|Center|Market|Quay|Wharf|Common|Court|Row|Walk|Parade|Bay|Beach|Field|Fields|Woods|Wood|Valley|Reservoir|Roundabout|Retail Park|Industrial Estate'
const WELSH_PLACE_WORDS =
  'Heol|Stryd|Ffordd|Lôn|Parc|Barc|Sgwâr|Pont|Bont|Maes|Faes|Cae|Coed|Cwm|Gwm|Bryn|Fryn|Llan|Tŷ|Plas|Gorsaf|Ysbyty|Neuadd|Canolfan'
const CAP = "\\p{Lu}[\\p{L}'’-]*"
const CONNECT = '(?:y|yr|ar|of|upon|the|de|la)'
/** "Queen Street", "Cowbridge Road East", "St Mary's Hospital". */
const STREET_RE = new RegExp(
  `(?<![\\p{L}])(?:${CAP}\\s+){1,3}(?:${STREET_WORDS})(?:\\s+(?:East|West|North|South|Upper|Lower))?(?![\\p{L}])`,
  'gu',
)
/** "Heol y Frenhines", "Parc Bute", "Ysbyty Gwynedd". */
const WELSH_RE = new RegExp(
  `(?<![\\p{L}])(?:${WELSH_PLACE_WORDS})(?:\\s+${CONNECT})?(?:\\s+${CAP}){1,2}(?![\\p{L}])`,
  'gu',
)
/** "in Splott", "near Canton", "outside Roath": a capitalised name after a location word. */
const AFTER_PREPOSITION_RE = new RegExp(
  `(?<=(?:^|\\s)(?:in|at|near|outside|around|across|ger|yng|ym|yn)\\s)${CAP}(?:\\s+(?:${CONNECT}\\s+)?${CAP}){0,2}`,
  'gu',
)

const POSTCODE_AT = new RegExp(POSTCODE.source, 'y')
const STREET_AT = new RegExp(STREET_RE.source, 'uy')
const WELSH_AT = new RegExp(WELSH_RE.source, 'uy')
const AFTER_PREPOSITION_AT = new RegExp(AFTER_PREPOSITION_RE.source, 'uy')

/**
 * Where a match can start: ASCII capitals and any non-ASCII character (which may be a capital),
 * but not the second half of a surrogate pair.
 */
function capitalStarts(text: string): number[] {
  const out: number[] = []
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 65 && c <= 90) out.push(i)
    else if (c >= 128) {
      if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
        const p = text.charCodeAt(i - 1)
        if (p >= 0xd800 && p <= 0xdbff) continue
      }
      out.push(i)
    }
  }
  return out
}

/**
 * The matches a global search with `sticky`'s pattern finds, trying only `starts` (ascending,
 * a superset of where a match can begin), each search going on after the last match.
 */
function matchesFrom(sticky: RegExp, text: string, starts: readonly number[]): RegExpExecArray[] {
  const out: RegExpExecArray[] = []
  let from = 0
  for (const i of starts) {
    if (i < from) continue
    sticky.lastIndex = i
    const m = sticky.exec(text)
    if (m !== null) {
      out.push(m)
      from = m.index + m[0].length
    }
  }
  return out
}

const NOT_PLACES = new Set(
  `I I'm I've Mr Mrs Ms Dr Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
July August September October November December Christmas Easter The This That These Those It My Our Your Their His
Her We They You He She Council Government Parliament Senedd Police NHS Covid Ionawr Chwefror Mawrth Ebrill Mai
Mehefin Gorffennaf Awst Medi Hydref Tachwedd Rhagfyr Llun Mercher Iau Gwener Sadwrn Sul`.split(/\s+/),
)

export interface FindPlacesOptions {
  /** The caller's own places (wards, streets…); a list or a prebuilt `Gazetteer`. */
  readonly gazetteer?: Gazetteer | ReadonlyArray<PlaceEntry | string>
  /** Also look in the built-in UK list. Default true. */
  readonly builtIn?: boolean
  /** Also report postcodes. Default true. */
  readonly postcodes?: boolean
  /** Also report capitalised names that look like places (streets, "in Splott"). Default true. */
  readonly heuristics?: boolean
}

/**
 * Places named in a text, in order, without overlaps. The caller's gazetteer wins over the
 * built-in list, which wins over postcodes and heuristics.
 *
 * @example
 * findPlaces('Flooding on Cowbridge Road East again, and yng Nghaerdydd', { gazetteer: ['Canton'] })
 * // [{ name: 'Cowbridge Road East', source: 'pattern' }, { name: 'Cardiff', text: 'Nghaerdydd', mutation: 'nasal' }]
 */
export function findPlaces(text: string, options: FindPlacesOptions = {}): PlaceMatch[] {
  const found: PlaceMatch[] = []
  const take = (m: PlaceMatch): void => {
    if (found.some((f) => m.start < f.end && f.start < m.end)) return
    found.push(m)
  }
  if (options.gazetteer) {
    const g = options.gazetteer instanceof Gazetteer ? options.gazetteer : new Gazetteer(options.gazetteer)
    for (const m of g.find(text)) take(m)
  }
  if (options.builtIn ?? true) for (const m of ukGazetteer().find(text)) take(m)
  // Every postcode and heuristic match starts with a capital letter: the expressions are tried
  // only there (sticky, in order), which finds what a scan of the whole text finds.
  const starts = options.postcodes !== false || options.heuristics !== false ? capitalStarts(text) : []
  if (options.postcodes ?? true) {
    for (const m of matchesFrom(POSTCODE_AT, text, starts)) {
      const code = m[0].includes(' ') ? m[0] : m[0].slice(0, -3) + ' ' + m[0].slice(-3)
      take({
        name: code,
        text: m[0],
        start: m.index,
        end: m.index + m[0].length,
        source: 'postcode',
        kind: 'postcode',
      })
    }
  }
  if (options.heuristics ?? true) {
    for (const re of [STREET_AT, WELSH_AT, AFTER_PREPOSITION_AT]) {
      for (const m of matchesFrom(re, text, starts)) {
        const words = m[0].split(/\s+/)
        while (words.length > 0 && NOT_PLACES.has(words[0]!)) words.shift()
        if (words.length === 0) continue
        const name = words.join(' ')
        const start = m.index + m[0].length - name.length
        if (words.length === 1 && NOT_PLACES.has(name.replace(/['’]s$/, ''))) continue
        take({ name, text: name, start, end: start + name.length, source: 'pattern' })
      }
    }
  }
  return found.sort((a, b) => a.start - b.start)
}
