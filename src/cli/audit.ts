/**
 * `corsproof audit`: which origins does this endpoint (or this corsproof policy) really trust?
 *
 *   corsproof audit <url> --origin <trusted-origin> [--credentials] [--cookie C] [-H 'N: v']...
 *     [-X METHOD] [--browser chromium|firefox] [--timeout MS] [--json | --format human|json|sarif]
 *   corsproof audit --input FILE [--concurrency N] [...defaults for every line]
 *   corsproof audit --policy FILE [--origin <trusted-origin>] [--json | --format ...]
 *
 * Exit codes: 0 no finding of medium severity or above, 1 at least one, 2 usage or network error
 * (the trusted origin's own GET failed, or some probes failed and nothing serious was proven).
 * In batch mode results stream out as JSON lines in the order they finish (or one SARIF log at
 * the end); the exit code is the worst one.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Command, Option } from 'commander';
import { audit } from '../audit/audit.js';
import { parseAuditBatch } from '../audit/batch-input.js';
import { AuditInputError } from '../audit/errors.js';
import { type Finding, severityAtLeast } from '../audit/findings.js';
import { formatAuditReport, formatPolicyAudit } from '../audit/format.js';
import type { AuditOptions } from '../audit/options.js';
import { auditPolicy } from '../audit/policy-audit.js';
import type { AuditReport } from '../audit/report.js';
import { type AuditedTarget, toSarif } from '../audit/sarif.js';
import { CheckInputError } from '../check/errors.js';
import { BROWSER_NAMES, type BrowserName } from '../check/profiles.js';
import { createCheckDispatcher } from '../check/transport.js';
import { type CorsPolicy, compilePolicy } from '../policy/compile.js';
import { CorsConfigError } from '../policy/errors.js';
import type { CorsOptions } from '../policy/options.js';
import type { CommandState } from './commands.js';
import { EXIT_FAIL, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { collectHeader, collectResolve, parseInteger } from './options.js';
import { packageVersion } from './version.js';

type Format = 'human' | 'json' | 'sarif';

interface AuditFlags {
  origin?: string;
  header?: [string, string][];
  credentials?: boolean;
  cookie?: string;
  method?: string;
  browser: BrowserName;
  timeout?: number;
  json?: boolean;
  format?: Format;
  input?: string;
  concurrency?: number;
  policy?: string;
  resolve?: Record<string, string>;
}

/** Where the command writes; the process streams by default. */
export interface AuditIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

const PROCESS_IO: AuditIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/** Targets audited at once in batch mode, each with its own requests in flight. */
const DEFAULT_BATCH_CONCURRENCY = 4;

/** Registers `audit` on the program; its action stores the exit code in `state.code`. */
export function registerAudit(
  program: Command,
  state: CommandState,
  io: AuditIo = PROCESS_IO,
): void {
  program
    .command('audit')
    .summary('find the origins an endpoint (or a corsproof policy) trusts by mistake')
    .description(
      "Sends crafted origins as a simple GET and as the preflight of a state-changing request (never the request itself) and judges the answers with the browser's CORS rules. Exit code: 0 no finding of medium severity or above, 1 at least one, 2 usage or network error.",
    )
    .argument('[url]', 'the URL to audit')
    .option('--origin <origin>', 'the origin that should be trusted, e.g. https://app.example.com')
    .option(
      '-H, --header <header>',
      "header the calling page sets 'Name: value' (repeatable)",
      collectHeader,
    )
    .option('--credentials', "send the GETs as fetch() with credentials: 'include' would")
    .option('--cookie <cookie>', 'a session Cookie for the GETs (implies --credentials)')
    .option(
      '-X, --method <method>',
      'the state-changing method the preflights ask for (default PUT)',
    )
    .addOption(
      new Option('--browser <name>', 'browser whose rules judge the answers')
        .choices(BROWSER_NAMES)
        .default('chromium'),
    )
    .option(
      '--timeout <ms>',
      'timeout per request in milliseconds (default 10000)',
      parseInteger(1, 600_000),
    )
    .option(
      '--resolve <host:port:addr>',
      'connect to ADDR for HOST:PORT, as curl --resolve (repeatable)',
      collectResolve,
    )
    .option('--json', 'print the report as JSON (same as --format json)')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json', 'sarif']))
    .option('--input <file>', 'batch: URLs one per line, or JSON lines / CSV with url,origin,...')
    .option(
      '--concurrency <n>',
      'requests at once (default 8); with --input, targets audited at once (default 4)',
      parseInteger(1, 64),
    )
    .option(
      '--policy <file>',
      'audit a corsproof policy (JSON, or a .js/.mjs module exporting it as default) without sending anything',
    )
    .action(async (url: string | undefined, flags: AuditFlags, command: Command) => {
      const usage = (message: string) =>
        command.error(`error: ${message}`, { exitCode: EXIT_USAGE });
      if (flags.json && flags.format !== undefined && flags.format !== 'json') {
        usage('give either --json or --format, not both');
        return;
      }
      const format: Format = flags.json ? 'json' : (flags.format ?? 'human');
      if (flags.policy !== undefined) {
        if (url !== undefined || flags.input !== undefined) {
          usage(
            '--policy audits a policy file without network access; give it without a URL or --input',
          );
          return;
        }
        state.code = await runPolicy(flags.policy, flags, format, io);
        return;
      }
      if (flags.input !== undefined) {
        if (url !== undefined) {
          usage('give either a URL or --input, not both');
          return;
        }
        // Batch output is JSON lines unless asked otherwise.
        state.code = await runBatch(
          flags.input,
          flags,
          flags.json ? 'json' : (flags.format ?? 'json'),
          io,
        );
        return;
      }
      if (url === undefined) {
        usage('missing the URL to audit (or --input FILE for a batch, or --policy FILE)');
        return;
      }
      if (flags.origin === undefined) {
        usage(
          'missing --origin, the origin that should be trusted (e.g. --origin https://app.example.com)',
        );
        return;
      }
      state.code = await runSingle(url, flags.origin, flags, format, io);
    });
}

function optionsFrom(flags: AuditFlags): Omit<AuditOptions, 'url' | 'origin'> {
  return {
    headers: flags.header ?? [],
    credentials: flags.credentials === true,
    ...(flags.cookie === undefined ? {} : { cookie: flags.cookie }),
    ...(flags.method === undefined ? {} : { method: flags.method }),
    browser: flags.browser,
    ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout }),
  };
}

/**
 * 2 when the audit has no result; 1 when a finding of medium severity or above is proven (even if
 * some probes failed: what is proven stays proven); 2 when probes failed and nothing serious was
 * proven (the rest is unknown, not clean); else 0.
 */
export function exitCodeOf(report: AuditReport): number {
  if (report.error !== null) return EXIT_USAGE;
  if (hasSerious(report.findings)) return EXIT_FAIL;
  return report.errors.length > 0 ? EXIT_USAGE : EXIT_OK;
}

function hasSerious(findings: readonly Finding[]): boolean {
  return findings.some((f) => severityAtLeast(f.severity, 'medium'));
}

function useColor(stream: AuditIo['stdout'], env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

function isInputError(error: unknown): error is AuditInputError | CheckInputError {
  return error instanceof AuditInputError || error instanceof CheckInputError;
}

function sarifTarget(report: AuditReport): AuditedTarget {
  const errors = report.error !== null ? [report.error] : report.errors;
  return {
    target: report.target,
    findings: report.findings,
    errors: errors.map((e) => `${e.leg} from ${e.origin}: ${e.code}: ${e.message}`),
  };
}

async function runSingle(
  url: string,
  origin: string,
  flags: AuditFlags,
  format: Format,
  io: AuditIo,
): Promise<number> {
  const progress = io.stderr.isTTY === true && format === 'human' ? new Progress(io.stderr) : null;
  // A pool of its own only to pin names; otherwise audit() makes one.
  const dispatcher =
    flags.resolve === undefined
      ? undefined
      : createCheckDispatcher({ connections: flags.concurrency ?? 8, resolve: flags.resolve });
  let report: AuditReport;
  try {
    report = await audit({
      url,
      origin,
      ...optionsFrom(flags),
      ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
      ...(progress === null ? {} : { onProgress: (d: number, t: number) => progress.draw(d, t) }),
      ...(dispatcher ? { dispatcher } : {}),
    });
  } catch (error) {
    if (isInputError(error)) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    progress?.done();
    await dispatcher?.close();
  }
  if (format === 'json') io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === 'sarif') {
    io.stdout.write(
      `${JSON.stringify(toSarif([sarifTarget(report)], packageVersion()), null, 2)}\n`,
    );
  } else io.stdout.write(formatAuditReport(report, { color: useColor(io.stdout, io.env) }));
  return exitCodeOf(report);
}

async function runBatch(
  file: string,
  flags: AuditFlags,
  format: Format,
  io: AuditIo,
): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    io.stderr.write(
      `corsproof: cannot read --input ${JSON.stringify(file)}: ${(error as Error).message}\n`,
    );
    return EXIT_USAGE;
  }
  const lines = parseAuditBatch(text);
  const concurrency = flags.concurrency ?? DEFAULT_BATCH_CONCURRENCY;
  // One keep-alive pool for the whole batch: connections per origin, shared by every audit.
  const dispatcher = createCheckDispatcher({
    connections: 8,
    ...(flags.resolve === undefined ? {} : { resolve: flags.resolve }),
  });
  const progress = io.stderr.isTTY === true ? new Progress(io.stderr) : null;
  const defaults = optionsFrom(flags);
  const tally = { serious: 0, clean: 0, errors: 0, invalid: 0 };
  const sarif: AuditedTarget[] = [];
  let worst = EXIT_OK;
  let finished = 0;
  const emit = (record: object) => io.stdout.write(`${JSON.stringify(record)}\n`);

  let next = 0;
  const worker = async () => {
    for (;;) {
      const item = lines[next++];
      if (item === undefined) return;
      if (!item.ok) {
        tally.invalid++;
        worst = EXIT_USAGE;
        if (format === 'sarif')
          sarif.push({ target: `line ${item.line}`, findings: [], errors: [item.message] });
        else emit({ line: item.line, error: { code: 'INVALID_INPUT', message: item.message } });
      } else {
        const { entry } = item;
        const origin = entry.origin ?? flags.origin;
        try {
          if (origin === undefined) {
            throw new AuditInputError(
              'INVALID_ORIGIN',
              'origin',
              `line ${item.line}: no origin; give --origin for every line, or an "origin" field`,
            );
          }
          const report = await audit({
            ...defaults,
            url: entry.url,
            origin,
            ...(entry.credentials === undefined ? {} : { credentials: entry.credentials }),
            ...(entry.headers === undefined ? {} : { headers: entry.headers }),
            ...(entry.method === undefined ? {} : { method: entry.method }),
            dispatcher,
          });
          const code = exitCodeOf(report);
          worst = Math.max(worst, code);
          if (report.error !== null || report.errors.length > 0) tally.errors++;
          if (hasSerious(report.findings)) tally.serious++;
          else if (code === EXIT_OK) tally.clean++;
          if (format === 'sarif') sarif.push(sarifTarget(report));
          else if (format === 'human') {
            io.stdout.write(
              `${formatAuditReport(report, { color: useColor(io.stdout, io.env) })}\n`,
            );
          } else emit({ line: item.line, url: entry.url, origin, exitCode: code, report });
        } catch (error) {
          if (!isInputError(error)) throw error;
          tally.invalid++;
          worst = EXIT_USAGE;
          if (format === 'sarif')
            sarif.push({ target: entry.url, findings: [], errors: [error.message] });
          else
            emit({
              line: item.line,
              url: entry.url,
              error: { code: error.code, message: error.message },
            });
        }
      }
      finished++;
      progress?.draw(finished, lines.length);
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, Math.max(lines.length, 1)) }, worker),
    );
  } finally {
    progress?.done();
    await dispatcher.close();
  }
  if (format === 'sarif')
    io.stdout.write(`${JSON.stringify(toSarif(sarif, packageVersion()), null, 2)}\n`);
  io.stderr.write(
    `${lines.length} targets: ${tally.serious} with findings of medium severity or above, ${tally.clean} clean, ${tally.errors} with network errors, ${tally.invalid} invalid input\n`,
  );
  return worst;
}

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

async function runPolicy(
  file: string,
  flags: AuditFlags,
  format: Format,
  io: AuditIo,
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
      io.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof PolicyFileError) {
      io.stderr.write(`corsproof: --policy: ${error.message}\n`);
      return EXIT_USAGE;
    }
    // auditPolicy's own refusals (a predicate without --origin, an --origin that is not one).
    if (error instanceof TypeError && error.message.startsWith('corsproof:')) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  if (format === 'json')
    io.stdout.write(`${JSON.stringify({ target: file, findings }, null, 2)}\n`);
  else if (format === 'sarif') {
    const log = toSarif([{ target: file, findings }], packageVersion());
    io.stdout.write(`${JSON.stringify(log, null, 2)}\n`);
  } else io.stdout.write(formatPolicyAudit(file, findings, { color: useColor(io.stdout, io.env) }));
  return hasSerious(findings) ? EXIT_FAIL : EXIT_OK;
}

/** A one-line progress bar on a terminal. */
class Progress {
  constructor(private readonly stream: AuditIo['stderr']) {}
  draw(done: number, total: number): void {
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  }
  done(): void {
    this.stream.write('\r\u001b[2K');
  }
}
