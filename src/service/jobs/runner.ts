/**
 * The glue between the service and the engines: a `Runner` runs one check or one audit. The
 * service depends on this interface only, so tests inject a fake runner and the real one stays a
 * thin wrapper that sends every request through the SSRF-guarded dispatcher.
 */
import type { Dispatcher } from 'undici';
import type { Finding } from '../../audit/index.js';
import { audit } from '../../audit/index.js';
import { type CheckResult, check } from '../../check/index.js';
import { DEFAULT_FIX_TARGETS, withFixSnippets } from '../../generate/index.js';
import { createGuardedDispatcher, type GuardedDispatcherOptions } from '../guard/index.js';
import { createLoopbackRoutingDispatcher } from '../guard/loopback-dispatcher.js';
import type { PrivateTargets } from '../guard/target-policy.js';
import type { AuditInput, CheckInput } from '../routes/inputs.js';

/**
 * The emulation a stored input asks for. Monitors created before `emulate` stored `galxe: true`
 * instead, and keep running as they were created.
 */
function emulationOf(input: CheckInput): string | null {
  const legacy = (input as { readonly galxe?: unknown }).galxe === true ? 'galxe' : null;
  return input.emulate ?? legacy;
}

/**
 * What the service needs of an audit report (the auditor's `AuditReport` has it and more; the rest
 * is stored as it comes). Narrow on purpose, so tests can fake a runner with just findings.
 */
export interface AuditReport {
  readonly findings: readonly Finding[];
  /** Set when the target itself could not be audited. */
  readonly error?: unknown;
}

/** Runs checks and audits. Implementations must not throw for network failures (they are results). */
export interface Runner {
  /** One check. `signal` aborts it (deadline or shutdown). */
  check(input: CheckInput, signal: AbortSignal): Promise<CheckResult>;
  /** One audit. */
  audit(input: AuditInput, signal: AbortSignal): Promise<AuditReport>;
  /** Releases connections. */
  close(): Promise<void>;
}

/** Options of the real runner. */
export interface RunnerOptions {
  /** Which targets may be reached; must be the mode the routes validated URLs with. */
  readonly privateTargets: PrivateTargets;
  /** Timeouts and size limits of the guarded dispatcher. */
  readonly dispatcher?: Omit<GuardedDispatcherOptions, 'allowPrivateTargets'>;
}

/** Settles like `task`, or rejects with the abort reason as soon as `signal` aborts. */
export function abortable<T>(task: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    task.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function guardedDispatcher(options: RunnerOptions): Dispatcher {
  const base = options.dispatcher ?? {};
  if (options.privateTargets === 'loopback') {
    return createLoopbackRoutingDispatcher(base);
  }
  return createGuardedDispatcher({
    ...base,
    allowPrivateTargets: options.privateTargets === 'private',
  });
}

/**
 * The real runner: corsproof's checker over one shared guarded dispatcher (keep-alive across
 * checks; every connection validated by the guard, on every redirect hop).
 *
 * An abort (deadline or shutdown) cancels the check's exchange in flight, connecting or not, and
 * `abortable` settles the task at once whatever the task is doing.
 */
export function createRunner(options: RunnerOptions): Runner {
  const dispatcher = guardedDispatcher(options);
  return {
    check(input, signal) {
      const emulate = emulationOf(input);
      const run = check({
        url: input.url,
        origin: input.origin,
        method: input.method,
        headers: input.headers,
        ...(input.credentials === undefined ? {} : { credentials: input.credentials }),
        body: input.body,
        browser: input.browser,
        preflightOnly: input.preflightOnly,
        ...(emulate === null ? {} : { emulate }),
        ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }),
        dispatcher,
        signal,
      }).then((result) => withFixSnippets(result, DEFAULT_FIX_TARGETS));
      return abortable(run, signal);
    },
    audit(input, signal) {
      // The auditor sends only GETs and preflights (never the state-changing request itself), so
      // `allowUnsafeMethods` has nothing to unlock here.
      const run = audit({
        url: input.url,
        origin: input.origin,
        method: input.method,
        headers: input.headers,
        credentials: input.credentials,
        browser: input.browser,
        ...(input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs }),
        dispatcher,
        signal,
      });
      return abortable(run, signal);
    },
    close() {
      return dispatcher.close();
    },
  };
}
