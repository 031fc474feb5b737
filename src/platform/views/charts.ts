/**
 * Accessible SVG charts, rendered on the server: a title and description for screen readers, and
 * the same numbers always shown in a table beside the chart (DESIGN.md).
 */

function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )
}

export interface Bar {
  readonly label: string
  readonly value: number
}

/** A vertical bar chart as an `<svg role="img">` string (already escaped; safe to insert). */
export function barChartSvg(options: {
  title: string
  description: string
  bars: readonly Bar[]
  width?: number
  height?: number
}): string {
  const width = options.width ?? 640
  const height = options.height ?? 200
  const pad = 24
  const max = Math.max(1, ...options.bars.map((b) => b.value))
  const n = Math.max(1, options.bars.length)
  const slot = (width - pad * 2) / n
  const barWidth = Math.max(1, slot * 0.8)
  const id = `chart-${Math.random().toString(36).slice(2, 9)}`
  const bars = options.bars
    .map((b, i) => {
      const h = ((height - pad * 2) * b.value) / max
      const x = pad + i * slot + (slot - barWidth) / 2
      const y = height - pad - h
      return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="currentColor"><title>${escapeXml(`${b.label}: ${b.value}`)}</title></rect>`
    })
    .join('')
  return (
    `<svg class="ts-chart" role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="none">` +
    `<title id="${id}-t">${escapeXml(options.title)}</title><desc id="${id}-d">${escapeXml(options.description)}</desc>` +
    `<line x1="${pad}" y1="${height - pad}" x2="${width - pad}" y2="${height - pad}" stroke="currentColor" stroke-width="1"/>` +
    `${bars}</svg>`
  )
}
