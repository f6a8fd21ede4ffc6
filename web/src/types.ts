/**
 * The shapes the service's JSON API takes and sends. Request bodies are the service's own types
 * and results are the checker's and the auditor's, imported (types only: nothing is bundled), so
 * the page stops compiling when they change instead of rendering `undefined`. The response
 * envelopes follow the JSON Schemas of src/service/routes/*.schema.ts, which publish no TypeScript
 * types for responses.
 */
export type { Evidence, Finding, FindingId, Severity } from '../../src/audit/findings.js';
export type { BrowserName } from '../../src/check/profiles.js';
export type {
  CheckResult,
  CorsStatus,
  CredentialsMode,
  EmulationProbe,
  EmulationReport,
  Failure,
  Fix,
  FixSnippet,
  NetworkError,
  PreflightCacheReport,
  PreflightTrigger,
  ReadableResponse,
  ReceivedResponse,
  RequestPlan,
  SentRequest,
  Step,
  Verdict,
  Warning,
} from '../../src/check/result.js';
export type { AuditBody as AuditInput } from '../../src/service/routes/audits.schema.js';
export type { BatchBody as BatchRequest } from '../../src/service/routes/batches.schema.js';
export type {
  CheckBody as CheckInput,
  CheckListQuery as CheckFilter,
} from '../../src/service/routes/checks.schema.js';
export type { MonitorBody as MonitorInput } from '../../src/service/routes/monitors.schema.js';
export type { Outcome } from '../../src/service/routes/shared.schema.js';

import type { Finding } from '../../src/audit/findings.js';
import type { BrowserName } from '../../src/check/profiles.js';
import type { CheckResult, CredentialsMode, Verdict } from '../../src/check/result.js';
import type { Outcome } from '../../src/service/routes/shared.schema.js';

export type HeaderPair = readonly [name: string, value: string];

/** Something the service changed about a request, and why (e.g. preflight only). */
export interface Notice {
  readonly code: string;
  readonly message: string;
}

/** A check's input as the service ran it: normalized, credentials redacted. */
export interface StoredCheckInput {
  readonly url: string;
  readonly origin: string;
  readonly method: string;
  readonly headers: readonly HeaderPair[];
  readonly credentials?: CredentialsMode;
  readonly body: string | null;
  readonly browser: BrowserName;
  readonly preflightOnly: boolean;
  /** The emulated server-side checker's id, null for a browser (absent in checks stored before). */
  readonly emulate?: string | null;
  /** How checks stored before `emulate` said `emulate: "galxe"`. */
  readonly galxe?: boolean;
  readonly timeoutMs?: number;
  readonly allowUnsafeMethods: boolean;
}

export interface StoredAuditInput {
  readonly url: string;
  readonly origin: string;
  readonly method: string;
  readonly headers: readonly HeaderPair[];
  readonly credentials: boolean;
  readonly browser: BrowserName;
  readonly allowUnsafeMethods: boolean;
}

export interface CheckRecord {
  readonly id: string;
  readonly createdAt: string;
  readonly input: StoredCheckInput;
  readonly notices: readonly Notice[];
  readonly result: CheckResult;
}

/** One line of the history (`GET /api/checks`). */
export interface CheckSummary {
  readonly id: string;
  readonly createdAt: string;
  readonly url: string;
  readonly origin: string;
  readonly method: string;
  readonly verdict: Verdict;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** An exchange of an audit that failed below HTTP: it says nothing about CORS. */
export interface AuditProblem {
  /** The Origin sent, or `(none)`. */
  readonly origin: string;
  /** Which exchange: `get`, `preflight`, `no-origin`... */
  readonly leg: string;
  readonly code: string;
  readonly message: string;
  readonly detail: string;
}

export interface AuditReport {
  readonly findings: readonly Finding[];
  /** Set when the trusted origin's own request failed: the audit has no result at all. */
  readonly error?: AuditProblem | null;
  /** Exchanges that failed at the network level; their probes were not judged. */
  readonly errors?: readonly AuditProblem[];
  /** Requests sent, all exchanges together. */
  readonly requests?: number;
}

export interface AuditRecord {
  readonly id: string;
  readonly createdAt: string;
  readonly input: StoredAuditInput;
  readonly notices: readonly Notice[];
  /** `failed` when a finding is of medium severity or above. */
  readonly outcome: Outcome;
  readonly result: AuditReport;
}

export type RunState = 'pending' | 'running' | 'done';

export interface BatchAccepted {
  readonly id: string;
  readonly status: RunState;
  readonly total: number;
}

export interface BatchProgress {
  readonly done: number;
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
}

/** What a batch target or monitor run stores when its task threw instead of giving a result. */
export interface TaskFailure {
  readonly verdict: 'error';
  readonly error: { readonly code: string; readonly message: string };
}

/** One target of a batch, as `GET /api/batches/:id` and the `result` event carry it. */
export interface BatchTarget {
  /** Index in the submitted `targets`. */
  readonly position: number;
  readonly state: RunState;
  /** Completion order, 1 to total; the SSE event id of its `result` event. */
  readonly seq: number | null;
  readonly outcome: Outcome | null;
  readonly input: StoredCheckInput | StoredAuditInput;
  readonly notices?: readonly Notice[];
  readonly result: CheckResult | AuditReport | TaskFailure | null;
  readonly finishedAt: string | null;
}

export type BatchKind = 'check' | 'audit';

export interface Batch {
  readonly id: string;
  readonly kind: BatchKind;
  readonly status: RunState;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly progress: BatchProgress;
  readonly results: Page<BatchTarget>;
}

export type MonitorStatus = Outcome | 'pending';

export interface Monitor {
  readonly id: string;
  readonly createdAt: string;
  readonly input: StoredCheckInput;
  readonly notices?: readonly Notice[];
  readonly intervalSeconds: number;
  readonly nextRunAt: string;
  readonly lastRunAt: string | null;
  /** The outcome of the last run. */
  readonly status: MonitorStatus;
  /** Paused: not run until resumed. */
  readonly paused: boolean;
}

/** One header that differs between two runs; null means absent. `:status` is the status code. */
export interface HeaderChange {
  readonly exchange: 'preflight' | 'response';
  readonly name: string;
  readonly before: string | null;
  readonly after: string | null;
}

export interface MonitorTransition {
  readonly at: string;
  /** null for the first run, the baseline. */
  readonly from: Outcome | null;
  readonly to: Outcome;
  readonly changes: readonly HeaderChange[];
  readonly result?: CheckResult | TaskFailure;
}

export interface MonitorRun {
  readonly at: string;
  readonly outcome: Outcome;
  readonly verdict: string;
}

export interface MonitorDetail {
  readonly monitor: Monitor;
  /** Newest first. */
  readonly transitions: readonly MonitorTransition[];
  /** The latest runs, newest first. */
  readonly runs: readonly MonitorRun[];
}

/** What an API token may do (see the service's README). */
export type Scope = 'read' | 'run' | 'monitors' | 'metrics' | 'admin';

/** `GET /api/session`. */
export interface Session {
  readonly auth: 'tokens' | 'off';
  readonly name: string;
  readonly scope: Scope;
}

/** A token as listed (never its text). */
export interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly scope: Scope;
  readonly createdAt: string;
  readonly createdBy: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

/** One entry of `GET /api/audit-log`. */
export interface AuditLogEntry {
  readonly id: string;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly resource: string;
  readonly resourceId: string | null;
  readonly status: number;
}

/** One line of `GET /api/audits`. */
export interface AuditSummary {
  readonly id: string;
  readonly createdAt: string;
  readonly url: string;
  readonly origin: string;
  readonly outcome: Outcome;
}

/** One line of `GET /api/batches`. */
export interface BatchSummary {
  readonly id: string;
  readonly kind: 'check' | 'audit';
  readonly status: 'pending' | 'running' | 'done';
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly progress: BatchProgress;
}
