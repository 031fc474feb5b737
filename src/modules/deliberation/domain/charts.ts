import { groupLabel, type ParticipationPeriod } from './report.js'

/**
 * Geometry of the report's two charts, computed here so the templates only place numbers: the
 * opinion map (base clusters as marks sized by their members, one colour and one shape per
 * group, so groups differ by more than colour: WCAG 1.4.1) and participation over time (bars).
 */

/** Okabe–Ito colours, told apart with every common colour-vision deficiency. */
export const GROUP_COLOURS = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#8C6A00',
  '#56B4E9',
  '#000000',
  '#999999',
]
export const UNGROUPED_COLOUR = '#505a5f'
const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'cross'] as const

export interface MapMark {
  readonly d: string
  readonly fill: string
  readonly group: number
  readonly label: string
  readonly size: number
}

export interface MapGeometry {
  readonly width: number
  readonly height: number
  readonly marks: readonly MapMark[]
  readonly you: { readonly x: number; readonly y: number; readonly d: string } | null
  readonly legend: ReadonlyArray<{
    readonly group: number
    readonly label: string
    readonly fill: string
    readonly d: string
  }>
  /** Where the axes cross (the centre of opinion). */
  readonly origin: { readonly x: number; readonly y: number }
}

const r2 = (x: number): number => Math.round(x * 100) / 100

/** An SVG path of a group's shape centred on (x, y) with "radius" r. */
export function shapePath(group: number, x: number, y: number, r: number): string {
  const shape = group < 0 ? 'circle' : SHAPES[group % SHAPES.length]
  switch (shape) {
    case 'square': {
      const s = r * 0.9
      return `M${r2(x - s)} ${r2(y - s)}H${r2(x + s)}V${r2(y + s)}H${r2(x - s)}Z`
    }
    case 'triangle':
      return `M${r2(x)} ${r2(y - r * 1.15)}L${r2(x + r)} ${r2(y + r * 0.75)}L${r2(x - r)} ${r2(y + r * 0.75)}Z`
    case 'diamond':
      return `M${r2(x)} ${r2(y - r * 1.2)}L${r2(x + r * 1.2)} ${r2(y)}L${r2(x)} ${r2(y + r * 1.2)}L${r2(x - r * 1.2)} ${r2(y)}Z`
    case 'cross': {
      const a = r * 0.4
      return `M${r2(x - a)} ${r2(y - r)}H${r2(x + a)}V${r2(y - a)}H${r2(x + r)}V${r2(y + a)}H${r2(x + a)}V${r2(y + r)}H${r2(x - a)}V${r2(y + a)}H${r2(x - r)}V${r2(y - a)}H${r2(x - a)}Z`
    }
    default:
      return `M${r2(x - r)} ${r2(y)}a${r2(r)} ${r2(r)} 0 1 0 ${r2(2 * r)} 0a${r2(r)} ${r2(r)} 0 1 0 ${r2(-2 * r)} 0Z`
  }
}

export function groupColour(group: number): string {
  return group < 0 ? UNGROUPED_COLOUR : GROUP_COLOURS[group % GROUP_COLOURS.length]
}

/** Places the base clusters (and the participant, if placed) in a width × height box. */
export function mapGeometry(
  clusters: ReadonlyArray<{
    readonly x: number
    readonly y: number
    readonly size: number
    readonly group: number
  }>,
  you: readonly [number, number] | null,
  width = 560,
  height = 360,
): MapGeometry {
  const xs = [...clusters.map((c) => c.x), ...(you ? [you[0]] : []), 0]
  const ys = [...clusters.map((c) => c.y), ...(you ? [you[1]] : []), 0]
  const pad = 28
  const minX = Math.min(...xs)
  const maxX = Math.max(...xs)
  const minY = Math.min(...ys)
  const maxY = Math.max(...ys)
  // One scale for both axes, so distances on the map mean the same in every direction.
  const scale = Math.min(
    (width - 2 * pad) / Math.max(maxX - minX, 1e-9),
    (height - 2 * pad) / Math.max(maxY - minY, 1e-9),
  )
  const offX = (width - (maxX - minX) * scale) / 2
  const offY = (height - (maxY - minY) * scale) / 2
  const px = (x: number): number => r2(offX + (x - minX) * scale)
  const py = (y: number): number => r2(height - (offY + (y - minY) * scale))
  const biggest = Math.max(1, ...clusters.map((c) => c.size))
  const marks = clusters.map((c) => {
    const r = 3 + 9 * Math.sqrt(c.size / biggest)
    return {
      d: shapePath(c.group, px(c.x), py(c.y), r),
      fill: groupColour(c.group),
      group: c.group,
      label: c.group < 0 ? '' : groupLabel(c.group),
      size: c.size,
    }
  })
  const groups = [...new Set(clusters.map((c) => c.group))].sort((a, b) => a - b)
  return {
    width,
    height,
    marks,
    you: you ? { x: px(you[0]), y: py(you[1]), d: youMarker(px(you[0]), py(you[1])) } : null,
    legend: groups.map((g) => ({
      group: g,
      label: g < 0 ? '' : groupLabel(g),
      fill: groupColour(g),
      d: shapePath(g, 8, 8, 6),
    })),
    origin: { x: px(0), y: py(0) },
  }
}

/** A ring with a cross-hair, drawn on top of the clusters. */
function youMarker(x: number, y: number): string {
  const r = 11
  return `M${r2(x - r)} ${r2(y)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0ZM${r2(x - r - 5)} ${r2(y)}H${r2(x + r + 5)}M${r2(x)} ${r2(y - r - 5)}V${r2(y + r + 5)}`
}

export interface TimelineBar {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  readonly period: string
  readonly votes: number
}

export interface TimelineGeometry {
  readonly width: number
  readonly height: number
  readonly bars: readonly TimelineBar[]
  readonly maxVotes: number
  /** Y of the top of the scale (the maximum). */
  readonly top: number
  readonly baseline: number
}

/** Bars of votes per period, scaled to the busiest one. */
export function timelineGeometry(
  periods: readonly ParticipationPeriod[],
  width = 560,
  height = 180,
): TimelineGeometry {
  const left = 8
  const top = 12
  const baseline = height - 8
  const maxVotes = Math.max(1, ...periods.map((p) => p.votes))
  const slot = periods.length > 0 ? (width - left * 2) / periods.length : 0
  const bars = periods.map((p, i) => {
    const h = ((baseline - top) * p.votes) / maxVotes
    return {
      x: r2(left + i * slot + slot * 0.1),
      y: r2(baseline - h),
      width: r2(Math.max(1, slot * 0.8)),
      height: r2(h),
      period: p.period,
      votes: p.votes,
    }
  })
  return { width, height, bars, maxVotes, top, baseline }
}
