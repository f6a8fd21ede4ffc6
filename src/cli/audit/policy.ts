/**
 * `corsproof audit --policy FILE`: audits a corsproof policy (JSON, or a module exporting it as
 * default) without sending anything, printed for a person, as JSON or as a SARIF log.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CorsOptions } from 'corsproof';
import { CorsConfigError, type CorsPolicy, compilePolicy } from 'corsproof';
import type { Finding } from '../../audit/index.js';
import { auditPolicy, makeFinding, toSarif } from '../../audit/index.js';
import { EXIT_FAIL, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { type Terminal, useColor } from '../terminal.js';
import { packageVersion } from '../version.js';
import { type AuditFlags, type Format, hasSerious } from './flags.js';
import { formatPolicyAudit } from './format.js';

/** A policy file that cannot be read or loaded; its message says what to do. */
class PolicyFileError extends Error {}

/** Reads a policy file: JSON, or a module whose default export is the options (or a compiled policy). */
async function loadPolicy(file: string): Promise<CorsPolicy> {
  const absolute = path.resolve(file);
  let options: unknown;
  if (/\.(m|c)?js$/i.test(file)) {
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(absolute).href)) as { default?: unknown };
    } catch (error) {
      throw new PolicyFileError(`cannot load ${JSON.stringify(file)}: ${(error as Error).message}`);
    }
    if (mod.default === undefined) {
      throw new PolicyFileError(
        `${JSON.stringify(file)} has no default export; export the options as default: export default { origins: [...] }`,
      );
    }
    options = mod.default;
  } else {
    let text: string;
    try {
      text = await readFile(absolute, 'utf8');
    } catch (error) {
      throw new PolicyFileError(`cannot read ${JSON.stringify(file)}: ${(error as Error).message}`);
    }
    try {
      options = JSON.parse(text);
    } catch (error) {
      throw new PolicyFileError(
        `${JSON.stringify(file)} is not valid JSON: ${(error as Error).message}`,
      );
    }
  }
  const maybe = options as { decide?: unknown; config?: unknown } | null;
  if (
    maybe !== null &&
    typeof maybe === 'object' &&
    typeof maybe.decide === 'function' &&
    maybe.config !== undefined
  ) {
    return options as CorsPolicy;
  }
  // Throws a CorsConfigError listing every problem.
  return compilePolicy(options as CorsOptions);
}

export async function runPolicy(
  file: string,
  flags: AuditFlags,
  format: Format,
  terminal: Terminal,
): Promise<number> {
  let findings: Finding[];
  try {
    const policy = await loadPolicy(file);
    findings = await auditPolicy(policy, {
      ...(flags.origin === undefined ? {} : { trustedOrigins: [flags.origin] }),
      target: file,
    });
  } catch (error) {
    if (error instanceof CorsConfigError) {
      // A human reads the library's own message; a pipeline gets the refusal as findings in the
      // format it asked for, so its code scanning shows why the policy cannot ship.
      if (format === 'human') {
        terminal.stderr.write(`${error.message}\n`);
        return EXIT_USAGE;
      }
      findings = refusalFindings(error, flags.origin ?? file);
      return report(file, findings, flags, format, terminal);
    }
    if (error instanceof PolicyFileError) {
      terminal.stderr.write(`corsproof: --policy: ${error.message}\n`);
      return EXIT_USAGE;
    }
    // auditPolicy's own refusals (a predicate without --origin, an --origin that is not one).
    if (error instanceof TypeError && error.message.startsWith('corsproof:')) {
      terminal.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  return report(file, findings, flags, format, terminal);
}

/** Each issue of a refused policy as a `policy-refused` finding. */
function refusalFindings(error: CorsConfigError, origin: string): Finding[] {
  return error.issues.map((issue) =>
    makeFinding('policy-refused', {
      origin,
      message: `${issue.path}: ${issue.reason} (${issue.code}); ${issue.fix}`,
      credentials: false,
      impact: 'none',
    }),
  );
}

function report(
  file: string,
  findings: readonly Finding[],
  flags: AuditFlags,
  format: Format,
  terminal: Terminal,
): number {
  if (format === 'json')
    terminal.stdout.write(`${JSON.stringify({ target: file, findings }, null, 2)}\n`);
  else if (format === 'sarif') {
    const log = toSarif([{ target: file, findings }], packageVersion());
    terminal.stdout.write(`${JSON.stringify(log, null, 2)}\n`);
  } else terminal.stdout.write(formatPolicyAudit(file, findings, { color: useColor(terminal) }));
  return hasSerious(findings, flags.failOn) ? EXIT_FAIL : EXIT_OK;
}
