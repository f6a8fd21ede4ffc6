/**
 * The words of the start-up errors every adapter can throw, in the edge build of corsproof (the
 * `workerd`, `worker` and `browser` export conditions; scripts/build-edge.mjs puts this module in
 * place of startup-messages.ts): a few words saying what is wrong, and the page that says how to
 * fix it, docs/errors.md, which holds the Node build's words for each code.
 */
import { ERRORS_DOCS } from './opt-in-error.js';
import type { RecordProblem, Words } from './startup-messages.js';

const words = (reason: string, code: string): Words => ({
  reason,
  fix: `see ${ERRORS_DOCS}#${code.toLowerCase()}`,
});

/** See startup-messages.ts: the same codes, the words shortened. */
export const STARTUP_MESSAGES = {
  POLICY_INVALID: (_value: unknown) => words('not a policy', 'POLICY_INVALID'),
  POLICY_UNKNOWN: (_names: readonly string[]) => words('no policy has this name', 'POLICY_UNKNOWN'),
  POLICY_DEFAULT_MISSING: () => words('no policy given', 'POLICY_DEFAULT_MISSING'),
  VALIDATED_POLICY_INVALID: (problem: RecordProblem, version: unknown, reads: number) =>
    words(
      problem === 'version'
        ? `version ${JSON.stringify(version)}, not ${reads}`
        : 'edited after it was written',
      'VALIDATED_POLICY_INVALID',
    ),
};
