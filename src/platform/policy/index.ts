/**
 * The social media policy checker (issue #7): rules a body edits, each with a code, a message and
 * a severity, checked against a post before it is published and against inbox replies.
 *
 * @example
 * const policy = await loadPolicy(db)
 * const findings = checkPost(policy, { text, channel: 'bluesky', date: now, elections }, 'en')
 * if (hasBlocking(findings)) … // the post cannot be approved
 */
export { checkPost, hasBlocking } from './check.js'
export {
  CAMPAIGN_PATTERNS,
  CAMPAIGN_TERMS,
  defaultMessage,
  defaultPolicy,
  LINK_TEXT_TERMS,
  PARLIAMENT_FIRST_PATTERNS,
  PARLIAMENT_FIRST_TERMS,
  PARTISAN_TERMS,
  PARTY_TERMS,
  POLEMICAL_TERMS,
} from './defaults.js'
export { fleschReadingEase, lowerCaseHashtags, segmentHashtag } from './detectors.js'
export { compilePattern } from './matchers.js'
export { loadPolicy, POLICY_SETTING, savePolicy } from './store.js'
export {
  CHANNELS,
  type Channel,
  type ElectionPeriod,
  type Finding,
  PERSONAL_DATA_DETECTORS,
  type PersonalDataDetector,
  type Policy,
  type PolicyInput,
  type PolicyLocale,
  type PolicyProblem,
  type PolicyRule,
  RULE_KINDS,
  type RuleKind,
  SEVERITIES,
  type Severity,
} from './types.js'
export { policyProblems, RULE_CODE } from './validate.js'
