/**
 * The generate view's model, pure: the form's fields as a policy document, and one run of a
 * generator over a document, told apart as what the user must fix (the JSON, the policy) or what
 * the server cannot say (the generator's refusal). Nothing here touches the DOM or the network.
 */
import { CorsConfigError, type CorsConfigIssue, CorsRoutesError, parsePolicyFile } from 'corsproof';
// The registry and the target types, not the generate index: its presets reach into the checker,
// which the page's bundle must not carry (undici, node: modules).
import { generate, TARGETS } from '../../../../src/generate/registry.js';
import { GenerateError, type GenerateWarning } from '../../../../src/generate/target.js';

/** The fields of the form: one policy, as text the user types. */
export interface PolicyFormValues {
  /** One origin or pattern per line. */
  readonly origins: string;
  readonly credentials: boolean;
  /** Comma- or space-separated; empty for the library's default. */
  readonly methods: string;
  readonly requestHeaders: string;
  readonly exposeHeaders: string;
  /** Seconds; empty for the library's default. */
  readonly maxAge: string;
  readonly privateNetwork: boolean;
}

export const INITIAL_FORM: PolicyFormValues = {
  origins: 'https://app.example.com\nhttps://admin.example.com',
  credentials: true,
  methods: 'GET, POST, PUT, DELETE',
  requestHeaders: 'Content-Type, Authorization',
  exposeHeaders: '',
  maxAge: '600',
  privateNetwork: false,
};

/** Every target the generators know, in the CLI's `--help` order. */
export const TARGET_CHOICES: readonly { readonly name: string; readonly summary: string }[] = [
  ...TARGETS.values(),
].map((t) => ({ name: t.name, summary: t.summary }));

function list(text: string, separator: RegExp): string[] {
  return text
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * The policy document the form describes. Empty lists and an empty max-age are left out so the
 * library's defaults apply; a max-age that is not a whole number is kept as typed, so validation
 * reports it at `maxAge` instead of it vanishing.
 */
export function formToDocument(values: PolicyFormValues): Record<string, unknown> {
  const methods = list(values.methods, /[\s,]+/);
  const requestHeaders = list(values.requestHeaders, /[\s,]+/);
  const exposeHeaders = list(values.exposeHeaders, /[\s,]+/);
  const maxAge = values.maxAge.trim();
  return {
    origins: list(values.origins, /\n/),
    ...(values.credentials && { credentials: true }),
    ...(methods.length > 0 && { methods }),
    ...(requestHeaders.length > 0 && { requestHeaders }),
    ...(exposeHeaders.length > 0 && { exposeHeaders }),
    ...(maxAge !== '' && { maxAge: /^\d+$/.test(maxAge) ? Number(maxAge) : maxAge }),
    ...(values.privateNetwork && { privateNetwork: true }),
  };
}

/** A problem of the policy, as `CorsConfigError` and `CorsRoutesError` list them. */
export interface PolicyIssue {
  readonly code: string;
  /** Where in the document: `origins[1]`, `policies.partners.maxAge`; '' for the whole file. */
  readonly path: string;
  readonly reason: string;
  readonly fix: string;
}

export type GenerateOutcome =
  /** The JSON editor's text is not JSON. */
  | { readonly kind: 'unreadable'; readonly message: string }
  /** The policy is refused by the library's validation. */
  | { readonly kind: 'invalid'; readonly issues: readonly PolicyIssue[] }
  /** The target cannot say the policy without loosening it. */
  | { readonly kind: 'refused'; readonly code: string; readonly message: string }
  | {
      readonly kind: 'generated';
      readonly config: string;
      readonly fileName: string;
      readonly warnings: readonly GenerateWarning[];
    };

function issuesOf(error: unknown): readonly CorsConfigIssue[] | null {
  if (error instanceof CorsConfigError) return error.issues;
  if (error instanceof CorsRoutesError) return error.issues as readonly CorsConfigIssue[];
  return null;
}

/** Parses the raw editor's text; a syntax error is an outcome, not an exception. */
export function readDocument(text: string): { document: unknown } | GenerateOutcome {
  try {
    return { document: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      kind: 'unreadable',
      message: `corsproof: the policy file is not JSON: ${(error as Error).message}. Fix: check the quotes, commas and brackets near that position.`,
    };
  }
}

/**
 * Validates `document` as a policy file and generates `target`'s configuration. Errors other than
 * the library's own (a bug) are thrown, so they are never shown as a configuration.
 */
export function runGenerate(document: unknown, target: string): GenerateOutcome {
  let file: ReturnType<typeof parsePolicyFile>;
  try {
    file = parsePolicyFile(document);
  } catch (error) {
    const issues = issuesOf(error);
    if (issues === null) throw error;
    return {
      kind: 'invalid',
      issues: issues.map(({ code, path, reason, fix }) => ({ code, path, reason, fix })),
    };
  }
  const chosen = TARGETS.get(target);
  if (chosen === undefined)
    throw new TypeError(`corsproof: no generator for ${JSON.stringify(target)}`);
  try {
    const { config, fileName, warnings } = generate(file, chosen);
    return { kind: 'generated', config, fileName, warnings };
  } catch (error) {
    if (error instanceof GenerateError) {
      return { kind: 'refused', code: error.code, message: error.message };
    }
    throw error;
  }
}

/** One sentence for a screen reader when the outcome changes; the details stay on the page. */
export function outcomeSummary(outcome: GenerateOutcome, target: string): string {
  switch (outcome.kind) {
    case 'unreadable':
      return 'The policy file is not JSON.';
    case 'invalid':
      return `The policy has ${outcome.issues.length === 1 ? 'a problem' : `${outcome.issues.length} problems`}; nothing generated.`;
    case 'refused':
      return `Cannot generate ${target} configuration for this policy.`;
    case 'generated':
      return outcome.warnings.length === 0
        ? `Generated ${target} configuration.`
        : `Generated ${target} configuration with ${outcome.warnings.length} ${outcome.warnings.length === 1 ? 'warning' : 'warnings'}.`;
  }
}
