/**
 * The elections calendar: pre-election periods a body enters once, read by the policy checker
 * (political content is blocked inside a period) and by petitions (stopped for an election).
 */
export {
  type ElectionPeriod,
  type ElectionProblem,
  electionPeriodOn,
  electionProblems,
  isIsoDay,
  londonDay,
} from './periods.js'
export { addElectionPeriod, findElectionPeriod, listElectionPeriods, removeElectionPeriod } from './store.js'
