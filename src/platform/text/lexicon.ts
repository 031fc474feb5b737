/**
 * Small hand-written polarity lists: emoji, emoticons, and common English and Welsh opinion
 * words (including the words people use about public services). They are written for this
 * project, not copied from a published lexicon.
 *
 * The English sentiment model does not trust these blindly: it gets their counts as features
 * and learns how much they matter. The Welsh fallback scorer uses them directly.
 */

/** Emoji are compared after removing variation selectors and skin-tone modifiers. */
const POSITIVE_EMOJI =
  '😀 😃 😄 😁 😆 😊 🙂 😍 🥰 😘 😗 😙 😚 ☺ 😋 😎 🤩 🥳 👍 👏 🙌 💪 🎉 🎊 ❤ 💕 💖 💗 💙 💚 💛 💜 🧡 🤍 💯 ✨ 🌟 ⭐ 😂 🤣 😅 😇 😻 🌈 ☀ 🤗 👌 🥂 🍾 ✅ 🏆 🥇 💐 🌹 🌸 😺 😸 ♥ 💓 💞 💝 🎈 🎁 🙏 😌 🤝 💃 🕺 🔥'

const NEGATIVE_EMOJI =
  '😞 😔 😟 😕 🙁 ☹ 😣 😖 😫 😩 😢 😭 😤 😠 😡 🤬 😱 😨 😰 😥 😓 🤮 🤢 💔 👎 😒 🙄 😑 😬 🤦 😷 💩 🚫 ❌ 😪 😿 😾 🖕 😦 😧 ⚠ 🤯 😵 🥺 🤕 🤒 😮‍💨'

export const POSITIVE_EMOTICONS: ReadonlySet<string> = new Set([
  ':)',
  ':-)',
  ':]',
  ':-]',
  ':D',
  ':-D',
  ';)',
  ';-)',
  ';D',
  ';-D',
  ':P',
  ':-P',
  ':p',
  ':-p',
  ';P',
  ';p',
  '=)',
  '=D',
  '(:',
  '<3',
  '^_^',
  '^^',
  'xD',
  'XD',
  ":')",
  ":'-)",
  ':*',
  ':-*',
  '8-)',
  'B-)',
])

export const NEGATIVE_EMOTICONS: ReadonlySet<string> = new Set([
  ':(',
  ':-(',
  ':[',
  ':-[',
  ":'(",
  ":'-(",
  '=(',
  '):',
  '</3',
  '>:(',
  '>:-(',
  'D:',
  ':/',
  ':-/',
  ':\\',
  ':-\\',
  ':|',
  ':-|',
  '-_-',
  ':S',
  ':-S',
  ':s',
  ':-s',
  '=/',
])

/** Removes VS16 and skin-tone modifiers so "👍🏽" and "👍" look the same. */
export function baseEmoji(emoji: string): string {
  return emoji.replace(/[\uFE0E\uFE0F]|\p{Emoji_Modifier}/gu, '')
}

const POS_EMOJI_SET = new Set(POSITIVE_EMOJI.split(' ').map(baseEmoji))
const NEG_EMOJI_SET = new Set(NEGATIVE_EMOJI.split(' ').map(baseEmoji))

/** +1, -1 or 0 for an emoji or emoticon token. */
export function symbolPolarity(symbol: string): -1 | 0 | 1 {
  if (POSITIVE_EMOTICONS.has(symbol)) return 1
  if (NEGATIVE_EMOTICONS.has(symbol)) return -1
  const base = baseEmoji(symbol)
  if (POS_EMOJI_SET.has(base)) return 1
  if (NEG_EMOJI_SET.has(base)) return -1
  return 0
}

const EN_POSITIVE = `good great excellent amazing awesome brilliant fantastic wonderful love loved loves loving lovely
best better happy happier glad pleased delighted thanks thank thankful grateful excited exciting enjoy enjoyed
enjoying fun beautiful nice cool perfect win wins won winner winning congrats congratulations proud helpful welcome
welcoming improve improved improvement improvements success successful safe safer clean cleaner supportive recommend
recommended impressed impressive superb outstanding fab fabulous incredible favourite favorite smile smiling laugh
laughing yay hooray brill cheers appreciate appreciated kind friendly efficient resolved fixed sorted hope hopeful
hopefully glorious stunning gorgeous sweet fair generous inspiring inspired inspirational terrific marvellous marvelous
pleasure pleasant easy positive celebrate celebrating celebration wow yes lucky blessed joy thrilled ecstatic epic
legend legendary lol haha hahaha`

const EN_NEGATIVE = `bad worse worst terrible awful horrible hate hated hates hating sad angry annoyed annoying disappointed
disappointing disappointment disgusting disgrace disgraceful shameful shame sick tired poor fail fails failed failing
failure broken dangerous unsafe dirty filthy rubbish useless pathetic ridiculous shambles mess messy problem problems
complaint complaints complain complaining wrong sorry unfortunately scared afraid fear worried worry worrying concern
concerned stupid idiot idiots crap shit damn sucks suck sucked boring ugly lose losing lost delay delayed delays
cancelled canceled rude unacceptable outrageous appalling dreadful nightmare ignored neglected crime accident died death
dead kill killed killing war attack attacked hurt hurts pain painful cry crying upset furious fuming gutted hell
ashamed miserable depressing depressed lonely unfair corrupt lies liar lying scandal chaos disaster disastrous abuse
abusive threat threatening noisy smelly overgrown vandalism vandalised vandalized litter flytipping fly-tipping
dump dumped blocked flooding flooded closure closed cuts shocking shocked hell disgusted unhappy waste wasted
expensive overpriced pointless hopeless incompetent unreliable slow`

const CY_POSITIVE = `da dda gwych wych ardderchog diolch ddiolch hapus llawen bendigedig fendigedig hyfryd grêt gret
ffantastig caru garu hoffi hoffwn llongyfarchiadau croeso braf gorau gwell well prydferth hwyl balch falch cefnogi
gefnogi llwyddiant llwyddiannus lwyddiannus arbennig anhygoel campus rhagorol ragorol gwerthfawrogi diogel glân lân
teg deg cyfeillgar gyfeillgar defnyddiol ddefnyddiol gobaith gobeithio`

const CY_NEGATIVE = `drwg ddrwg gwael wael ofnadwy siomedig siom trist casáu casau cas blin dig gwaeth waeth gwaethaf
waethaf gwarthus warthus problem problemau peryglus beryglus budr brwnt annheg sori anffodus methu methiant cwyn
cwyno gwyno pryder pryderus poeni twp hurt annerbyniol damwain llygredig gwastraff wastraff drud araf sbwriel
difrodi dinistrio anniogel llifogydd`

function wordSet(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter((w) => w.length > 0))
}

export const ENGLISH_POSITIVE_WORDS = wordSet(EN_POSITIVE)
export const ENGLISH_NEGATIVE_WORDS = wordSet(EN_NEGATIVE)
export const WELSH_POSITIVE_WORDS = wordSet(CY_POSITIVE)
export const WELSH_NEGATIVE_WORDS = wordSet(CY_NEGATIVE)

/** English negation cues; a cue opens a scope that runs to the next clause punctuation. */
export const ENGLISH_NEGATORS: ReadonlySet<string> = new Set([
  'not',
  'no',
  'never',
  'nothing',
  'nobody',
  'none',
  'nowhere',
  'neither',
  'nor',
  'without',
  'cannot',
  'cant',
  'dont',
  'doesnt',
  'didnt',
  'isnt',
  'wasnt',
  'arent',
  'werent',
  'wont',
  'wouldnt',
  'shouldnt',
  'couldnt',
  'havent',
  'hasnt',
  'hadnt',
  'aint',
  'lack',
  'lacks',
  'lacking',
])

/** Welsh negation cues ("dyw e ddim yn dda", "nid yw'n deg", "heb ei drwsio"). */
export const WELSH_NEGATORS: ReadonlySet<string> = new Set([
  'ddim',
  'dim',
  'nid',
  'nad',
  'na',
  'nac',
  'heb',
  'byth',
])

/** True for "not", "never", "don't", "can't", "dont" and similar. */
export function isEnglishNegator(word: string): boolean {
  return ENGLISH_NEGATORS.has(word) || word.endsWith("n't")
}
