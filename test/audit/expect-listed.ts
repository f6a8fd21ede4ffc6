/**
 * The zoo's one assertion: an endpoint's audit reports exactly its listed ids, once each, at the
 * listed severities (every id of a vulnerable endpoint lists one), and a safe endpoint no security
 * finding of medium severity or above (it may still break its own origin's requests: breakage).
 */
import { expect } from 'vitest';
import { type AuditReport, severityAtLeast } from '../../src/audit/index.js';
import type { ZooExpectation } from './zoo.js';

export function expectAsListed(entry: ZooExpectation, report: AuditReport | undefined): void {
  expect(report?.error).toBeNull();
  expect(report?.errors).toEqual([]);
  const ids = [...new Set(report?.findings.map((f) => f.id))].sort();
  expect(ids).toEqual([...entry.expected].sort());
  // One finding per id: the explaining bug is reported once.
  expect(report?.findings.length).toBe(ids.length);
  // A vulnerable endpoint is found at its expected severity: every id says which.
  if (!entry.safe) expect(Object.keys(entry.severities ?? {}).sort()).toEqual(ids);
  for (const [id, severity] of Object.entries(entry.severities ?? {})) {
    expect(report?.findings.find((f) => f.id === id)?.severity, id).toBe(severity);
  }
  if (entry.safe) {
    expect(
      report?.findings.filter(
        (f) => f.category === 'security' && severityAtLeast(f.severity, 'medium'),
      ),
    ).toEqual([]);
  }
}
