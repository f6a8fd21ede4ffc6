/**
 * An emulation of a server-side checker: a platform whose backend probes an API from its own
 * origin, with its own rules, before it accepts the API (a dashboard that "checks CORS" before
 * saving a URL). It is no browser, so its verdict is its own; the browser-exact checker only hands
 * it the request as planned and a connection pool, and reports what it returns in the generic
 * `emulation` slot of the result. One folder per platform (./galxe/), listed in ./catalog.ts (what
 * it is) and ./registry.ts (how it runs).
 */
import type { HeaderEntry } from 'corsproof/spec';
import type { Dispatcher } from 'undici';
import type { ResolvedOptions } from '../options.js';
import type { BrowserProfile } from '../profiles.js';
import type { CheckResult, Fix, RequestPlan } from '../result.js';

/** What an emulation is, as data: enough for help texts, forms and API schemas. */
export interface EmulationInfo<C extends string = string> {
  /** Stable, lower-case: `--emulate ID`, `emulate: "ID"`. */
  readonly id: string;
  /** The platform, as its users name it (prefixes its notes). */
  readonly platform: string;
  /** The checker's name, as the platform's users know it. */
  readonly name: string;
  /** The origin the platform's probes carry (the page origin of its checks). */
  readonly origin: string;
  /** Where the platform documents its check: the source of the rules reproduced. */
  readonly documentation: string;
  /** One sentence: what the emulation judges, for help texts and forms. */
  readonly summary: string;
  /** The methods the platform probes an API with: one check each, all must pass. */
  readonly probeMethods: readonly string[];
  /** What passing and failing mean for the user, one sentence each. */
  readonly outcome: { readonly passed: string; readonly failed: string };
  /** Every failure code its judgement can give. */
  readonly failureCodes: readonly C[];
}

/** What the checker gives an emulation to run with. */
export interface EmulationRunInput {
  readonly resolved: ResolvedOptions;
  readonly plan: RequestPlan;
  readonly profile: BrowserProfile;
  readonly dispatcher: Dispatcher;
}

/** The response a failed probe got, and the request it answered: all a failure can quote. */
export interface EmulationFailureDetail<C extends string = string> {
  readonly code: C;
  readonly url: string;
  /** The method the probe asks about (the credential API's method, not OPTIONS). */
  readonly method: string;
  readonly status: number;
  readonly headers: readonly HeaderEntry[];
}

/** All there is to say about one failure code of an emulation. */
export interface EmulationFailureEntry {
  /** The platform's report, in its own words where it has any. */
  message(detail: EmulationFailureDetail): string;
  /** What went wrong, in plain words, with the specifics of this response. */
  explain(detail: EmulationFailureDetail): string;
  /** The value at fault (else the empty string). */
  failedParameter(detail: EmulationFailureDetail): string;
  /** What to change so the platform's check passes. */
  fix(detail: EmulationFailureDetail): Fix;
}

/** An emulation: what it is, how it judges, and how it runs. */
export interface Emulation<C extends string = string> extends EmulationInfo<C> {
  readonly failures: { readonly [K in C]: EmulationFailureEntry };
  /** Sends the platform's probes and returns the result, its report in `emulation`. */
  run(input: EmulationRunInput): Promise<CheckResult>;
}
