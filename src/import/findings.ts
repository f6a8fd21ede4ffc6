/**
 * What `corsproof import` reports about a configuration it read: problems with the original (with
 * the auditor's finding ids where the auditor knows the same mistake), and notes where the policy
 * file it wrote differs from the original, always in the stricter direction.
 */

import type { CorsOptions, PolicySetJSON } from 'corsproof';
import type { FindingId } from '../audit/index.js';

/** Ids only the importer emits: mistakes a configuration file can make that a probe never sees. */
export type ImportOnlyFindingId =
  /** nginx: `add_header` without `always` is skipped on 4xx/5xx answers, so errors lose CORS. */
  | 'add-header-without-always'
  /** nginx: an `add_header` in a nested block drops every `add_header` of the enclosing ones. */
  | 'add-header-overridden'
  /** A regular expression of origins that no corsproof pattern says exactly. */
  | 'regex-not-expressible';

export type ImportFindingId = FindingId | ImportOnlyFindingId;

export interface ImportFinding {
  readonly id: ImportFindingId;
  readonly severity: 'high' | 'medium' | 'low' | 'info';
  /** 1-based line of the construct in the input, when known. */
  readonly line?: number;
  /** What is wrong, with an origin or request that shows it. */
  readonly message: string;
}

/** A policy file as `corsproof import` writes it (the JSON form of `src/policy/file.ts`). */
export type ImportedDocument = CorsOptions | PolicySetJSON;

export interface ImportResult {
  /** The policy file, ready for `JSON.stringify` (and for `parsePolicyFile`). */
  readonly file: ImportedDocument;
  readonly findings: readonly ImportFinding[];
  /** Where the policy file differs from the original, and defaults of the library that counted. */
  readonly notes: readonly string[];
}

/** Collects findings and notes while a reader walks its input. */
export class Report {
  readonly findings: ImportFinding[] = [];
  readonly notes: string[] = [];

  finding(
    id: ImportFindingId,
    severity: ImportFinding['severity'],
    message: string,
    line?: number,
  ): void {
    const duplicate = this.findings.some((f) => f.id === id && f.message === message);
    if (!duplicate)
      this.findings.push({ id, severity, message, ...(line !== undefined && { line }) });
  }

  note(message: string): void {
    if (!this.notes.includes(message)) this.notes.push(message);
  }
}
