/**
 * Demo records for an empty install (`TOWNSQUARE_DEMO=1`): a county community budget in its
 * voting phase with two district budgets (approval and cost-limited ballots, feasible and
 * ruled-out projects, generated online and paper ballots), last year's budget in delivery with
 * results and milestones, and a youth budget taking proposals. Generated with a fixed seed.
 */

import { recordAudit } from '../../platform/audit/audit.js'
import { systemActor } from '../../platform/auth/actor.js'
import type { DbOrTrx } from '../../platform/db/database.js'
import { seededRandom } from '../../platform/random.js'
import type { Services } from '../../platform/services.js'
import {
  approvalStyle,
  type Ballot,
  type BallotStyle,
  costLimitedStyle,
  isValidBallot,
  rankedStyle,
} from './domain/ballots.js'
import type { ProcessPhase, Schedule } from './domain/phases.js'
import type { ProjectState } from './domain/projects.js'
import { storeCount } from './operations.js'
import { castBallot } from './store/ballot-store.js'
import { addMilestone } from './store/delivery-store.js'
import { findBudget, insertBudget, insertProcess, listProcesses } from './store/process-store.js'
import { insertProject, ruleId } from './store/project-store.js'

const DAY = 86_400_000

/** mulberry32: a small seeded generator, so the demo is the same every time. */
const random = seededRandom

function schedule(now: Date, offsetsInDays: readonly number[]): Schedule {
  const at = (d: number) => new Date(now.getTime() + d * DAY).toISOString()
  const [proposing, reviewing, voting, counting, results, delivery] = offsetsInDays.map(at) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ]
  return { proposing, reviewing, voting, counting, results, delivery }
}

interface DemoProject {
  en: string
  cy: string
  aboutEn: string
  aboutCy: string
  place: string
  pounds: number
  popularity: number
  state?: ProjectState
  reasonEn?: string
  reasonCy?: string
}

const NORTH: DemoProject[] = [
  {
    en: 'Play area refurbishment at Parc y Dre',
    cy: 'Adnewyddu’r ardal chwarae ym Mharc y Dre',
    aboutEn:
      'New swings, a nest swing and safety surfacing for the under-12s play area, which has been partly closed since last winter.',
    aboutCy:
      'Siglenni newydd, siglen nyth ac arwyneb diogelwch i ardal chwarae’r plant dan 12, sydd wedi bod ar gau yn rhannol ers y gaeaf diwethaf.',
    place: 'Parc y Dre',
    pounds: 18_000,
    popularity: 9,
  },
  {
    en: 'Benches and planters on the High Street',
    cy: 'Meinciau a phlanwyr ar y Stryd Fawr',
    aboutEn:
      'Eight benches with arm rests and planters kept by the town’s gardening club, so older people can rest on the way to the shops.',
    aboutCy:
      'Wyth mainc â breichiau a phlanwyr y bydd clwb garddio’r dref yn gofalu amdanynt, fel y gall pobl hŷn orffwys ar y ffordd i’r siopau.',
    place: 'Stryd Fawr',
    pounds: 6_500,
    popularity: 6,
  },
  {
    en: 'Safe crossing near Ysgol Gynradd Aberglan',
    cy: 'Croesfan ddiogel ger Ysgol Gynradd Aberglan',
    aboutEn: 'A raised zebra crossing with lights on Heol y Bryn, where 300 pupils cross every morning.',
    aboutCy:
      'Croesfan sebra wedi’i chodi gyda goleuadau ar Heol y Bryn, lle mae 300 o ddisgyblion yn croesi bob bore.',
    place: 'Heol y Bryn',
    pounds: 24_000,
    popularity: 10,
  },
  {
    en: 'Community orchard on the old allotments',
    cy: 'Perllan gymunedol ar yr hen randiroedd',
    aboutEn:
      'Forty fruit trees of old Welsh varieties, planted and looked after by volunteers and the primary school.',
    aboutCy:
      'Deugain o goed ffrwythau o hen fathau Cymreig, wedi’u plannu a’u cynnal gan wirfoddolwyr a’r ysgol gynradd.',
    place: 'Lôn yr Eglwys',
    pounds: 4_800,
    popularity: 5,
  },
  {
    en: 'Repair café tools and workshop',
    cy: 'Offer a gweithdy caffi trwsio',
    aboutEn:
      'Tools, test equipment and a storage container for the monthly repair café at the community centre.',
    aboutCy: 'Offer, cyfarpar profi a chynhwysydd storio i’r caffi trwsio misol yn y ganolfan gymunedol.',
    place: 'Canolfan Gymunedol',
    pounds: 3_200,
    popularity: 3,
  },
  {
    en: 'Defibrillators for three village halls',
    cy: 'Diffibrilwyr i dair neuadd bentref',
    aboutEn:
      'Public-access defibrillators in heated cabinets at Llanfair, Penrhiw and Tŷ Gwyn halls, with training evenings.',
    aboutCy:
      'Diffibrilwyr mynediad cyhoeddus mewn cypyrddau wedi’u gwresogi yn neuaddau Llanfair, Penrhiw a Thŷ Gwyn, gyda nosweithiau hyfforddi.',
    place: 'Llanfair, Penrhiw, Tŷ Gwyn',
    pounds: 5_400,
    popularity: 8,
  },
  {
    en: 'LED lighting on the riverside path',
    cy: 'Goleuadau LED ar lwybr yr afon',
    aboutEn:
      'Low, bat-friendly lights along the 900 metres of path between the bridge and the leisure centre.',
    aboutCy:
      'Goleuadau isel sy’n addas i ystlumod ar hyd y 900 metr o lwybr rhwng y bont a’r ganolfan hamdden.',
    place: 'Llwybr yr afon',
    pounds: 21_000,
    popularity: 6,
  },
  {
    en: 'Skatepark extension',
    cy: 'Estyniad i’r parc sglefrio',
    aboutEn: 'A bowl and a beginners’ area next to the existing skatepark.',
    aboutCy: 'Powlen ac ardal i ddechreuwyr wrth ymyl y parc sglefrio presennol.',
    place: 'Cae’r Ffair',
    pounds: 38_000,
    popularity: 0,
    state: 'not-feasible',
    reasonEn:
      'The land next to the skatepark belongs to a private company, which has not agreed to the extension.',
    reasonCy:
      'Mae’r tir wrth ymyl y parc sglefrio yn eiddo i gwmni preifat, ac nid yw wedi cytuno i’r estyniad.',
  },
]

const SOUTH: DemoProject[] = [
  {
    en: 'Covered cycle racks at the station',
    cy: 'Raciau beiciau dan do yn yr orsaf',
    aboutEn: 'Thirty covered, lit cycle spaces at Glanaber station.',
    aboutCy: 'Deg ar hugain o lefydd beiciau dan do a golau yng ngorsaf Glanaber.',
    place: 'Gorsaf Glanaber',
    pounds: 7_200,
    popularity: 5,
  },
  {
    en: 'Wildflower verges',
    cy: 'Ymylon blodau gwyllt',
    aboutEn: 'Sowing and a new mowing plan for two kilometres of verges on the coast road.',
    aboutCy: 'Hau a chynllun torri gwair newydd i ddau gilometr o ymylon ar ffordd yr arfordir.',
    place: 'Ffordd yr arfordir',
    pounds: 3_500,
    popularity: 6,
  },
  {
    en: 'Youth club minibus',
    cy: 'Bws mini i’r clwb ieuenctid',
    aboutEn:
      'A second-hand accessible minibus so the youth club can take young people from the outlying villages.',
    aboutCy: 'Bws mini ail-law hygyrch fel y gall y clwb ieuenctid gludo pobl ifanc o’r pentrefi cyfagos.',
    place: 'Clwb Ieuenctid y De',
    pounds: 32_000,
    popularity: 7,
  },
  {
    en: 'Footpath resurfacing to Traeth Bach',
    cy: 'Ail-wynebu’r llwybr troed i Draeth Bach',
    aboutEn: 'Resurfacing the eroded path to the beach so wheelchairs and pushchairs can use it.',
    aboutCy:
      'Ail-wynebu’r llwybr sydd wedi erydu i’r traeth fel y gall cadeiriau olwyn a chadeiriau gwthio ei ddefnyddio.',
    place: 'Traeth Bach',
    pounds: 16_500,
    popularity: 8,
  },
  {
    en: 'Library study space',
    cy: 'Man astudio yn y llyfrgell',
    aboutEn: 'Twelve desks with power, and longer opening during exams.',
    aboutCy: 'Deuddeg desg â phŵer, ac oriau agor hirach adeg arholiadau.',
    place: 'Llyfrgell y De',
    pounds: 9_800,
    popularity: 4,
  },
  {
    en: 'Free swimming lessons for 8–11 year-olds',
    cy: 'Gwersi nofio am ddim i blant 8–11 oed',
    aboutEn: 'Two terms of lessons for children who cannot yet swim 25 metres.',
    aboutCy: 'Dau dymor o wersi i blant sydd ddim eto’n gallu nofio 25 metr.',
    place: 'Pwll Nofio’r Harbwr',
    pounds: 12_000,
    popularity: 7,
  },
  {
    en: 'Reopen the public toilets at the harbour',
    cy: 'Ailagor y toiledau cyhoeddus yn yr harbwr',
    aboutEn: 'Repair and reopen the harbour toilets, closed since 2021.',
    aboutCy: 'Trwsio ac ailagor toiledau’r harbwr, sydd ar gau ers 2021.',
    place: 'Yr Harbwr',
    pounds: 40_000,
    popularity: 0,
    state: 'not-feasible',
    reasonEn:
      'The building needs structural repairs costing far more than this budget. The council will consider it in its capital programme.',
    reasonCy:
      'Mae angen atgyweiriadau strwythurol ar yr adeilad sy’n costio llawer mwy na’r gyllideb hon. Bydd y cyngor yn ei ystyried yn ei raglen gyfalaf.',
  },
]

const LAST_YEAR: DemoProject[] = [
  {
    en: 'Bus shelter with seating at Penrhiw',
    cy: 'Cysgodfan bws â seddi ym Mhenrhiw',
    aboutEn: 'A shelter with seats and real-time information at the Penrhiw stop.',
    aboutCy: 'Cysgodfan â seddi a gwybodaeth amser real yn arhosfan Penrhiw.',
    place: 'Penrhiw',
    pounds: 14_000,
    popularity: 8,
  },
  {
    en: 'Dementia-friendly garden',
    cy: 'Gardd sy’n deall dementia',
    aboutEn: 'A sensory garden at the day centre.',
    aboutCy: 'Gardd synhwyraidd yn y ganolfan ddydd.',
    place: 'Canolfan Ddydd',
    pounds: 22_000,
    popularity: 9,
  },
  {
    en: 'Beach wheelchairs',
    cy: 'Cadeiriau olwyn traeth',
    aboutEn: 'Two beach wheelchairs to borrow free of charge.',
    aboutCy: 'Dwy gadair olwyn traeth i’w benthyg am ddim.',
    place: 'Traeth Mawr',
    pounds: 9_000,
    popularity: 7,
  },
  {
    en: 'Litter-picking kits for schools',
    cy: 'Pecynnau casglu sbwriel i ysgolion',
    aboutEn: 'Kits and bins for ten schools.',
    aboutCy: 'Pecynnau a biniau i ddeg ysgol.',
    place: 'Ysgolion y sir',
    pounds: 4_000,
    popularity: 4,
  },
  {
    en: 'Mural on the old creamery',
    cy: 'Murlun ar yr hen hufenfa',
    aboutEn: 'A mural designed with local young people.',
    aboutCy: 'Murlun wedi’i gynllunio gyda phobl ifanc leol.',
    place: 'Yr Hen Hufenfa',
    pounds: 12_000,
    popularity: 5,
  },
  {
    en: 'Solar panels for the community centre',
    cy: 'Paneli solar i’r ganolfan gymunedol',
    aboutEn: 'Panels and a battery to cut the centre’s bills.',
    aboutCy: 'Paneli a batri i leihau biliau’r ganolfan.',
    place: 'Canolfan Gymunedol',
    pounds: 35_000,
    popularity: 6,
  },
]

const YOUTH: DemoProject[] = [
  {
    en: 'Esports club equipment',
    cy: 'Offer clwb e-chwaraeon',
    aboutEn: 'Six gaming PCs for a supervised club at the library.',
    aboutCy: 'Chwe chyfrifiadur gemau i glwb dan oruchwyliaeth yn y llyfrgell.',
    place: 'Llyfrgell',
    pounds: 6_000,
    popularity: 0,
    state: 'proposed',
  },
  {
    en: 'Outdoor gym by the promenade',
    cy: 'Campfa awyr agored ger y prom',
    aboutEn: 'Free outdoor gym equipment.',
    aboutCy: 'Offer campfa awyr agored am ddim.',
    place: 'Y Prom',
    pounds: 9_500,
    popularity: 0,
    state: 'proposed',
  },
  {
    en: 'Music studio sessions',
    cy: 'Sesiynau stiwdio gerddoriaeth',
    aboutEn: 'Weekly recording sessions with a local producer.',
    aboutCy: 'Sesiynau recordio wythnosol gyda chynhyrchydd lleol.',
    place: 'Canolfan y Celfyddydau',
    pounds: 3_000,
    popularity: 0,
    state: 'proposed',
  },
  {
    en: 'Safe space drop-in on Friday nights',
    cy: 'Lle diogel galw heibio ar nos Wener',
    aboutEn: 'Youth workers and a warm space on Friday evenings.',
    aboutCy: 'Gweithwyr ieuenctid a lle cynnes ar nos Wener.',
    place: 'Clwb Ieuenctid',
    pounds: 4_500,
    popularity: 0,
    state: 'proposed',
  },
]

async function addProjects(
  db: DbOrTrx,
  budgetId: number,
  projects: readonly DemoProject[],
  now: Date,
): Promise<{ id: string; cost: number; popularity: number }[]> {
  const out: { id: string; cost: number; popularity: number }[] = []
  for (const p of projects) {
    const state = p.state ?? 'feasible'
    const id = await insertProject(
      db,
      {
        budgetId,
        titleEn: p.en,
        titleCy: p.cy,
        descriptionEn: p.aboutEn,
        descriptionCy: p.aboutCy,
        location: p.place,
        estimatedCost: p.pounds * 100,
        finalCost: state === 'feasible' ? Math.round(p.pounds * 1.04) * 100 : null,
        status: state,
        reasonEn: p.reasonEn ?? '',
        reasonCy: p.reasonCy ?? '',
        source: 'demo',
      },
      now,
    )
    if (state === 'feasible')
      out.push({ id: ruleId({ id }), cost: Math.round(p.pounds * 1.04) * 100, popularity: p.popularity })
  }
  return out
}

/** A voter's choices: projects in an order weighted by popularity, added while the style allows. */
function generateBallot(
  style: BallotStyle,
  projects: readonly { id: string; cost: number; popularity: number }[],
  rnd: () => number,
): Ballot | null {
  const order = projects
    .map((p) => ({ p, key: -Math.log(rnd()) / Math.max(p.popularity, 0.5) }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.p)
  let ballot: Ballot
  switch (style.kind) {
    case 'approval': {
      const n = 1 + Math.floor(rnd() * (style.maxProjects ?? 3))
      ballot = { kind: 'approval', projects: order.slice(0, n).map((p) => p.id) }
      break
    }
    case 'cost-limited': {
      const chosen: string[] = []
      let total = 0
      for (const p of order) {
        if (total + p.cost <= style.budget && (chosen.length < 2 || rnd() < 0.7)) {
          chosen.push(p.id)
          total += p.cost
        }
      }
      ballot = { kind: 'cost-limited', projects: chosen }
      break
    }
    case 'ranked':
      ballot = { kind: 'ranked', ranking: order.slice(0, style.maxRanks).map((p) => p.id) }
      break
    case 'cumulative':
      return null
  }
  return isValidBallot(style, ballot, projects) ? ballot : null
}

async function addBallots(
  db: DbOrTrx,
  budgetId: number,
  style: BallotStyle,
  projects: readonly { id: string; cost: number; popularity: number }[],
  count: number,
  paperShare: number,
  rnd: () => number,
  now: Date,
  castAround: Date,
): Promise<number> {
  let cast = 0
  for (let i = 0; cast < count && i < count * 3; i++) {
    const ballot = generateBallot(style, projects, rnd)
    if (!ballot) continue
    const paper = rnd() < paperShare
    const at = new Date(castAround.getTime() + Math.floor(rnd() * 4 * DAY))
    await castBallot(
      db,
      {
        budgetId,
        voterKey: paper ? `paper:DEMO-${budgetId}-${i}` : `demo:${budgetId}-${i}`,
        channel: paper ? 'paper' : 'online',
        ballot,
        assurance: paper ? 'none' : 'email-verified',
        actor: systemActor('demo'),
      },
      at < now ? at : now,
    )
    cast++
  }
  return cast
}

export async function seedBudgetsDemo(services: Services, now: Date): Promise<void> {
  const { db } = services
  if ((await listProcesses(db)).length > 0) return
  const rnd = random(2026)
  const actor = systemActor('demo')
  await db.transaction().execute(async (trx) => {
    // This year's community budget, in its voting phase.
    const current = await insertProcess(
      trx,
      {
        titleEn: 'Glanaber Community Budget 2026–27',
        titleCy: 'Cyllideb Gymunedol Glanaber 2026–27',
        descriptionEn:
          'Decide how £105,000 is spent on small projects in your part of the county. Residents proposed projects in the spring; council officers checked that each one can be delivered and what it will cost.\n\nVote for the projects in your district. You can change your vote until voting closes.',
        descriptionCy:
          'Penderfynwch sut y caiff £105,000 ei wario ar brosiectau bach yn eich rhan chi o’r sir. Cynigiodd trigolion brosiectau yn y gwanwyn; gwiriodd swyddogion y cyngor fod modd cyflawni pob un a faint y bydd yn ei gostio.\n\nPleidleisiwch dros y prosiectau yn eich ardal. Gallwch newid eich pleidlais nes i’r bleidlais gau.',
        phase: 'voting',
        schedule: schedule(now, [-60, -26, -5, 16, 23, 37]),
        source: 'demo',
      },
      now,
    )
    const northStyle = approvalStyle({ minProjects: 1, maxProjects: 5 })
    const north = await insertBudget(
      trx,
      current,
      {
        titleEn: 'Aberglan North',
        titleCy: 'Gogledd Aberglan',
        descriptionEn: 'The town of Aberglan north of the river, and the villages of Llanfair and Penrhiw.',
        descriptionCy: 'Tref Aberglan i’r gogledd o’r afon, a phentrefi Llanfair a Phenrhiw.',
        amount: 6_000_000,
        currency: 'GBP',
        area: ['SA43', 'SA44'],
        voterRule: 'residents',
        style: northStyle,
        rule: 'equal-shares/add1',
      },
      now,
    )
    const southStyle = costLimitedStyle({ budget: 4_500_000 })
    const south = await insertBudget(
      trx,
      current,
      {
        titleEn: 'Glanaber South Coast',
        titleCy: 'Arfordir De Glanaber',
        descriptionEn: 'The coast from the harbour to Traeth Bach.',
        descriptionCy: 'Yr arfordir o’r harbwr i Draeth Bach.',
        amount: 4_500_000,
        currency: 'GBP',
        area: ['SA45', 'SA46 0'],
        voterRule: 'residents-or-census',
        style: southStyle,
        rule: null,
      },
      now,
    )
    const northProjects = await addProjects(trx, north, NORTH, new Date(now.getTime() - 30 * DAY))
    const southProjects = await addProjects(trx, south, SOUTH, new Date(now.getTime() - 30 * DAY))
    const castFrom = new Date(now.getTime() - 5 * DAY)
    await addBallots(trx, north, northStyle, northProjects, 186, 0.08, rnd, now, castFrom)
    await addBallots(trx, south, southStyle, southProjects, 142, 0.1, rnd, now, castFrom)

    // Last year's budget: counted, published, being delivered.
    const last = await insertProcess(
      trx,
      {
        titleEn: 'Glanaber Community Budget 2025–26',
        titleCy: 'Cyllideb Gymunedol Glanaber 2025–26',
        descriptionEn:
          'Last year residents ranked their three favourite projects for the whole county. Follow how the winners are being delivered.',
        descriptionCy:
          'Y llynedd rhoddodd trigolion eu tri hoff brosiect mewn trefn ar gyfer y sir gyfan. Dilynwch sut mae’r enillwyr yn cael eu cyflawni.',
        phase: 'delivery',
        schedule: schedule(now, [-420, -390, -360, -340, -333, -300]),
        source: 'demo',
      },
      now,
    )
    const rankedStyleLast = rankedStyle({ maxRanks: 3 })
    const county = await insertBudget(
      trx,
      last,
      {
        titleEn: 'The whole county',
        titleCy: 'Y sir gyfan',
        descriptionEn: '',
        descriptionCy: '',
        amount: 6_000_000,
        currency: 'GBP',
        area: [],
        voterRule: 'residents',
        style: rankedStyleLast,
        rule: 'greedy-points',
      },
      now,
    )
    const lastProjects = await addProjects(trx, county, LAST_YEAR, new Date(now.getTime() - 400 * DAY))
    await addBallots(
      trx,
      county,
      rankedStyleLast,
      lastProjects,
      240,
      0.05,
      rnd,
      now,
      new Date(now.getTime() - 360 * DAY),
    )
    const counted = await storeCount(
      trx,
      (await findBudget(trx, county))!,
      actor,
      new Date(now.getTime() - 339 * DAY),
    )
    const milestones: [string, string, number, 'done' | 'in-progress' | 'planned' | 'delayed'][] = [
      ['Design agreed with residents', 'Cynllun wedi’i gytuno gyda thrigolion', -250, 'done'],
      ['Contractor appointed', 'Contractwr wedi’i benodi', -180, 'done'],
      ['Work on site', 'Gwaith ar y safle', -30, 'in-progress'],
      ['Open to the public', 'Ar agor i’r cyhoedd', 45, 'planned'],
    ]
    for (const [i, id] of counted.official.selected.entries()) {
      for (const [en, cy, days, status] of milestones.slice(0, 4 - (i % 2))) {
        await addMilestone(
          trx,
          Number(id),
          {
            titleEn: en,
            titleCy: cy,
            date: new Date(now.getTime() + days * DAY).toISOString().slice(0, 10),
            status: i === 2 && status === 'in-progress' ? 'delayed' : status,
          },
          now,
        )
      }
    }

    // A youth budget taking proposals.
    const youth = await insertProcess(
      trx,
      {
        titleEn: 'Youth Budget 2026',
        titleCy: 'Cyllideb Ieuenctid 2026',
        descriptionEn: 'Young people aged 11 to 25 propose and choose projects for £10,000.',
        descriptionCy: 'Pobl ifanc 11 i 25 oed yn cynnig ac yn dewis prosiectau am £10,000.',
        phase: 'proposing' satisfies ProcessPhase,
        schedule: schedule(now, [-3, 25, 40, 54, 58, 70]),
        source: 'demo',
      },
      now,
    )
    const youthBudget = await insertBudget(
      trx,
      youth,
      {
        titleEn: 'Young people across the county',
        titleCy: 'Pobl ifanc ar draws y sir',
        descriptionEn: '',
        descriptionCy: '',
        amount: 1_000_000,
        currency: 'GBP',
        area: [],
        voterRule: 'census',
        style: approvalStyle({ minProjects: 1, maxProjects: 3 }),
        rule: 'greedy',
      },
      now,
    )
    await addProjects(trx, youthBudget, YOUTH, now)
    await recordAudit(trx, {
      actor,
      action: 'budgets.demo.seed',
      details: { processes: [current, last, youth] },
      at: now,
    })
  })
}
