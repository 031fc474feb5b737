/**
 * Open data: `GET /api/v1/budgets` (published processes and their budgets),
 * `GET /api/v1/budgets/:id/results` (a budget's results as JSON) and
 * `GET /api/v1/budgets/:id/results.csv` (one row per project). Money is in integer minor units
 * (cents) with the budget's currency; results exist once published.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { DbOrTrx } from '../../../platform/db/database.js'
import { notFound } from '../../../platform/errors/errors.js'
import { toCsv } from '../../../platform/http/csv.js'
import '../../../platform/http/types.js'
import { resultsPublished } from '../domain/phases.js'
import { findBudget, findProcess, listBudgets, listProcesses } from '../store/process-store.js'
import { isSelectedExplanation } from './present.js'
import { budgetResults } from './results.js'

const text2 = {
  type: 'object',
  properties: { en: { type: 'string' }, cy: { type: 'string' } },
  required: ['en', 'cy'],
} as const

const money = (description: string) =>
  ({ type: 'integer', description: `${description}, in minor units (cents)` }) as const

const idParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1, description: 'Budget id' } },
  required: ['id'],
} as const

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
} as const

export const resultsSchema = {
  type: 'object',
  required: [
    'budget',
    'process',
    'rule',
    'countedAt',
    'ballots',
    'selected',
    'cost',
    'projects',
    'comparison',
  ],
  properties: {
    budget: {
      type: 'object',
      required: ['id', 'title', 'amount', 'currency', 'area', 'ballotStyle', 'voterRule'],
      properties: {
        id: { type: 'integer' },
        title: text2,
        amount: money('The budget'),
        currency: { type: 'string', description: 'ISO 4217 code' },
        area: {
          type: 'array',
          items: { type: 'string' },
          description: 'Eligible postcode areas, districts or sectors; empty = everywhere',
        },
        ballotStyle: {
          type: 'object',
          additionalProperties: true,
          description: 'kind (approval, cost-limited, cumulative, ranked) and its parameters',
        },
        voterRule: { type: 'string', enum: ['residents', 'census', 'residents-or-census'] },
      },
    },
    process: {
      type: 'object',
      required: ['id', 'title', 'phase'],
      properties: { id: { type: 'integer' }, title: text2, phase: { type: 'string' } },
    },
    rule: {
      type: 'string',
      description: 'The official counting rule: greedy, greedy-points, equal-shares/add1, …',
    },
    countedAt: { type: 'string', format: 'date-time' },
    ballots: {
      type: 'object',
      required: ['total', 'online', 'paper', 'import'],
      properties: {
        total: { type: 'integer' },
        online: { type: 'integer' },
        paper: { type: 'integer', description: 'Paper ballots entered or imported by staff' },
        import: { type: 'integer', description: 'Ballots imported from a Pabulib file' },
      },
    },
    selected: {
      type: 'array',
      items: { type: 'integer' },
      description: 'Winning project ids, in project order',
    },
    cost: money('What the winners cost together'),
    projects: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'externalId', 'title', 'cost', 'votes', 'points', 'selected', 'explanation'],
        properties: {
          id: { type: 'integer' },
          externalId: { type: ['string', 'null'], description: 'The project id in an imported file' },
          title: text2,
          cost: money('Final cost'),
          votes: { type: 'integer', description: 'Ballots naming the project' },
          points: {
            type: ['integer', 'null'],
            description: 'Points (cumulative; ranked k…1); null for approval',
          },
          selected: { type: 'boolean' },
          explanation: {
            type: 'object',
            additionalProperties: true,
            description:
              'Why it was or was not selected: code (selected, selected-by-score, selected-by-completion, selected-by-phragmen, supporters-could-not-afford, did-not-fit, no-support) and the numbers behind it',
          },
        },
      },
    },
    comparison: {
      type: 'array',
      description: 'What every rule that applies to the ballot style would have chosen',
      items: {
        type: 'object',
        required: ['rule', 'official', 'selected', 'cost'],
        properties: {
          rule: { type: 'string' },
          official: { type: 'boolean' },
          selected: { type: 'array', items: { type: 'integer' } },
          cost: money('What this rule’s winners cost'),
        },
      },
    },
  },
} as const

async function publishedResults(db: DbOrTrx, id: number) {
  const budget = await findBudget(db, id)
  const process = budget ? await findProcess(db, budget.processId) : undefined
  if (!budget || !process || !resultsPublished(process)) throw notFound()
  const { count, projects, ballots } = await budgetResults(db, budget)
  if (!count) throw notFound()
  return { budget, process, count, projects, ballots }
}

function openData(reply: FastifyReply): FastifyReply {
  return reply.header('access-control-allow-origin', '*').header('cache-control', 'public, max-age=60')
}

const apiRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.services

  app.get(
    '/api/v1/budgets',
    {
      schema: {
        summary: 'Participatory budgeting processes and their budgets',
        tags: ['budgets'],
        response: {
          200: {
            type: 'object',
            required: ['processes'],
            properties: {
              processes: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'title', 'phase', 'budgets'],
                  properties: {
                    id: { type: 'integer' },
                    title: text2,
                    phase: { type: 'string' },
                    budgets: {
                      type: 'array',
                      items: {
                        type: 'object',
                        required: ['id', 'title', 'amount', 'currency', 'resultsUrl'],
                        properties: {
                          id: { type: 'integer' },
                          title: text2,
                          amount: money('The budget'),
                          currency: { type: 'string' },
                          resultsUrl: { type: ['string', 'null'] },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (_request, reply) => {
      const processes = await listProcesses(db, { publicOnly: true })
      const out = []
      for (const p of processes) {
        const budgets = await listBudgets(db, p.id)
        out.push({
          id: p.id,
          title: { en: p.titleEn, cy: p.titleCy },
          phase: p.phase,
          budgets: budgets.map((b) => ({
            id: b.id,
            title: { en: b.titleEn, cy: b.titleCy },
            amount: b.amount,
            currency: b.currency,
            resultsUrl: resultsPublished(p) ? `/api/v1/budgets/${b.id}/results` : null,
          })),
        })
      }
      return openData(reply).send({ processes: out })
    },
  )

  app.get(
    '/api/v1/budgets/:id/results',
    {
      schema: {
        summary: 'Results of a budget: winners, costs, votes, explanations and the rule comparison',
        tags: ['budgets'],
        params: idParams,
        response: { 200: resultsSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: number }
      const { budget, process, count, projects, ballots } = await publishedResults(db, id)
      const official = count.official
      return openData(reply).send({
        budget: {
          id: budget.id,
          title: { en: budget.titleEn, cy: budget.titleCy },
          amount: budget.amount,
          currency: budget.currency,
          area: budget.area,
          ballotStyle: budget.style,
          voterRule: budget.voterRule,
        },
        process: {
          id: process.id,
          title: { en: process.titleEn, cy: process.titleCy },
          phase: process.phase,
        },
        rule: official.rule,
        countedAt: official.countedAt,
        ballots,
        selected: official.selected.map(Number),
        cost: official.cost,
        projects: projects.map((p) => {
          const id = String(p.id)
          const totals = official.totals[id] ?? { votes: 0, points: null }
          const explanation = official.explanations[id] ?? {
            code: 'no-support',
            cost: p.finalCost ?? p.estimatedCost,
          }
          return {
            id: p.id,
            externalId: p.externalId,
            title: { en: p.titleEn, cy: p.titleCy },
            cost: p.finalCost ?? p.estimatedCost,
            votes: totals.votes,
            points: totals.points,
            selected: isSelectedExplanation(explanation),
            explanation,
          }
        }),
        comparison: count.comparison.map((o) => ({
          rule: o.rule,
          official: o.official,
          selected: o.selected.map(Number),
          cost: o.cost,
        })),
      })
    },
  )

  app.get(
    '/api/v1/budgets/:id/results.csv',
    {
      schema: {
        summary: 'Results of a budget as CSV, one row per project (money in minor units)',
        tags: ['budgets'],
        params: idParams,
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: number }
      const { budget, count, projects } = await publishedResults(db, id)
      const official = count.official
      const rules = count.comparison.map((o) => o.rule)
      const rows = projects.map((p) => {
        const key = String(p.id)
        const totals = official.totals[key] ?? { votes: 0, points: null }
        const e = official.explanations[key]
        return [
          p.id,
          p.externalId,
          p.titleEn,
          p.titleCy,
          p.finalCost ?? p.estimatedCost,
          budget.currency,
          totals.votes,
          totals.points,
          isSelectedExplanation(e),
          e?.code ?? '',
          ...count.comparison.map((o) => o.selected.includes(key)),
        ]
      })
      const csv = toCsv(
        [
          'project_id',
          'external_id',
          'title_en',
          'title_cy',
          'cost_minor_units',
          'currency',
          'votes',
          'points',
          'selected',
          'explanation',
          ...rules.map((r) => `selected_by_${r}`),
        ],
        rows,
      )
      return openData(reply)
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="budget-${budget.id}-results.csv"`)
        .send(csv)
    },
  )
}

export default apiRoutes
