/**
 * corsproof explain: what a browser recorded (a HAR) or printed (a console line), judged offline
 * with the checker's rules. Pure: the page runs it on a dropped file, nothing leaves the machine.
 */
export { type CheckCommandInput, checkCommand } from './check-command.js';
export type { ExplainEngine } from './engine.js';
export {
  type CredentialsEvidence,
  type CrossOriginRequest,
  crossOriginRequests,
  isPreflight,
} from './exchanges.js';
export {
  browserOfHar,
  type ExplainCause,
  type ExplainedRequest,
  type ExplainHarOptions,
  explainHar,
  type HarExplanation,
} from './explain-har.js';
export { formatHarExplanation, formatMessageExplanation, plural } from './format.js';
export { type HarEntry, HarError, type HarFile, headerValue, readHar } from './har.js';
export {
  explainMessage,
  type MessageExplanation,
  UNDERSTOOD_WORDINGS,
} from './message.js';
export { isCredentialHeader, MASK, redactHeaders, redactValue } from './redact.js';
