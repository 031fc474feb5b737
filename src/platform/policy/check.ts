/**
 * The policy checker: one pure function from a post (text, channel, date, images) to findings,
 * each explained at its place in the text. Publishing runs it before a post can be approved;
 * the inbox runs it on replies.
 */
import { electionPeriodOn } from '../elections/periods.js'
import { detectLanguage } from '../text/language.js'
import {
  emojiBullets,
  fleschReadingEase,
  links,
  lowerCaseHashtags,
  measure,
  personalData,
} from './detectors.js'
import { type Span, termMatches } from './matchers.js'
import type { Channel, Finding, Policy, PolicyInput, PolicyLocale, PolicyRule, Severity } from './types.js'

type Vars = Readonly<Record<string, string | number>>

function fill(template: string, vars: Vars): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  )
}

/** How a channel counts length. Email and the web have no limit unless a rule sets one. */
const LENGTH_MODE: Readonly<Record<Channel, 'graphemes' | 'mastodon' | 'codepoints'>> = {
  mastodon: 'mastodon',
  bluesky: 'graphemes',
  email: 'codepoints',
  web: 'codepoints',
}

export function checkPost(policy: Policy, input: PolicyInput, locale: PolicyLocale): Finding[] {
  const { text } = input
  const findings: Finding[] = []
  const add = (rule: PolicyRule, span: { start: number; end: number }, vars: Vars, as?: PolicyRule) => {
    const owner = as ?? rule
    // A hand-edited setting may lack a message: the code still says what fired.
    const template = owner.message?.[locale] || owner.message?.en || owner.code
    findings.push({
      code: owner.code,
      severity: owner.severity as Severity,
      start: span.start,
      end: span.end,
      message: fill(template, vars),
    })
  }

  // Cabinet Office general election guidance: during the pre-election period, official channels
  // publish nothing that could be seen as party political. Inside a period the political rules'
  // matches are reported (and, by default, blocked) under the pre-election rule instead.
  const period = electionPeriodOn(input.elections ?? [], input.date)
  const preElection = period ? policy.rules.find((r) => r.kind === 'pre-election' && r.enabled) : undefined
  const redirected = new Set(preElection?.appliesTo ?? [])

  let language: 'en' | 'cy' | 'und' | null = input.language ?? null
  const channel = input.channel

  for (const rule of policy.rules) {
    const underElection = preElection && redirected.has(rule.code) ? preElection : undefined
    if (!rule.enabled && !underElection) continue
    switch (rule.kind) {
      case 'terms':
        for (const span of termMatches(rule, text)) {
          add(rule, span, { match: span.text, period: period?.name ?? '' }, underElection)
        }
        break
      case 'personal-data':
        if (!rule.detector) break
        for (const span of personalData(rule.detector, text, rule.allow))
          add(rule, span, { match: span.text })
        break
      case 'alt-text':
        // Images have no place in the text: the finding covers 0..0 and names the image (WCAG 1.1.1).
        ;(input.images ?? []).forEach((image, i) => {
          if (!image.altText?.trim()) add(rule, { start: 0, end: 0 }, { image: i + 1 })
        })
        break
      case 'hashtag-case':
        for (const span of lowerCaseHashtags(text, rule.threshold ?? 8)) {
          add(rule, span, { match: span.text, suggestion: span.suggestion })
        }
        break
      case 'reading-ease': {
        // Flesch reading ease is calibrated on English syllables and sentence lengths; there is no
        // validated Welsh equivalent (Welsh words are counted differently: mutations, digraphs
        // such as "ll", "dd", "ch" are single letters), so Welsh text is not scored.
        const ease = fleschReadingEase(text)
        const threshold = rule.threshold ?? 50
        if (ease.words < (rule.minWords ?? 20) || ease.score >= threshold) break
        // Only a text that would fail is worth the language guess (the costlier step).
        language ??= detectLanguage(text).language === 'en' ? 'en' : 'und'
        if (language !== 'en') break
        add(rule, { start: 0, end: text.length }, { score: ease.score, threshold })
        break
      }
      case 'emoji-bullets':
        for (const span of emojiBullets(text, rule.threshold ?? 2)) add(rule, span, { match: span.text })
        break
      case 'length': {
        const limit = channel ? rule.limits?.[channel] : undefined
        if (!channel || limit === undefined) break
        const overflow = measure(text, LENGTH_MODE[channel], limit)
        if (overflow.at >= 0) {
          add(rule, { start: overflow.at, end: text.length }, { limit, count: overflow.count, channel })
        }
        break
      }
      case 'links': {
        const limit = channel ? rule.limits?.[channel] : undefined
        if (!channel || limit === undefined) break
        const all: Span[] = links(text)
        if (all.length > limit) {
          const extra = all.slice(limit)
          add(
            rule,
            { start: extra[0]!.start, end: extra[extra.length - 1]!.end },
            { limit, count: all.length, channel },
          )
        }
        break
      }
      case 'pre-election':
        break
    }
  }
  return findings.sort((a, b) => a.start - b.start || a.end - b.end || a.code.localeCompare(b.code))
}

/** True when at least one finding stops the post. */
export function hasBlocking(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'block')
}
