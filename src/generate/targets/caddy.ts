/**
 * Caddy 2: a Caddyfile snippet to `import` in each site block. Conditions are CEL `expression`
 * matchers (several headers at once, and Go's RE2 regexes, which have no look-around), the path
 * table is a `map`, headers are set with `header` (`+Vary` adds a field, so the application's Vary
 * stays), and preflights are ended with `respond`. Everything sits in one `route` so it runs in
 * the order written, before the site's own handlers, whatever Caddy's default directive order.
 */
import type { PolicyFile } from 'corsproof';
import { NO_POLICY, type Plan, type PlannedPolicy, planFile, UNREADABLE_TARGET } from '../_plan.js';
import { HAS_TOKEN, MAX_REQUEST_HEADERS_LENGTH } from '../_regex.js';
import type { GeneratedFile, GenerateResult, StandaloneOptions, Target } from '../target.js';
import { exampleBody, header, runScript } from './_web-server.js';

const ORIGIN = '{header.Origin}';
const ACRM = '{header.Access-Control-Request-Method}';
const ACRH = '{header.Access-Control-Request-Headers}';
const ACRPN = '{header.Access-Control-Request-Private-Network}';

/** A CEL call matching `regex` (no `'` in it, see `_regex.ts`) against a placeholder. */
const matches = (subject: string, regex: string) => `${subject}.matches(r'${regex}')`;

const PREFLIGHT = `{method} == 'OPTIONS' && ${ORIGIN} != '' && ${ACRM} != ''`;

/** A path regex (anchored) as a regex over the request target, query included. */
function requestTarget(pathRegex: string): string {
  return `${pathRegex.replace(/\$$/, '')}(?:\\?.*)?$`;
}

interface Matcher {
  readonly name: string;
  readonly expression: string;
}

function policyMatchers(p: PlannedPolicy): Matcher[] {
  const chosen = `{cors_policy} == '${p.id}'`;
  const allowed = p.origin.any
    ? `${ORIGIN} != ''`
    : [
        matches(ORIGIN, p.origin.allow),
        ...(p.origin.maxLength === null ? [] : [`size(${ORIGIN}) <= ${p.origin.maxLength}`]),
      ].join(' && ');
  const methodOk = [
    matches(ACRM, p.methods.allow),
    ...(p.methods.deny === null ? [] : [`!${matches(ACRM, p.methods.deny)}`]),
  ].join(' && ');
  const accepted = `${chosen} && ${PREFLIGHT} && ${allowed} && ${methodOk} && ${matches(ACRH, p.requestHeaders)} && size(${ACRH}) <= ${MAX_REQUEST_HEADERS_LENGTH}`;
  const m = (suffix: string, expression: string): Matcher => ({
    name: `@cors_${p.id}_${suffix}`,
    expression,
  });
  return [
    m(
      'actual',
      p.origin.any ? `${chosen} && !(${PREFLIGHT})` : `${chosen} && !(${PREFLIGHT}) && ${allowed}`,
    ),
    m('options', `${chosen} && {method} == 'OPTIONS'`),
    m('not_options', `${chosen} && {method} != 'OPTIONS'`),
    m('accepted', accepted),
    m('requested_headers', `${accepted} && ${matches(ACRH, HAS_TOKEN)}`),
    m('private_network', `${accepted} && ${ACRPN} == 'true'`),
    m('refused', `${chosen} && ${PREFLIGHT}`),
  ];
}

function policyHandlers(p: PlannedPolicy): string[] {
  const at = (suffix: string) => `@cors_${p.id}_${suffix}`;
  const acao = p.origin.any ? '"*"' : ORIGIN;
  const lines = [
    `# Policy "${p.id}" (${p.where}). Actual requests (and OPTIONS that are not preflights):`,
    `header ${at('actual')} Access-Control-Allow-Origin ${acao}`,
  ];
  if (p.credentials) lines.push(`header ${at('actual')} Access-Control-Allow-Credentials true`);
  if (p.exposeHeaders !== null) {
    lines.push(`header ${at('actual')} Access-Control-Expose-Headers "${p.exposeHeaders}"`);
  }
  if (!p.origin.any) lines.push(`header ${at('not_options')} +Vary Origin`);
  lines.push(
    '# Every OPTIONS answer depends on whether it was a preflight.',
    `header ${at('options')} +Vary "${p.preflightVary}"`,
    '# Preflights (OPTIONS with Origin and Access-Control-Request-Method), accepted:',
    `header ${at('accepted')} {`,
    `    Access-Control-Allow-Origin ${acao}`,
    ...(p.credentials ? ['    Access-Control-Allow-Credentials true'] : []),
    `    Access-Control-Allow-Methods ${ACRM}`,
    ...(p.maxAge === null ? [] : [`    Access-Control-Max-Age ${p.maxAge}`]),
    '}',
    `header ${at('requested_headers')} Access-Control-Allow-Headers ${ACRH}`,
  );
  if (p.privateNetwork) {
    lines.push(`header ${at('private_network')} Access-Control-Allow-Private-Network true`);
  }
  lines.push(
    `respond ${at('accepted')} ${p.preflightStatus}`,
    '# refused: 403 without CORS headers (the browser then fails it).',
    `respond ${at('refused')} 403`,
  );
  return lines;
}

function mapLines(plan: Plan): string[] {
  const fallback = plan.fallback ?? NO_POLICY;
  if (plan.routes.length === 0) {
    return [
      '# One policy for every path.',
      `map {uri} {cors_policy} {`,
      `    default ${fallback}`,
      '}',
    ];
  }
  return [
    '# Which policy applies: the path table, first match wins. The request target is matched as',
    '# the browser sent it ({uri}), since {path} is decoded.',
    'map {uri} {cors_policy} {',
    '    # Paths the engine reads differently from Caddy (%-escapes, dot or empty segments): no CORS.',
    `    ~${UNREADABLE_TARGET} ${NO_POLICY}`,
    ...plan.routes.flatMap((r) => [
      `    # ${r.note}`,
      `    ~${requestTarget(r.path)} ${r.policy ?? NO_POLICY}`,
    ]),
    `    default ${fallback}`,
    '}',
  ];
}

function render(plan: Plan): string {
  const matchers = plan.policies.flatMap(policyMatchers);
  const lines = [
    ...header('#', 'Caddy', [
      'Import it in every site block that serves the API, before other handlers:',
      '    import cors.caddy',
    ]),
    '',
    ...matchers.map((m) => `${m.name} expression \`${m.expression}\``),
    '',
    'route {',
    ...[...mapLines(plan), '', ...plan.policies.flatMap((p) => [...policyHandlers(p), ''])].map(
      (line) => (line === '' ? '' : `    ${line}`),
    ),
  ];
  return `${lines.join('\n').trimEnd()}\n}\n`;
}

function generate(file: PolicyFile): GenerateResult {
  const plan = planFile('caddy', file);
  return { config: render(plan), fileName: 'cors.caddy', warnings: plan.warnings };
}

function standalone(file: PolicyFile, { port }: StandaloneOptions): readonly GeneratedFile[] {
  const conf = [
    '# A complete Caddy serving the generated CORS configuration on loopback, without TLS, the',
    '# admin endpoint or saved state outside this directory.',
    '{',
    '    admin off',
    '    auto_https off',
    '    storage file_system data',
    '}',
    `http://127.0.0.1:${port} {`,
    '    bind 127.0.0.1',
    '    import cors.caddy',
    '    # Every path answers every method with 200 and a short body.',
    `    respond "${exampleBody('caddy')}" 200`,
    '}',
  ];
  return [
    { path: 'cors.caddy', contents: generate(file).config },
    { path: 'Caddyfile', contents: `${conf.join('\n')}\n` },
    {
      path: 'run',
      executable: true,
      contents: runScript([
        'export XDG_DATA_HOME="$PWD/data" XDG_CONFIG_HOME="$PWD/config"',
        'exec caddy run --config Caddyfile --adapter caddyfile',
      ]),
    },
  ];
}

export const caddy: Target = {
  name: 'caddy',
  summary: 'Caddy 2: a Caddyfile snippet (CEL expression matchers, header, respond)',
  generate: (file) => generate(file),
  standalone,
};
