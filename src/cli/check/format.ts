/**
 * A check result for people: one verdict line, the exchange step by step with the decisive
 * headers marked, then the failure, why, and the fix. Colours are optional (the caller decides:
 * a terminal without NO_COLOR gets them).
 */
import { asciiLowercase } from 'corsproof/spec';
import type { CheckResult, Failure, FixSnippet, Step } from '../../check/index.js';
import { browserProfile } from '../../check/index.js';

export interface FormatOptions {
  /** ANSI colours. Default false. */
  readonly color?: boolean;
  /** Show the curl commands. Default true. */
  readonly curl?: boolean;
}

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan' | 'inverse';
const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  inverse: [7, 27],
};

const NOT_WORTH_EXPOSING = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);

/** Request headers worth showing: the CORS ones and the page's own (the rest are in the curl). */
const SHOWN_REQUEST_HEADERS = new Set([
  'origin',
  'access-control-request-method',
  'access-control-request-headers',
  'cookie',
]);

/** Wraps text in an ANSI style, or leaves it as is without colours. */
export function painter(color: boolean): (style: Style, text: string) => string {
  return (style, text) =>
    color ? `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m` : text;
}

/**
 * The verdict over an emulated checker's probes (Galxe's: GET and POST), after each has been
 * printed: the checker passes only if every probe does.
 *
 * @example
 * formatEmulationSummary("Galxe's CORS Check", [getResult, postResult])
 * // "Galxe's CORS Check: FAILED (GET passed, POST blocked)\n"
 */
export function formatEmulationSummary(
  name: string,
  results: readonly CheckResult[],
  options: Pick<FormatOptions, 'color'> = {},
): string {
  const paint = painter(options.color === true);
  const passed = results.every((r) => r.verdict === 'allowed');
  const each = results.map(
    (r) => `${r.plan.method} ${r.verdict === 'allowed' ? 'passed' : r.verdict}`,
  );
  const verdict = passed ? paint('green', 'PASSED') : paint('red', 'FAILED');
  return `${paint('bold', `${name}:`)} ${paint('bold', verdict)} (${each.join(', ')})\n`;
}

/**
 * @example
 * process.stdout.write(formatCheckResult(await check({ url, origin }), { color: true }));
 */
export function formatCheckResult(result: CheckResult, options: FormatOptions = {}): string {
  const paint = painter(options.color === true);
  const out: string[] = [];
  const plan = result.plan;
  const who = result.emulation ? result.emulation.name : browserProfile(result.browser).displayName;
  const what = `${plan.method} ${plan.url} from ${plan.origin}`;
  switch (result.verdict) {
    case 'allowed':
      out.push(
        `${paint('green', paint('bold', 'ALLOWED'))}  ${what} (${who}${result.scope === 'preflight-only' ? ', preflight only' : ''})`,
      );
      break;
    case 'blocked':
      out.push(`${paint('red', paint('bold', 'BLOCKED'))}  ${what} (${who})`);
      break;
    case 'error':
      out.push(`${paint('yellow', paint('bold', 'ERROR'))}  ${what}: ${result.error.message}`);
      break;
    case 'inconclusive':
      out.push(`${paint('yellow', paint('bold', 'INCONCLUSIVE'))}  ${what}: ${result.reason}`);
      break;
  }
  out.push('');

  if (plan.preflight.needed) {
    out.push(paint('bold', 'Preflight needed:'));
    for (const t of plan.preflight.triggers) out.push(`  - ${t.detail}`);
  } else if (!plan.sameOrigin && !result.emulation) {
    out.push('No preflight: the method and headers are CORS-safelisted.');
  }
  out.push('');

  const pageHeaders = new Set(plan.headers.map(([n]) => asciiLowercase(n)));
  result.steps.forEach((step, i) => {
    out.push(...formatStep(step, i, pageHeaders, paint));
    out.push('');
  });

  if (result.verdict === 'blocked') {
    result.failures.forEach((failure, i) => {
      out.push(...formatFailure(failure, i, paint));
      out.push('');
    });
  }
  if (result.verdict === 'error') {
    out.push(`${paint('yellow', 'Network error')} ${result.error.code}: ${result.error.detail}`);
    out.push('No CORS verdict: the browser would fail the same way before any CORS check.');
    out.push('');
  }
  if (result.verdict === 'allowed' && result.response) {
    const r = result.response;
    out.push(
      `Script can read: status ${r.status}, body, and headers ${r.readableHeaders.length > 0 ? r.readableHeaders.join(', ') : '(none)'}.`,
    );
    // Connection-level and CORS headers are hidden too, but nobody wants to read those.
    const hidden = r.hiddenHeaders.filter(
      (n) => !NOT_WORTH_EXPOSING.has(n) && !n.startsWith('access-control-'),
    );
    if (hidden.length > 0) {
      out.push(
        paint(
          'dim',
          `Hidden from script (list them in Access-Control-Expose-Headers to read them): ${hidden.join(', ')}`,
        ),
      );
    }
    out.push('');
  }
  if (result.preflightCache) {
    const c = result.preflightCache;
    out.push(
      `Preflight cache: Chromium ${c.chromium.seconds} s, Firefox ${c.firefox.seconds} s, WebKit ${c.webkit.seconds} s (Access-Control-Max-Age: ${c.header ?? 'absent'}).`,
    );
    out.push('');
  }
  if (result.emulation) {
    const { platform, notes } = result.emulation;
    for (const note of notes) out.push(`${paint('yellow', `${platform}:`)} ${note}`);
    if (notes.length > 0) out.push('');
  }
  if (result.warnings.length > 0) {
    out.push(paint('bold', 'Warnings:'));
    for (const w of result.warnings) out.push(`  ${paint('yellow', '!')} ${w.message}`);
    out.push('');
  }
  if (options.curl !== false && result.curl.length > 0) {
    out.push(paint('bold', 'Reproduce with curl:'));
    for (const command of result.curl) out.push(paint('dim', command), '');
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

function formatStep(
  step: Step,
  index: number,
  pageHeaders: ReadonlySet<string>,
  paint: (style: Style, text: string) => string,
): string[] {
  const label =
    step.kind === 'preflight' ? 'preflight' : step.hop > 0 ? `redirect hop ${step.hop}` : 'request';
  const lines = [
    `${paint('bold', `${index + 1}. ${step.request.method} ${step.request.url}`)}  ${paint('dim', `(${label})`)}`,
  ];
  for (const [name, value] of step.request.headers) {
    const lower = asciiLowercase(name);
    if (!SHOWN_REQUEST_HEADERS.has(lower) && !pageHeaders.has(lower)) continue;
    lines.push(`   > ${name}: ${lower === 'cookie' ? '(hidden)' : value}`);
  }
  if (step.request.body !== null)
    lines.push(paint('dim', `   > (body: ${step.request.body.length} characters)`));
  if (step.outcome === 'network-error') {
    lines.push(`   ${paint('yellow', `x ${step.error.code}`)}: ${step.error.message}`);
    return lines;
  }
  const r = step.response;
  const verdict =
    step.cors === 'passed'
      ? paint('green', 'passed')
      : step.cors === 'failed'
        ? paint('red', 'failed')
        : paint('dim', 'not a CORS check');
  lines.push(`   < ${r.status} ${r.statusText}  ${verdict}`);
  const decisive = new Set(step.decisiveHeaders);
  for (const [name, value] of r.headers) {
    const lower = asciiLowercase(name);
    if (decisive.has(lower)) {
      const mark =
        step.cors === 'failed' ? paint('red', '  <-- decisive') : paint('green', '  <-- decisive');
      lines.push(`   < ${paint('bold', `${name}: ${value}`)}${mark}`);
    } else {
      lines.push(paint('dim', `   < ${name}: ${value}`));
    }
  }
  const missing = step.decisiveHeaders.filter(
    (h) => !r.headers.some(([n]) => asciiLowercase(n) === h),
  );
  if (step.cors === 'failed') {
    for (const name of missing) lines.push(paint('red', `   < (no ${name} header)  <-- decisive`));
  }
  if (step.redirectTo) lines.push(`   -> follows the redirect to ${step.redirectTo}`);
  return lines;
}

function formatFailure(
  failure: Failure,
  index: number,
  paint: (style: Style, text: string) => string,
): string[] {
  const title = index === 0 ? 'Blocked' : 'Next, once that is fixed';
  const lines = [
    `${paint('red', paint('bold', `${title}:`))} ${paint('bold', failure.code)}`,
    `  ${failure.message}`,
    `  ${paint('bold', 'Why:')} ${failure.explanation}`,
    `  ${paint('bold', 'Fix:')} ${failure.fix.summary}`,
  ];
  if (failure.fix.header) {
    lines.push(
      `       ${paint('cyan', `${failure.fix.header.name}: ${failure.fix.header.value}`)}`,
    );
  }
  const snippets = failure.fix.snippets ?? [];
  for (const snippet of snippets) lines.push(...formatSnippet(snippet, paint));
  if (snippets.length === 0 && index === 0 && failure.fix.policy !== null) {
    lines.push(
      paint(
        'dim',
        '  (configuration for your server: --fix-for nginx,express,... with any target of corsproof generate)',
      ),
    );
  }
  return lines;
}

/**
 * One server's configuration for the fix, as `corsproof generate` writes it; where the server is
 * stricter than needed, the generator's warnings; where it cannot do it, the generator's error.
 */
function formatSnippet(
  snippet: FixSnippet,
  paint: (style: Style, text: string) => string,
): string[] {
  if (snippet.code === null) {
    const [first, ...more] = (snippet.error ?? 'cannot express this fix').split('\n');
    return [
      `  ${paint('bold', snippet.target)}: ${paint('red', first ?? '')}`,
      ...more.map((line) => `    ${paint('red', line.trim())}`),
    ];
  }
  const lines = [`  ${paint('bold', snippet.target)} (${snippet.fileName ?? 'configuration'}):`];
  for (const line of snippet.code.trimEnd().split('\n')) lines.push(`    ${paint('cyan', line)}`);
  for (const warning of snippet.warnings) {
    lines.push(`  ${paint('yellow', '!')} ${snippet.target}: ${warning.message}`);
  }
  return lines;
}
