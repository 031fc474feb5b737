import type { FieldProblem } from '../../../platform/http/forms.js'
import { field } from '../../../platform/http/forms.js'
import { feedConfig } from '../connectors/feed.js'
import { jetstreamConfig } from '../connectors/jetstream.js'
import { mastodonConfig } from '../connectors/mastodon.js'
import { isSourceType } from '../domain/post.js'

/** Reads and checks the source form: the config the connector needs, credentials apart. */
export function validateSourceInput(
  body: unknown,
  options: { creating: boolean },
): {
  values: Record<string, string>
  type: string
  config: Record<string, unknown>
  secrets: Record<string, string>
  retentionDays: number
  problems: FieldProblem[]
} {
  const values: Record<string, string> = {}
  for (const k of [
    'name',
    'type',
    'retentionDays',
    'instance',
    'timeline',
    'hashtag',
    'url',
    'endpoint',
    'filter',
    'enabled',
  ])
    values[k] = field(body, k).trim()
  const token = field(body, 'accessToken').trim()
  const problems: FieldProblem[] = []
  if (!values['name']) problems.push({ field: 'name', code: 'required' })
  else if (values['name'].length > 200) problems.push({ field: 'name', code: 'too-long' })
  const type = values['type'] ?? ''
  if (!isSourceType(type)) problems.push({ field: 'type', code: 'required' })
  const retentionDays = Number(values['retentionDays'])
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 3650)
    problems.push({ field: 'retentionDays', code: 'invalid' })
  let config: Record<string, unknown> = {}
  const secrets: Record<string, string> = {}
  try {
    if (type === 'mastodon' || type === 'mastodon-stream') {
      const c = mastodonConfig({
        instance: values['instance'],
        timeline: values['timeline'],
        hashtag: values['hashtag'],
      })
      config = { instance: c.instance, timeline: c.timeline, ...(c.hashtag ? { hashtag: c.hashtag } : {}) }
      secrets['accessToken'] = token
      if (type === 'mastodon-stream' && options.creating && !token)
        problems.push({ field: 'accessToken', code: 'required' })
    } else if (type === 'rss') {
      config = feedConfig({ url: values['url'] })
    } else if (type === 'bluesky') {
      const c = jetstreamConfig({ endpoint: values['endpoint'] || undefined, filter: values['filter'] })
      config = { endpoint: c.endpoint, filter: c.filter }
    }
  } catch (err) {
    const message = (err as Error).message
    const fieldName = /^instance/.test(message)
      ? 'instance'
      : /^hashtag/.test(message)
        ? 'hashtag'
        : /^url/.test(message)
          ? 'url'
          : /^endpoint/.test(message)
            ? 'endpoint'
            : 'filter'
    problems.push({ field: fieldName, code: 'invalid' })
  }
  return { values, type, config, secrets, retentionDays, problems }
}
