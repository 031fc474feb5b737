/**
 * Accessible SVG charts: each has a `<title>` and a `<desc>` (joined to the image by
 * aria-labelledby) and the page shows the same numbers in a table next to it. No scripts, no
 * colour-only meaning: bars carry their value as text.
 */

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export interface ChartPoint {
  readonly label: string
  readonly value: number
}

export interface ChartText {
  readonly id: string
  readonly title: string
  readonly description: string
}

function frame(text: ChartText, width: number, height: number, body: string): string {
  const id = esc(text.id)
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="ts-chart" role="img" viewBox="0 0 ${width} ${height}" ` +
    `width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby="${id}-title ${id}-desc" focusable="false">` +
    `<title id="${id}-title">${esc(text.title)}</title><desc id="${id}-desc">${esc(text.description)}</desc>${body}</svg>`
  )
}

/** Columns over time (volume per day), with the axis maximum and first/last labels. */
export function columnChart(
  text: ChartText,
  points: readonly ChartPoint[],
  width = 640,
  height = 220,
): string {
  const max = Math.max(1, ...points.map((p) => p.value))
  const left = 40
  const bottom = height - 30
  const top = 16
  const inner = width - left - 10
  const w = points.length > 0 ? inner / points.length : inner
  const bars = points
    .map((p, i) => {
      const h = ((bottom - top) * p.value) / max
      return `<rect x="${(left + i * w + 1).toFixed(1)}" y="${(bottom - h).toFixed(1)}" width="${Math.max(1, w - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="#1d70b8"><title>${esc(p.label)}: ${p.value}</title></rect>`
    })
    .join('')
  const axis =
    `<line x1="${left}" y1="${bottom}" x2="${width - 10}" y2="${bottom}" stroke="#0b0c0c"/>` +
    `<text x="${left - 6}" y="${top + 4}" text-anchor="end" font-size="12" fill="#0b0c0c">${max}</text>` +
    `<text x="${left - 6}" y="${bottom}" text-anchor="end" font-size="12" fill="#0b0c0c">0</text>` +
    (points.length > 0
      ? `<text x="${left}" y="${height - 10}" font-size="12" fill="#0b0c0c">${esc(points[0]!.label)}</text>` +
        `<text x="${width - 10}" y="${height - 10}" text-anchor="end" font-size="12" fill="#0b0c0c">${esc(points.at(-1)!.label)}</text>`
      : '')
  return frame(text, width, height, axis + bars)
}

/** Horizontal bars with their values written at the end (sentiment share, share of voice). */
export function barChart(text: ChartText, points: readonly ChartPoint[], width = 640, unit = ''): string {
  const row = 28
  const labelWidth = 180
  const height = Math.max(row, points.length * row) + 8
  const max = Math.max(1, ...points.map((p) => p.value))
  const inner = width - labelWidth - 70
  const bars = points
    .map((p, i) => {
      const y = 4 + i * row
      const w = (inner * p.value) / max
      return (
        `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end" font-size="14" fill="#0b0c0c">${esc(p.label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 3}" width="${Math.max(0, w).toFixed(1)}" height="${row - 8}" fill="#1d70b8"/>` +
        `<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 17}" font-size="14" fill="#0b0c0c">${p.value}${esc(unit)}</text>`
      )
    })
    .join('')
  return frame(text, width, height, bars)
}
