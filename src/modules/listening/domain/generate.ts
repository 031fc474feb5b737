/**
 * Generated, realistic posts for the demo, the spike test and the benchmark: written here from
 * templates (no copied data), seeded so the same call gives the same posts.
 */

import { seededRandom } from '../../../platform/random.js'
import type { RawPost } from './post.js'

/** Mulberry32: a small seeded generator. */
export const seeded = seededRandom

export const DEMO_PLACES = [
  'Splott',
  'Roath',
  'Canton',
  'Grangetown',
  'Cathays',
  'Llandaff',
  'Adamsdown',
  'Butetown',
  'Rhiwbina',
  'Whitchurch',
]

export interface Topic {
  readonly key: string
  readonly templates: readonly string[]
  readonly hashtags: readonly string[]
}

/** Everyday topics people post about a council; {place}, {street}, {n} and {day} are filled in. */
export const TOPICS: readonly Topic[] = [
  {
    key: 'bins',
    hashtags: ['bins', 'BinDay', 'recycling'],
    templates: [
      'Bins not collected on {street} again, third week running in {place} 😡',
      'Our recycling was missed this {day}. Anyone else in {place}?',
      'Green bags still on the pavement in {place}, the bin men skipped the whole street',
      'Thanks to the crew who came back for our bins in {place} today, brilliant service 👍',
      'New bin collection calendar for {place} is out, collections move to {day}',
      'Why has the food waste caddy not been emptied in {place}? Smells awful',
      'Missed bin reported online, got a reply within an hour. Impressed!',
      'Rubbish piling up by the shops in {place}, bins overflowing since {day}',
    ],
  },
  {
    key: 'potholes',
    hashtags: ['potholes', 'roads'],
    templates: [
      'Another pothole on {street} in {place}, nearly came off my bike',
      'The potholes on {street} are getting dangerous, two cars with flat tyres this week',
      'Pothole on {street} finally fixed, thank you to the highways team',
      'Reported a pothole in {place} {n} weeks ago and nothing has happened',
      'Road resurfacing on {street} starts {day}, expect delays around {place}',
      'Cyclists beware: huge pothole by the lights on {street} 🚲',
    ],
  },
  {
    key: 'clean-air-zone',
    hashtags: ['CleanAirZone', 'AirQuality'],
    templates: [
      'Clean Air Zone charges start next month, worried about the cost for small businesses in {place}',
      'Air quality on {street} is terrible at rush hour, the Clean Air Zone cannot come soon enough',
      'Good to see the Clean Air Zone consultation extended, lots of questions from {place}',
      'The Clean Air Zone map leaves out {place}, which makes no sense',
      'Drove through the Clean Air Zone today, the signs are confusing',
      'Kids walking to school along {street} breathe the worst air in the city',
    ],
  },
  {
    key: 'libraries',
    hashtags: ['libraries', 'SaveOurLibraries'],
    templates: [
      'Lovely afternoon at {place} library, the new children’s corner is wonderful 📚',
      'Please do not cut the opening hours at {place} library',
      '{place} library hosting a free coding club on {day}',
      'The library in {place} is a lifeline for older people, keep it open',
    ],
  },
  {
    key: 'buses',
    hashtags: ['buses'],
    templates: [
      'Bus {n} late again this morning in {place}, missed my train',
      'New bus shelter on {street} looks great',
      'Timetable changes for the {n} bus through {place} from {day}',
    ],
  },
  {
    key: 'welsh',
    hashtags: ['Caerdydd'],
    templates: [
      'Mae’r biniau heb eu casglu eto yn {place}, siomedig iawn',
      'Diolch i’r tîm am drwsio’r ffordd yn {place}, gwych!',
      'Bydd y llyfrgell yn {place} ar agor ddydd Sadwrn',
    ],
  },
]

const STREETS = [
  'Clifton Street',
  'City Road',
  'Cowbridge Road East',
  'Queen Street',
  'Albany Road',
  'Penarth Road',
]
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const AUTHORS = [
  'splottmum',
  'roath_runner',
  'cantonchris',
  'cathays_student',
  'llandaff_larry',
  'busrider',
  'cyclecardiff',
  'greenwatch',
  'localnews',
  'cerys_c',
  'dai_jones',
  'airwatcher',
]

export interface GenerateOptions {
  readonly count: number
  readonly from: Date
  readonly to: Date
  readonly seed?: number
  /** Share of posts per topic key (default equal). */
  readonly topics?: readonly string[]
  readonly idPrefix?: string
  /** Text of the posts instead of HTML (default: Mastodon-style HTML for half of them). */
  readonly plainText?: boolean
}

/** Posts spread uniformly in time over [from, to), with a daily rhythm (busier by day). */
export function generatePosts(options: GenerateOptions): RawPost[] {
  const random = seeded(options.seed ?? 1)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!
  const topics = options.topics ? TOPICS.filter((t) => options.topics!.includes(t.key)) : TOPICS
  const span = options.to.getTime() - options.from.getTime()
  const out: RawPost[] = []
  for (let i = 0; i < options.count; i++) {
    let t: number
    // Rejection sampling: fewer posts at night.
    for (;;) {
      t = options.from.getTime() + random() * span
      const hour = new Date(t).getUTCHours()
      const weight = hour < 6 ? 0.2 : hour < 9 ? 0.7 : hour < 22 ? 1 : 0.5
      if (random() < weight) break
    }
    const topic = pick(topics)
    const place = pick(DEMO_PLACES)
    const text = pick(topic.templates)
      .replace('{place}', place)
      .replace('{street}', pick(STREETS))
      .replace('{day}', pick(DAYS))
      .replace('{n}', String(1 + Math.floor(random() * 9)))
    const tag = random() < 0.5 ? pick(topic.hashtags) : null
    const author = pick(AUTHORS)
    const id = `${options.idPrefix ?? 'gen'}-${options.seed ?? 1}-${i}`
    const body = tag ? `${text} #${tag}` : text
    const html =
      !options.plainText && i % 2 === 0
        ? `<p>${body
            .replace(/&/g, '&amp;')
            .replace(/</g, '&lt;')
            .replace(
              /#(\w+)/g,
              '<a href="https://mastodon.example/tags/$1" class="mention hashtag" rel="tag">#<span>$1</span></a>',
            )}</p>`
        : null
    out.push({
      externalId: id,
      url: `https://mastodon.example/@${author}/${i}`,
      author: `${author}@mastodon.example`,
      authorName: author,
      ...(html ? { html } : { text: body }),
      publishedAt: new Date(t).toISOString(),
      ...(tag ? { hashtags: [tag] } : {}),
    })
  }
  return out.sort((a, b) => a.publishedAt.localeCompare(b.publishedAt))
}

/** A burst of posts in one hour about something new (the spike test and the demo plant one). */
export function spikePosts(options: {
  count: number
  hour: Date
  seed?: number
  idPrefix?: string
}): RawPost[] {
  const random = seeded(options.seed ?? 3)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!
  const templates = [
    'Flooding on {street} has washed the bins down the road in {place}',
    'Bins floating down {street} after the flooding, {place} is a mess',
    'Flooding in {place}: recycling boxes everywhere, who clears this up?',
    'The flooding knocked over every bin on {street} in {place} 😡 #bins',
    'Storm drains blocked and flooding on {street}, rubbish from the bins all over {place}',
  ]
  const out: RawPost[] = []
  for (let i = 0; i < options.count; i++) {
    const author = `resident${Math.floor(random() * 500)}`
    out.push({
      externalId: `${options.idPrefix ?? 'spike'}-${options.seed ?? 3}-${i}`,
      url: `https://mastodon.example/@${author}/s${i}`,
      author: `${author}@mastodon.example`,
      text: pick(templates).replace('{street}', pick(STREETS)).replace('{place}', pick(DEMO_PLACES)),
      publishedAt: new Date(options.hour.getTime() + Math.floor(random() * 3_600_000)).toISOString(),
    })
  }
  return out
}
