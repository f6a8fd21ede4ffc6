/**
 * A checker's fix as configuration: the policy a failed request needs (`Fix.policy`, data from
 * the checker) rendered for each server by the same generators as `corsproof generate`, so a fix
 * and a generated configuration never disagree. Three stages: the needed policy as a policy file
 * document, that document parsed (the policy engine's own validation), then one generator per
 * target. What a target cannot express comes back as the generator's error, and what it writes
 * more strictly as its warnings: never a looser snippet.
 *
 * Imports only the registry and the target types (never ./index.ts, whose presets pull the
 * checker in), so the page's bundle can render snippets too.
 */
import { type CorsOptions, type PolicyFile, parsePolicyFile } from 'corsproof';
import type { CheckResult, Failure, Fix, FixSnippet, NeededPolicy } from '../check/index.js';
import { DEFAULT_FIX_TARGETS } from './fix-targets.js';
import { generate } from './registry.js';
import { GenerateError, type TargetName } from './target.js';

export { DEFAULT_FIX_TARGETS, FixTargetError, parseFixTargets } from './fix-targets.js';

/**
 * Stage 1: the needed policy as a policy file document (`corsproof generate --policy`'s input),
 * with only the fields the request needs.
 *
 * @example
 * policyDocumentFor({ origin: 'https://app.example', credentials: false, methods: ['PUT'], requestHeaders: [] })
 * // { origins: ['https://app.example'], methods: ['PUT'] }
 */
export function policyDocumentFor(policy: NeededPolicy): CorsOptions {
  return {
    origins: policy.origin === '*' ? '*' : [policy.origin],
    ...(policy.credentials ? { credentials: true } : {}),
    ...(policy.methods.length > 0 ? { methods: [...policy.methods] } : {}),
    ...(policy.requestHeaders.length > 0 ? { requestHeaders: [...policy.requestHeaders] } : {}),
  };
}

/** Stage 2: the document validated by the policy engine, or why it refuses it. */
function parseNeeded(policy: NeededPolicy): PolicyFile | Error {
  try {
    return parsePolicyFile(policyDocumentFor(policy));
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Stage 3: one target's configuration, or its refusal. */
function renderTarget(file: PolicyFile | Error, target: TargetName): FixSnippet {
  if (file instanceof Error) return refused(target, file.message);
  try {
    const out = generate(file, target);
    return {
      target,
      fileName: out.fileName,
      code: out.config,
      warnings: out.warnings.map((w) => ({ code: w.code, message: w.message })),
      error: null,
    };
  } catch (error) {
    if (error instanceof GenerateError) return refused(target, error.message);
    throw error;
  }
}

function refused(target: TargetName, message: string): FixSnippet {
  return { target, fileName: null, code: null, warnings: [], error: message };
}

/**
 * The needed policy as each target's configuration, exactly what `corsproof generate --for
 * TARGET` writes for the same policy.
 *
 * @example
 * snippetsFor(failure.fix.policy, ['nginx'])[0]?.code // the nginx configuration
 */
export function snippetsFor(
  policy: NeededPolicy,
  targets: readonly TargetName[] = DEFAULT_FIX_TARGETS,
): FixSnippet[] {
  const file = parseNeeded(policy);
  return targets.map((target) => renderTarget(file, target));
}

/**
 * The result with every fix's snippets rendered (the failures' and the emulation report's); a
 * fix without a policy gets none. Each distinct policy is rendered once.
 */
export function withFixSnippets(
  result: CheckResult,
  targets: readonly TargetName[] = DEFAULT_FIX_TARGETS,
): CheckResult {
  const rendered = new Map<string, FixSnippet[]>();
  const render = (fix: Fix): Fix => {
    if (fix.policy === null) return { ...fix, snippets: [] };
    const key = JSON.stringify(fix.policy);
    let snippets = rendered.get(key);
    if (snippets === undefined) {
      snippets = snippetsFor(fix.policy, targets);
      rendered.set(key, snippets);
    }
    return { ...fix, snippets };
  };
  const withFix = (failure: Failure): Failure => ({ ...failure, fix: render(failure.fix) });
  const emulation =
    result.emulation === null
      ? null
      : { ...result.emulation, failures: result.emulation.failures.map(withFix) };
  if (result.verdict !== 'blocked') return { ...result, emulation };
  const [first, ...more] = result.failures;
  return { ...result, emulation, failures: [withFix(first), ...more.map(withFix)] };
}
