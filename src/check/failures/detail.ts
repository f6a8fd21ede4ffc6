/**
 * The types every failure entry is written against: what a failure can quote (its detail), where
 * it happened (its context), and the shape of one entry of the failure table. Types only, at the
 * bottom of the check module's imports, so that the entries, the fixes and the checker all point
 * down to it.
 */
import type { CorsCheckFailure, PreflightFailure } from 'corsproof/spec';
import type { NeededPolicy } from '../fixes.js';
import type { BrowserProfile } from '../profiles.js';
import type { BrowserFailureCode, CredentialsMode, Fix } from '../result.js';

/** Everything a failure can quote. */
export type FailureDetail =
  | {
      readonly code: CorsCheckFailure;
      readonly allowOrigin: string | null;
      readonly allowCredentials: string | null;
      readonly status: number;
    }
  | PreflightFailure
  | { readonly code: 'RedirectContainsCredentials'; readonly location: string }
  | { readonly code: 'CorsDisabledScheme'; readonly location: string }
  | { readonly code: 'UnsafeRedirect'; readonly location: string }
  | { readonly code: 'InvalidRedirect'; readonly location: string }
  | { readonly code: 'TooManyRedirects'; readonly limit: number }
  | { readonly code: 'UnsafePort'; readonly url: string }
  | { readonly code: 'MixedContent'; readonly url: string };

/** Where and for what request the failure happened. */
export interface FailureContext {
  readonly profile: BrowserProfile;
  /** The page origin (what the console names, even once the request origin became `null`). */
  readonly pageOrigin: string;
  /** The Origin the request carried at that point (`null` after a tainting redirect). */
  readonly requestOrigin: string;
  /** The URL asked for. */
  readonly firstUrl: string;
  /** The URL whose response failed. */
  readonly url: string;
  readonly hop: number;
  readonly method: string;
  readonly credentials: CredentialsMode;
  readonly unsafeHeaderNames: readonly string[];
  /** Index of the failed step, null when nothing was sent. */
  readonly step: number | null;
  /**
   * The failed response's status and its number of Access-Control-Allow-Origin lines, when a
   * response failed: Firefox's console line depends on both.
   */
  readonly response?: { readonly status: number; readonly allowOriginLines: number };
}

/** The detail of a failure with code `C` (a variant whose code union holds `C`). */
export type DetailOf<C extends BrowserFailureCode> = FailureDetail extends infer D
  ? D extends { readonly code: infer K }
    ? C extends K
      ? D
      : never
    : never
  : never;

/**
 * All there is to say about one failure code. Methods rather than function properties, so that an
 * entry for one code can stand where an entry for any code is expected.
 */
export interface FailureEntry<C extends BrowserFailureCode> {
  /** Chromium's console line (`cors_error_string.cc` wording, verified on Chromium 156). */
  chromium(detail: DetailOf<C>, ctx: FailureContext): string;
  /** Firefox's console line (`security.properties` `CORS*` strings, compared with ESR 153). */
  firefox(detail: DetailOf<C>, ctx: FailureContext): string;
  /** WebKit's console line (from its source; see `webkitAllowOrigin` in wording.ts). */
  webkit(detail: DetailOf<C>, ctx: FailureContext): string;
  /** What went wrong, in plain words, with the specifics of this response. */
  explain(detail: DetailOf<C>, ctx: FailureContext): string;
  /** The value at fault, when the failure quotes one (else the empty string). */
  failedParameter?(detail: DetailOf<C>): string;
  /** What to change, allowing exactly `policy` (what the request checked needs). */
  fix(detail: DetailOf<C>, ctx: FailureContext, policy: NeededPolicy): Fix;
}

/** One entry per code of `C`: a code without an entry does not compile. */
export type FailureTable<C extends BrowserFailureCode = BrowserFailureCode> = {
  readonly [K in C]: FailureEntry<K>;
};
