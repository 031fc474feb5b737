import { Type } from 'typebox'

/** The JSON of `GET /api/v1/conversations/:id/report` (domain/report.ts `Report`), for OpenAPI. */

const Lang = Type.Union([Type.Literal('en'), Type.Literal('cy')])
const StatementRef = {
  statementId: Type.Integer({
    description: 'The statement number in the conversation (the Pol.is comment-id)',
  }),
  text: Type.String(),
  lang: Lang,
}
const Share = Type.Number({ minimum: 0, maximum: 1 })

export const reportSchema = Type.Object(
  {
    conversation: Type.Object({
      id: Type.Integer(),
      title: Type.String(),
      description: Type.String(),
      lang: Lang,
      status: Type.Union([Type.Literal('upcoming'), Type.Literal('open'), Type.Literal('closed')]),
      opensAt: Type.String({ format: 'date-time' }),
      closesAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      openData: Type.Boolean(),
    }),
    computedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'When the opinion math last ran',
    }),
    totals: Type.Object({
      participants: Type.Integer(),
      inAnalysis: Type.Integer({
        description: 'Participants placed in groups (voted on at least min(7, statements))',
      }),
      votes: Type.Integer(),
      statements: Type.Integer(),
      statementsRejected: Type.Integer(),
      groups: Type.Integer(),
    }),
    groups: Type.Array(
      Type.Object({
        id: Type.Integer(),
        label: Type.String(),
        size: Type.Integer(),
        center: Type.Object({ x: Type.Number(), y: Type.Number() }),
        representative: Type.Array(
          Type.Object({
            ...StatementRef,
            repfulFor: Type.Union([Type.Literal('agree'), Type.Literal('disagree')]),
            share: Share,
            voters: Type.Integer(),
            repness: Type.Number(),
          }),
        ),
      }),
    ),
    consensus: Type.Object({
      agree: Type.Array(Type.Object({ ...StatementRef, share: Share, voters: Type.Integer() })),
      disagree: Type.Array(Type.Object({ ...StatementRef, share: Share, voters: Type.Integer() })),
    }),
    bridging: Type.Array(
      Type.Object({
        ...StatementRef,
        value: Type.Number({
          description: 'Group-informed consensus: product over groups of (agrees + 1)/(seen + 2)',
        }),
        groups: Type.Array(Type.Object({ group: Type.Integer(), agreeShare: Share, voters: Type.Integer() })),
      }),
    ),
    divisive: Type.Array(
      Type.Object({
        ...StatementRef,
        agreeingGroup: Type.Integer(),
        disagreeingGroup: Type.Integer(),
        divisiveness: Type.Number(),
      }),
    ),
    map: Type.Object({
      baseClusters: Type.Array(
        Type.Object({ x: Type.Number(), y: Type.Number(), size: Type.Integer(), group: Type.Integer() }),
      ),
    }),
    participation: Type.Array(
      Type.Object({
        period: Type.String({ format: 'date' }),
        unit: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')]),
        votes: Type.Integer(),
        newParticipants: Type.Integer(),
        participants: Type.Integer(),
      }),
    ),
    statements: Type.Array(
      Type.Object({
        ...StatementRef,
        seed: Type.Boolean(),
        meta: Type.Boolean(),
        moderation: Type.Union([Type.Literal('accepted'), Type.Literal('pending'), Type.Literal('rejected')]),
        agree: Type.Integer(),
        disagree: Type.Integer(),
        pass: Type.Integer(),
        groups: Type.Array(
          Type.Object({
            group: Type.Integer(),
            agree: Type.Integer(),
            disagree: Type.Integer(),
            seen: Type.Integer(),
          }),
        ),
      }),
    ),
  },
  {
    description:
      'Opinion groups, consensus, bridging and divisive statements, the map and participation over time',
  },
)

export const errorSchema = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
})
