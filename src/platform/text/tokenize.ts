/**
 * Tokeniser for short social text: posts, comments, petitions, survey answers.
 *
 * It keeps hashtags, mentions, links, e-mail addresses, emoji (including skin tones, ZWJ
 * sequences and the flags of Wales, Scotland and England), emoticons, numbers and words with
 * apostrophes (English "don't", Welsh "i'r", "mae'r") as single tokens, each with its offsets
 * in the original string so callers can highlight matches.
 */

export type TokenType =
  | 'word'
  | 'hashtag'
  | 'mention'
  | 'url'
  | 'email'
  | 'emoji'
  | 'emoticon'
  | 'number'
  | 'punct'

export interface Token {
  /** The text exactly as written. */
  readonly text: string
  /** Lower case, curly apostrophes straightened, NFC. For words split from a contraction, the expanded word ("n't" → "not"). */
  readonly norm: string
  readonly type: TokenType
  /** Offsets into the input string (UTF-16 code units), `end` exclusive. */
  readonly start: number
  readonly end: number
}

export interface TokenizeOptions {
  /**
   * Splits English contractions the Penn Treebank way: "don't" → "do" + "n't" (norm "not"),
   * "I'm" → "I" + "'m" (norm "am"). Welsh forms such as "i'r" or "sy'n" are never split.
   * Default false.
   */
  readonly splitContractions?: boolean
}

const EMOTICONS = [
  ":'-(",
  ":'(",
  ":'-)",
  ":')",
  ':-)',
  ':)',
  ':-]',
  ':]',
  ':-D',
  ':D',
  ';-)',
  ';)',
  ';-D',
  ';D',
  ':-P',
  ':P',
  ':-p',
  ':p',
  ';P',
  ';p',
  ':-(',
  ':(',
  ':-[',
  ':[',
  ':-/',
  ':/',
  ':-\\',
  ':\\',
  ':-|',
  ':|',
  ':-O',
  ':O',
  ':-o',
  ':o',
  ':-*',
  ':*',
  ':-S',
  ':S',
  ':-s',
  ':s',
  '=)',
  '=(',
  '=D',
  '=/',
  '(:',
  '):',
  '</3',
  '<3',
  '^_^',
  '^^',
  '-_-',
  'o_O',
  'O_o',
  'xD',
  'XD',
  'D:',
  '>:(',
  '>:-(',
  '8-)',
  'B-)',
]

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

// Longest emoticons first, so ":-)" wins over ":-".
const EMOTICON_SRC = [...EMOTICONS]
  .sort((a, b) => b.length - a.length)
  .map(escapeRegExp)
  .join('|')

/** One emoji: a flag pair, a keycap, or a pictograph with modifiers, tag sequence and ZWJ joins. */
const EMOJI_SRC =
  '(?:\\p{Regional_Indicator}{2}' +
  '|[#*0-9]\\uFE0F?\\u20E3' +
  '|\\p{Extended_Pictographic}(?:\\uFE0F|\\p{Emoji_Modifier}|[\\u{E0020}-\\u{E007E}]+\\u{E007F})*' +
  '(?:\\u200D\\p{Extended_Pictographic}(?:\\uFE0F|\\p{Emoji_Modifier})*)*)'

const URL_SRC =
  '(?:https?://|www\\.)[^\\s<>"\']+' +
  '|\\b[a-z0-9][a-z0-9-]*(?:\\.[a-z0-9-]+)*\\.(?:com|org|net|gov\\.uk|org\\.uk|co\\.uk|ac\\.uk|nhs\\.uk|uk|wales|cymru|eu|io|social)(?:/[^\\s<>"\']*)?\\b'

const WORD_CHAR = '[\\p{L}\\p{M}\\p{N}]'
const WORD_SRC = `\\p{L}${WORD_CHAR}*(?:['’‘][\\p{L}\\p{M}]+|-${WORD_CHAR}+)*`

// One numbered group per token type, in the order of `GROUP_TYPES` (numbered rather than named:
// a named group builds a `groups` object for every match, and there is one match per token).
const TOKEN_RE = new RegExp(
  [
    `(${URL_SRC})`,
    `([\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)+)`,
    // Twitter @name, Mastodon @name@instance.example
    `(@[\\p{L}\\p{N}_]+(?:@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)+)?)`,
    `([#＃][\\p{L}\\p{N}_]*\\p{L}[\\p{L}\\p{M}\\p{N}_]*)`,
    `((?<![\\p{L}\\p{N}])(?:${EMOTICON_SRC})(?![\\p{L}\\p{N}]))`,
    `(${EMOJI_SRC})`,
    `([£$€]?\\d+(?:[.,:/]\\d+)*(?:%|(?:k|m|bn|p|st|nd|rd|th|am|pm|s)\\b)?)`,
    `(${WORD_SRC})`,
    `([!?]+|\\.{2,}|…|[^\\s\\p{L}\\p{N}])`,
  ].join('|'),
  'gu',
)

/** The token type of each group of `TOKEN_RE` (group 1 is `url`); the last, `punct`, is the default. */
const GROUP_TYPES: readonly TokenType[] = [
  'url',
  'email',
  'mention',
  'hashtag',
  'emoticon',
  'emoji',
  'number',
  'word',
]

const TRAILING_URL_PUNCT = /[.,;:!?)\]}'"’”]+$/

/** English clitics split by `splitContractions`, with the word each stands for. */
const CLITICS: ReadonlyArray<readonly [string, string]> = [
  ["n't", 'not'],
  ["'re", 'are'],
  ["'ve", 'have'],
  ["'ll", 'will'],
  ["'m", 'am'],
  ["'d", 'would'],
  ["'s", "'s"],
]

/** Irregular negated stems: "won't" → "wo" + "n't", normalised to "will". */
const NEGATED_STEMS: Readonly<Record<string, string>> = { wo: 'will', ca: 'can', sha: 'shall', ai: 'is' }

/** Lower case, NFC, curly apostrophes and quotes straightened. */
export function normalizeToken(text: string): string {
  // Plain ASCII (most tokens) is already NFC and has no curly apostrophes.
  if (isAscii(text)) return text.replace(BACKTICK, "'").toLowerCase()
  return text.normalize('NFC').toLowerCase().replace(/[’‘`]/g, "'")
}

const BACKTICK = /`/g

/** True when every character is ASCII (code below 128). */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false
  return true
}

/**
 * Splits text into tokens.
 *
 * @example
 * tokenize('Love the new #BikeLane on Heol y Frenhines 🚲 https://t.co/x').map((t) => t.type)
 * // ['word', 'word', 'word', 'hashtag', 'word', 'word', 'word', 'word', 'emoji', 'url']
 */
export function tokenize(text: string, options: TokenizeOptions = {}): Token[] {
  // Analysing one text (language, sentiment, keywords, places) tokenises it several times: the
  // last few results are kept. The arrays are frozen, so a caller cannot change a shared one.
  const split = options.splitContractions === true
  for (let i = 0; i < MEMO_SIZE; i++) {
    const m = memo[i]
    if (m !== undefined && m.text === text && m.split === split) return m.tokens as Token[]
  }
  const tokens = Object.freeze(tokenizeUncached(text, split)) as Token[]
  memo[memoNext] = { text, split, tokens }
  memoNext = (memoNext + 1) % MEMO_SIZE
  return tokens
}

const MEMO_SIZE = 4
const memo: ({ text: string; split: boolean; tokens: readonly Token[] } | undefined)[] = new Array(MEMO_SIZE)
let memoNext = 0

function tokenizeUncached(text: string, splitContractions: boolean): Token[] {
  const out: Token[] = []
  const n = text.length
  let pos = 0
  while (pos < n) {
    const c = text.charCodeAt(pos)
    // White space never starts a token: skip it.
    if (c === 32 || (c >= 9 && c <= 13)) {
      pos++
      continue
    }
    // Most tokens are plain ASCII words followed by a space or simple punctuation, and for those
    // the expression's answer is known without running it (see `endsPlainWord`).
    if (isAsciiLetter(c)) {
      let j = pos + 1
      while (j < n && isAsciiLetter(text.charCodeAt(j))) j++
      if (endsPlainWord(text, j)) {
        const raw = text.slice(pos, j)
        if (!NOT_PLAIN_WORDS.has(raw)) {
          out.push({ text: raw, norm: raw.toLowerCase(), type: 'word', start: pos, end: j })
          pos = j
          continue
        }
      }
    }
    TOKEN_RE.lastIndex = pos
    const m = TOKEN_RE.exec(text)
    if (m === null) break
    let raw = m[0]
    const start = m.index
    let type: TokenType = 'punct'
    for (let g = 0; g < GROUP_TYPES.length; g++) {
      if (m[g + 1] !== undefined) {
        type = GROUP_TYPES[g]!
        break
      }
    }
    if (type === 'url') {
      // "see https://x.org/a." — the full stop ends the sentence, not the link.
      const trimmed = raw.replace(TRAILING_URL_PUNCT, '')
      if (trimmed.length < raw.length && trimmed.length > 0) raw = trimmed
    }
    pos = start + raw.length
    if (type === 'word' && splitContractions) {
      const parts = splitContraction(raw)
      if (parts) {
        let offset = start
        for (const [piece, norm] of parts) {
          out.push({ text: piece, norm, type: 'word', start: offset, end: offset + piece.length })
          offset += piece.length
        }
        continue
      }
    }
    const norm = type === 'url' || type === 'emoji' || type === 'emoticon' ? raw : normalizeToken(raw)
    out.push({ text: raw, norm, type, start, end: start + raw.length })
  }
  return out
}

function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90)
}

/**
 * Whether a run of ASCII letters ending at `j` is a whole word token whatever `TOKEN_RE` tries:
 * the text ends there, or goes on with white space, `,` `!` `?` `;` `)` `"`, or a full stop that
 * ends the text or comes before white space. None of these can continue a word (no letter, digit,
 * apostrophe or hyphen), a link (`.` then a letter, `:`), an e-mail address (`@`) or a number.
 */
function endsPlainWord(text: string, j: number): boolean {
  if (j >= text.length) return true
  const c = text.charCodeAt(j)
  if (c === 32 || (c >= 9 && c <= 13)) return true
  if (c === 44 || c === 33 || c === 63 || c === 59 || c === 41 || c === 34) return true
  if (c !== 46) return false
  if (j + 1 >= text.length) return true
  const d = text.charCodeAt(j + 1)
  return d === 32 || (d >= 9 && d <= 13)
}

/** Letter runs the expression reads otherwise: emoticons, and the starts of links. */
const NOT_PLAIN_WORDS: ReadonlySet<string> = new Set(['xD', 'XD', 'www', 'http', 'https'])

function splitContraction(word: string): Array<[string, string]> | null {
  const lower = normalizeToken(word)
  for (const [clitic, expansion] of CLITICS) {
    if (lower.length > clitic.length && lower.endsWith(clitic)) {
      const cut = word.length - clitic.length
      const stem = word.slice(0, cut)
      const stemNorm = lower.slice(0, cut)
      if (!/^\p{L}+$/u.test(stemNorm)) return null
      const stemWord = clitic === "n't" ? (NEGATED_STEMS[stemNorm] ?? stemNorm) : stemNorm
      return [
        [stem, stemWord],
        [word.slice(cut), expansion],
      ]
    }
  }
  return null
}

/**
 * Splits a hashtag into words at case changes and digits: "#SaveOurLibraries" → ["save",
 * "our", "libraries"]. An all-lower-case tag comes back as one word.
 */
export function splitHashtag(tag: string): string[] {
  // Language, sentiment and keywords each split the same tags: remember recent ones.
  const cached = hashtagParts.get(tag)
  if (cached !== undefined) return cached.slice()
  const parts = splitHashtagUncached(tag)
  if (hashtagParts.size >= HASHTAG_CACHE) hashtagParts.clear()
  hashtagParts.set(tag, parts)
  return parts.slice()
}

const HASHTAG_CACHE = 10_000
const hashtagParts = new Map<string, string[]>()

function splitHashtagUncached(tag: string): string[] {
  const body = tag.replace(/^[#＃]/, '')
  const parts = body.match(/\p{Lu}{2,}(?=\p{Lu}\p{Ll}|\P{L}|$)|\p{Lu}?\p{Ll}+|\p{Lu}+|\p{N}+/gu)
  return (parts ?? [body]).map((p) => normalizeToken(p))
}

/** "soooo" → "soo", "!!!!!" → "!!": any character repeated three or more times is cut to two. */
export function squeezeRepeats(text: string): string {
  return text.replace(/(.)\1{2,}/gu, '$1$1')
}

/** True when a word has a letter repeated three or more times ("yesss", "nooooo"). */
export function isElongated(word: string): boolean {
  return /(\p{L})\1{2,}/u.test(word)
}

/**
 * Word forms only (words, plus hashtag bodies), normalised. Handy for keyword and
 * similarity code that does not care about links or emoji.
 */
export function words(text: string): string[] {
  const out: string[] = []
  for (const t of tokenize(text)) {
    if (t.type === 'word') out.push(t.norm)
    else if (t.type === 'hashtag') out.push(...splitHashtag(t.text))
  }
  return out
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  '#39': "'",
}

/**
 * Decodes the HTML entities found in social text (`&amp;`, `&gt;`, `&#8217;`, `&#x1F600;`),
 * so "fish &amp; chips" is read as "fish & chips".
 */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (whole, name: string) => {
    const lower = name.toLowerCase()
    if (lower.startsWith('#x')) return safeCodePoint(Number.parseInt(lower.slice(2), 16), whole)
    if (lower.startsWith('#')) return safeCodePoint(Number.parseInt(lower.slice(1), 10), whole)
    return ENTITIES[lower] ?? whole
  })
}

function safeCodePoint(code: number, fallback: string): string {
  return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback
}

const S_STEM_KEEP = new Set([
  'is',
  'was',
  'has',
  'does',
  'this',
  'his',
  'bus',
  'gas',
  'news',
  'always',
  'its',
  'us',
  'yes',
  'less',
  'across',
  'plus',
  'thus',
  'series',
  'species',
  'chaos',
  'lens',
  'ps',
  'nhs',
  'goes',
])

/**
 * A light English plural stemmer (after Harman's "S" stemmer): "potholes" → "pothole",
 * "libraries" → "library", "buses" → "bus". Conservative on purpose: the stem is also what
 * users see in keyword lists, so it must stay a real word. Other languages pass through.
 */
export function stem(word: string): string {
  const w = word.toLowerCase()
  if (w.length <= 3 || S_STEM_KEEP.has(w) || w.includes("'")) return w
  if (w.endsWith('ies')) return w.length <= 4 ? w.slice(0, -1) : w.slice(0, -3) + 'y'
  if (/(?:ss|us|is|ous)$/.test(w)) return w
  if (/(?:sses|xes|zzes|ches|shes)$/.test(w)) return w.slice(0, -2)
  if (w.endsWith('buses')) return w.slice(0, -2)
  if (w.endsWith('es') && !/(?:ae|ee|ie|oe|ue)s$/.test(w) && /[^aeiou]es$/.test(w)) {
    // "houses" → "house", "bikes" → "bike": drop only the s.
    return w.slice(0, -1)
  }
  if (w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1)
  return w
}
