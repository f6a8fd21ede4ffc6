/**
 * The words of the start-up errors every adapter can throw whatever the policy (an unknown policy
 * name, no policy, something that is not a policy, a prevalidated policy that does not check out),
 * in the Node build: why, and what to write instead. The edge build has startup-messages.edge.ts
 * instead (scripts/build-edge.mjs swaps it in): the same codes with a few words and a link to
 * docs/errors.md, which is written from this module (startup-messages-doc.ts), so the page and
 * these words cannot drift apart.
 */

/** Why a value is refused, and what to write instead. */
export interface Words {
  readonly reason: string;
  readonly fix: string;
}

/** What is wrong with a prevalidated policy. */
export type RecordProblem = 'version' | 'edited' | 'revalidated';

const REGENERATE = 'write it again with prevalidatePolicy() of this corsproof';

/** The words of each code, by what the caller knows. */
export const STARTUP_MESSAGES = {
  POLICY_INVALID: (value: unknown): Words => ({
    reason:
      'a policy is CORS options, a compiled policy, false (no CORS) or the name of a registered policy',
    fix:
      value === true
        ? 'write the options, or the name of a registered policy'
        : 'pass options such as { origins: ["https://app.example.com"] }',
  }),
  POLICY_UNKNOWN: (names: readonly string[]): Words => ({
    reason: `no policy is registered under this name (${
      names.length === 0
        ? 'no named policies are registered'
        : `the registered ones are ${names.map((n) => JSON.stringify(n)).join(', ')}`
    })`,
    fix: 'register it in policies, or fix the name',
  }),
  POLICY_DEFAULT_MISSING: (): Words => ({
    reason: 'no policy was given and no default policy is defined',
    fix: 'pass options, e.g. cors({ origins: ["https://app.example.com"] }), or define a default policy',
  }),
  VALIDATED_POLICY_INVALID: (problem: RecordProblem, version: unknown, reads: number): Words =>
    problem === 'version'
      ? {
          reason: `a prevalidated policy of version ${JSON.stringify(version)}, not ${reads}`,
          fix: REGENERATE,
        }
      : problem === 'edited'
        ? {
            reason: 'a prevalidated policy edited after it was written (its checksum differs)',
            fix: `${REGENERATE}; change the options, not the record`,
          }
        : {
            reason: 'a prevalidated policy whose options validate to another configuration',
            fix: REGENERATE,
          },
};
