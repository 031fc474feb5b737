/**
 * HTML to plain text for posts. Social networks send small, regular HTML (Mastodon: `<p>`,
 * `<br>`, `<a>`, `<span>`), which a quick pass turns into text; anything richer (feed articles
 * with lists, tables, images) goes through `html-to-text`.
 */
import { convert } from 'html-to-text'
import { decodeEntities } from '../../../platform/text/index.js'

const SIMPLE_TAGS = /^(?:p|br|a|span|strong|em|b|i|u|s|del|code|small)$/i
const TAG = /<\/?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g

function isSimple(html: string): boolean {
  TAG.lastIndex = 0
  for (let m = TAG.exec(html); m !== null; m = TAG.exec(html)) if (!SIMPLE_TAGS.test(m[1]!)) return false
  return !html.includes('<!--') && !html.includes('<![CDATA[')
}

/** Plain text of an HTML fragment: paragraphs and line breaks kept as new lines, links as their text. */
export function htmlToText(html: string): string {
  if (!html.includes('<')) return decodeEntities(html).trim()
  if (isSimple(html)) {
    return decodeEntities(
      html
        .replace(/<br\s*\/?>/gi, '\n')
        .replace(/<\/p>\s*<p\b[^>]*>/gi, '\n\n')
        .replace(/<[^>]*>/g, ''),
    )
      .replace(/[ \t]+\n/g, '\n')
      .trim()
  }
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ],
  }).trim()
}
