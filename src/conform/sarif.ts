/**
 * SARIF 2.1.0 for code-scanning pipelines: one result per difference between the live server and
 * its policy file, located at the policy file.
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
import type { DifferenceKind } from './compare.js';
import type { ConformReport } from './conform.js';

interface RuleText {
  readonly title: string;
  readonly level: 'error' | 'warning';
  readonly help: string;
}

/** Widening access is an error; narrowing it, or a cache-only fault, a warning. */
const RULES: Readonly<Record<DifferenceKind, RuleText>> = {
  'allowed-but-policy-refuses': {
    title: 'The server allows a request its policy refuses',
    level: 'error',
    help: 'Make the server answer from the policy file (corsproof generate writes the configuration), or change the policy if the access is intended.',
  },
  'header-exposed-beyond-policy': {
    title: 'The server exposes a response header its policy does not',
    level: 'error',
    help: 'List only the policy exposeHeaders in Access-Control-Expose-Headers.',
  },
  'vary-origin-missing': {
    title: 'A response that depends on Origin lacks Vary: Origin',
    level: 'error',
    help: 'Add Origin to Vary on every response whose CORS headers depend on the Origin header, refused ones included.',
  },
  'refused-but-policy-allows': {
    title: 'The server refuses a request its policy allows',
    level: 'warning',
    help: 'Make the server answer from the policy file; the browser message names the header at fault.',
  },
  'exposed-header-hidden': {
    title: 'A response header the policy exposes is hidden from script',
    level: 'warning',
    help: 'Send Access-Control-Expose-Headers with every name in the policy exposeHeaders.',
  },
  'max-age-differs': {
    title: 'The preflight cache lifetime differs from the policy maxAge',
    level: 'warning',
    help: 'Send Access-Control-Max-Age with the policy maxAge on accepted preflights, and nothing when the policy has none.',
  },
  'network-error': {
    title: 'The server did not answer',
    level: 'error',
    help: 'Check that the URL is right and the server is up and reachable from where conform runs.',
  },
  inconclusive: {
    title: 'No verdict for the live server',
    level: 'warning',
    help: 'Run the case by hand with the curl commands given.',
  },
};

function pascal(id: string): string {
  return id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * Renders a report as a SARIF log; `policyFile` is the path results point at.
 *
 * @example
 * JSON.stringify(toConformSarif(report, 'cors.json', '0.1.0'))
 */
export function toConformSarif(report: ConformReport, policyFile: string, version: string): object {
  const ids = Object.keys(RULES) as DifferenceKind[];
  const rules = ids.map((id) => ({
    id,
    name: pascal(id),
    shortDescription: { text: RULES[id].title },
    help: { text: RULES[id].help },
    defaultConfiguration: { level: RULES[id].level },
    properties: { tags: ['security', 'cors'] },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'corsproof',
            version,
            informationUri: 'https://www.npmjs.com/package/corsproof',
            rules,
          },
        },
        // A server that did not answer leaves the run without a verdict for those cases.
        invocations: [
          { executionSuccessful: !report.differences.some((d) => d.kind === 'network-error') },
        ],
        results: report.differences.map((d) => ({
          ruleId: d.kind,
          ruleIndex: ids.indexOf(d.kind),
          level: RULES[d.kind].level,
          message: {
            text: `${d.case.title} (${d.case.id}): ${d.message}. Expected ${d.expected}; got ${d.actual}.`,
          },
          locations: [{ physicalLocation: { artifactLocation: { uri: policyFile } } }],
          // The case id and the server are what stay the same from one run to the next.
          partialFingerprints: { corsproofConform: `${d.kind}:${report.url}:${d.case.id}` },
          properties: { url: new URL(d.case.path, report.url).href, curl: d.curl },
        })),
      },
    ],
  };
}
