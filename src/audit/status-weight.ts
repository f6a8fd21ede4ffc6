/**
 * How much a readable answer is worth to the origin that can read it. An Origin reflected on a 200
 * carrying data is a leak; reflected on a 401, 403, 404 or 5xx with a short error body, the page
 * reads an error. The severity of a family finding comes down one level when every answer its
 * proofs could read is such an error and no preflight for a state-changing request was accepted
 * (that channel sends the request whatever the GET says). Not when credentials are allowed and the
 * audit had no session: the victim's browser sends cookies, and a 401 or a 404 for an anonymous
 * request (private resources often answer 404) may be a 200 with data for a signed-in user. The
 * evidence is the status, the body's length and its Content-Type, never the body. Pure.
 */

import type { Severity } from './findings.js';
import { lowerSeverity } from './findings.js';

/** What came back to a readable GET, without its content. */
export interface ReadAnswer {
  readonly status: number;
  /** Body bytes read (the checker reads at most 64 KiB). */
  readonly bytes: number;
  /** Whether the body was longer than what was read. */
  readonly truncated: boolean;
  readonly contentType: string | null;
}

/** Above this many bytes an error answer is taken to carry data (error pages are shorter). */
export const ERROR_BODY_BYTES = 1024;

export interface WeighInput {
  /** The answers the finding's readable proofs got (empty when none could read). */
  readonly answers: readonly ReadAnswer[];
  /** Whether a proof's preflight for a state-changing request was accepted. */
  readonly canSend: boolean;
  /** Whether the proof carried Access-Control-Allow-Credentials: true. */
  readonly credentials: boolean;
  /** Whether the audit sent a session (a cookie or Authorization) with its GETs. */
  readonly sessionSent: boolean;
}

export interface Weighed {
  /** The severity to report, from the one the finding's kind and credentials give. */
  readonly severity: Severity;
  /** One sentence for the message: the answer, and whether it changed the severity. */
  readonly note: string;
}

/**
 * "401, 27 bytes of application/json".
 *
 * @example
 * describeAnswer({ status: 404, bytes: 0, truncated: false, contentType: null }) // '404, empty'
 */
export function describeAnswer(a: ReadAnswer): string {
  const size = a.truncated
    ? `more than ${a.bytes} bytes`
    : a.bytes === 0
      ? 'empty'
      : `${a.bytes} byte${a.bytes === 1 ? '' : 's'}`;
  const type = a.contentType === null ? '' : ` of ${a.contentType}`;
  return `${a.status}, ${size}${a.bytes === 0 && !a.truncated ? '' : type}`;
}

/** An error status with a body short enough to be the error's own text. */
export function isErrorWithoutData(a: ReadAnswer): boolean {
  return a.status >= 400 && !a.truncated && a.bytes <= ERROR_BODY_BYTES;
}

/**
 * The severity after weighing what the readable answers hold, and the sentence saying so.
 *
 * @example
 * weighAnswers('medium', {
 *   answers: [{ status: 401, bytes: 30, truncated: false, contentType: 'application/json' }],
 *   canSend: false, credentials: false, sessionSent: false,
 * }) // { severity: 'low', note: 'The readable answer was 401, 30 bytes of application/json: ...' }
 */
export function weighAnswers(severity: Severity, input: WeighInput): Weighed {
  const first = input.answers[0];
  if (first === undefined) return { severity, note: '' };
  const seen = `The readable answer was ${describeAnswer(first)}`;
  if (!input.answers.every(isErrorWithoutData)) {
    const data =
      first.status >= 400 ? ': an error status, but a body long enough to hold data' : '';
    return { severity, note: `${seen}${data}.` };
  }
  if (input.canSend) {
    return {
      severity,
      note: `${seen}: an error without data, but the accepted preflight lets the state-changing request through, so the severity stands.`,
    };
  }
  if (input.credentials && !input.sessionSent) {
    return {
      severity,
      note: `${seen}: an error without data to a request without a session; credentials are allowed, so a signed-in victim's request carries cookies and may get data, and the severity stands (audit with a session cookie to see what it gets).`,
    };
  }
  const lowered = lowerSeverity(severity);
  return {
    severity: lowered,
    note: `${seen}: an error without data${input.sessionSent ? ', even with the session sent' : ''}, so the reader learns little here; ${lowered === severity ? 'the severity is already at its floor' : `lowered from ${severity} to ${lowered}`}. The same matching code likely answers other paths of this server: audit one that returns data.`,
  };
}
