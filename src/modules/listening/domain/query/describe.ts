import type { QueryNode } from './ast.js'

/** A field value is written without quotes when it reads back as one value. */
const BARE_VALUE = /^[^\s()"“”„~{}:<]+$/u

function fieldValue(v: string): string {
  return BARE_VALUE.test(v) ? v : `"${v}"`
}

function wrapped(node: QueryNode, when: readonly QueryNode['kind'][]): string {
  const text = describeQuery(node)
  return when.includes(node.kind) ? `(${text})` : text
}

/**
 * The normalised text of a query: lower-case words, single spaces, operators in capitals, and
 * brackets wherever two different operators meet, so the grouping is visible and the text is valid
 * Brandwatch syntax. Parsing the result gives the same tree back.
 */
export function describeQuery(node: QueryNode): string {
  switch (node.kind) {
    case 'term':
      return node.value
    case 'phrase':
      return `"${node.value}"`
    case 'hashtag':
      return `#${node.value}`
    case 'mention':
      return `@${node.value}`
    case 'field':
      return node.values.length === 1
        ? `${node.field}:${fieldValue(node.values[0]!)}`
        : `${node.field}:(${node.values.map(fieldValue).join(' OR ')})`
    case 'not':
      return `NOT ${wrapped(node.operand, ['and', 'or', 'near'])}`
    case 'and':
      return node.operands.map((o) => wrapped(o, ['or', 'near'])).join(' AND ')
    case 'or':
      return node.operands.map((o) => wrapped(o, ['and', 'near'])).join(' OR ')
    case 'near':
      return `${wrapped(node.left, ['and', 'or', 'near'])} NEAR/${node.distance}${node.ordered ? 'f' : ''} ${wrapped(node.right, ['and', 'or', 'near'])}`
  }
}

function label(node: QueryNode): string {
  switch (node.kind) {
    case 'term':
      return `term ${node.value}`
    case 'phrase':
      return `phrase "${node.value}"`
    case 'hashtag':
      return `hashtag #${node.value}`
    case 'mention':
      return `mention @${node.value}`
    case 'field':
      return `${node.field}: ${node.values.map(fieldValue).join(' OR ')}`
    case 'not':
      return 'NOT'
    case 'and':
      return 'AND'
    case 'or':
      return 'OR'
    case 'near':
      return `NEAR/${node.distance}${node.ordered ? 'f (in this order)' : ''}`
  }
}

function children(node: QueryNode): readonly QueryNode[] {
  switch (node.kind) {
    case 'not':
      return [node.operand]
    case 'and':
    case 'or':
      return node.operands
    case 'near':
      return [node.left, node.right]
    default:
      return []
  }
}

/** The tree as indented text, one node a line, for the CLI and for staff reading how a query was understood. */
export function formatQueryTree(node: QueryNode): string {
  const lines: string[] = []
  const walk = (n: QueryNode, prefix: string, childPrefix: string): void => {
    lines.push(prefix + label(n))
    const kids = children(n)
    kids.forEach((k, i) => {
      const last = i === kids.length - 1
      walk(k, childPrefix + (last ? '└─ ' : '├─ '), childPrefix + (last ? '   ' : '│  '))
    })
  }
  walk(node, '', '')
  return lines.join('\n')
}
