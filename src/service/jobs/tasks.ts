/**
 * One check or audit, run the way the service runs every one: in a slot of the global executor,
 * under a deadline, and with its result redacted before anyone stores or sends it.
 */

import { AuditInputError } from '../../audit/index.js';
import { CheckInputError, type CheckResult } from '../../check/index.js';
import { ServiceBusyError } from '../limits/concurrency-limit.js';
import { type Safekeeping, SealedInputError } from '../redaction/safekeeping.js';
import type { AuditInput, CheckInput } from '../routes/inputs.js';
import type { Outcome } from '../routes/shared.schema.js';
import { DeadlineError, type Executor } from './executor.js';
import { auditOutcome, checkOutcome } from './outcomes.js';
import type { AuditReport, Runner } from './runner.js';

/** A finished task: its outcome and its (redacted) result. */
export interface Done<R> {
  readonly outcome: Outcome;
  readonly result: R;
}

/** What a batch target or a monitor run stores when its task threw instead of giving a result. */
export interface TaskFailure {
  readonly verdict: 'error';
  readonly error: { readonly code: TaskFailureCode; readonly message: string };
}

export type TaskFailureCode = 'INVALID_INPUT' | 'DEADLINE' | 'CREDENTIALS_LOST' | 'INTERNAL';

export interface Tasks {
  check(input: CheckInput, signal?: AbortSignal): Promise<Done<CheckResult>>;
  audit(input: AuditInput, signal?: AbortSignal): Promise<Done<AuditReport>>;
}

/** Longest a whole check may take: its exchanges (preflight and request per hop) have their own timeouts. */
export function checkDeadlineMs(timeoutMs = 10_000): number {
  return Math.min(60_000, timeoutMs * 4 + 2_000);
}

/** Longest a whole audit may take: it sends one probe per crafted origin. */
export const AUDIT_DEADLINE_MS = 120_000;

export function createTasks(runner: Runner, executor: Executor, keeping: Safekeeping): Tasks {
  return {
    async check(input, signal) {
      const result = await executor.run((s) => runner.check(input, s), {
        deadlineMs: checkDeadlineMs(input.timeoutMs),
        ...(signal === undefined ? {} : { signal }),
      });
      const redacted = keeping.redaction(input.headers).redact(result);
      return { outcome: checkOutcome(redacted), result: redacted };
    },
    async audit(input, signal) {
      const report = await executor.run((s) => runner.audit(input, s), {
        deadlineMs: AUDIT_DEADLINE_MS,
        ...(signal === undefined ? {} : { signal }),
      });
      const redacted = keeping.redaction(input.headers).redact(report);
      return { outcome: auditOutcome(redacted), result: redacted };
    },
  };
}

/**
 * The stored result of a task that threw. Messages of our own errors are safe to keep; anything
 * else is a bug whose message may hold internals, so it is replaced.
 */
export function failureOf(error: unknown): TaskFailure {
  const fail = (code: TaskFailureCode, message: string): TaskFailure => ({
    verdict: 'error',
    error: { code, message },
  });
  if (error instanceof CheckInputError || error instanceof AuditInputError) {
    return fail('INVALID_INPUT', error.message);
  }
  if (error instanceof DeadlineError) return fail('DEADLINE', error.message);
  if (error instanceof SealedInputError) return fail('CREDENTIALS_LOST', error.message);
  return fail(
    'INTERNAL',
    'corsproof: the task failed unexpectedly; the server log has the details',
  );
}

/** Whether `error` means "try again later" rather than "this task failed". */
export function isRetryable(error: unknown): boolean {
  return error instanceof ServiceBusyError;
}
