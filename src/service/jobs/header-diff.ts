/**
 * The CORS-relevant part of a check's responses, and what changed between two runs of a monitor:
 * the status and the `Access-Control-*` and `Vary` headers of the last preflight and of the last
 * actual response, the ones that decided the verdict.
 */
import type { CheckResult, Step } from '../../check/index.js';
import type { HeaderChange, HeaderSnapshot } from '../store/monitors.js';

export const EMPTY_SNAPSHOT: HeaderSnapshot = Object.freeze({ preflight: {}, response: {} });

/** Whether a response header takes part in CORS. */
export function isCorsRelevant(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('access-control-') || lower === 'vary';
}

function snapshotOf(step: Step | undefined): Record<string, string> {
  if (step === undefined || step.outcome !== 'response') return {};
  const out: Record<string, string> = { ':status': String(step.response.status) };
  for (const [name, value] of step.response.headers) {
    if (!isCorsRelevant(name)) continue;
    const key = name.toLowerCase();
    // Two lines stay visible as two values: "a, b" (duplicate ACAO lines are themselves a failure).
    out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`;
  }
  return out;
}

/**
 * The snapshot of a result: its last preflight and its last actual request, each by the headers
 * received (or nothing, for a network error or an exchange that was not made).
 */
export function corsHeaders(result: Pick<CheckResult, 'steps'>): HeaderSnapshot {
  const last = (kind: Step['kind']) => result.steps.filter((s) => s.kind === kind).at(-1);
  return { preflight: snapshotOf(last('preflight')), response: snapshotOf(last('request')) };
}

/** Every header that differs between `before` (null for a first run) and `after`, sorted by name. */
export function diffHeaders(before: HeaderSnapshot | null, after: HeaderSnapshot): HeaderChange[] {
  const previous = before ?? EMPTY_SNAPSHOT;
  const changes: HeaderChange[] = [];
  for (const exchange of ['preflight', 'response'] as const) {
    const a = previous[exchange];
    const b = after[exchange];
    const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const name of names) {
      const was = a[name] ?? null;
      const now = b[name] ?? null;
      if (was !== now) changes.push({ exchange, name, before: was, after: now });
    }
  }
  return changes;
}
