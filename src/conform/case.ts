/**
 * One case of a conformance run: a request a page could make, described well enough to send it
 * with `check()` and to say in a report what it tried.
 */
import type { CredentialsMode } from '../check/index.js';

/**
 * How a case is sent: `fetch` runs a fetch() call through `check()`; `private-network` sends the
 * Private Network Access preflight Chromium sends before a public page reaches a private address.
 */
export type ProbeKind = 'fetch' | 'private-network';

/** What a case samples, so reports can group and explain it. */
export type CaseAspect = 'origin' | 'credentials' | 'method' | 'request-header' | 'private-network';

export interface ConformCase {
  /** Unique within a run and the same from one run to the next (reports match on it). */
  readonly id: string;
  /** What the case tries, in words (`suffix look-alike of https://app.example.com`). */
  readonly title: string;
  readonly aspect: CaseAspect;
  readonly probe: ProbeKind;
  /** The request target: path and query, resolved against the URL conform was given. */
  readonly path: string;
  /** The path pattern this path samples; null where no pattern matches or the file has none. */
  readonly pattern: string | null;
  /** The page's origin (`null` for an opaque one). */
  readonly origin: string;
  readonly method: string;
  readonly headers: readonly (readonly [name: string, value: string])[];
  readonly credentials: Extract<CredentialsMode, 'omit' | 'include'>;
  /**
   * Send only the preflight: the request itself would change data (PUT, DELETE) on a live server,
   * and the preflight is what the policy decides.
   */
  readonly preflightOnly: boolean;
  /** Lower-case response header names whose readability by script is compared. */
  readonly exposeProbe: readonly string[];
}
