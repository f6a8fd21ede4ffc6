/**
 * Apache httpd 2.4: a file to `Include` in each `<VirtualHost>` (or the main server), using
 * mod_setenvif to pick the policy, mod_headers for the headers and mod_rewrite to answer
 * preflights. Apache's traps, and how this avoids them:
 * - `Header set` leaves error responses bare; `Header always set` covers them;
 * - `req()` and `%{HTTP:...}` in an expression add the header to Vary, so every condition reads
 *   headers with `req_novary()` and Vary is written exactly as the policy says, with `merge` so the
 *   application's own Vary values stay;
 * - `%{REQUEST_URI}` is decoded and normalized, so paths are matched on the raw request line
 *   (`%{THE_REQUEST}`), exactly as the browser sent them;
 * - rewrite rules in the main server are not inherited by virtual hosts.
 */
import type { PolicyFile } from 'corsproof';
import { NO_POLICY, type Plan, type PlannedPolicy, planFile, READABLE_PATH } from '../_plan.js';
import { HAS_TOKEN, MAX_REQUEST_HEADERS_LENGTH, pcreWithMaxLength } from '../_regex.js';
import type { GeneratedFile, GenerateResult, StandaloneOptions, Target } from '../target.js';
import { exampleBody, header, runScript } from './_web-server.js';

const header_ = (name: string) => `req_novary('${name}')`;
const ORIGIN = header_('Origin');
const ACRM = header_('Access-Control-Request-Method');
const ACRH = header_('Access-Control-Request-Headers');
const ACRPN = header_('Access-Control-Request-Private-Network');

/** `subject =~ m#regex#` (the regexes hold no `#`, see `_regex.ts`). */
const matches = (subject: string, regex: string) => `${subject} =~ m#${regex}#`;

/** A path regex (anchored) as a regex over the request line `METHOD target HTTP/x.y`. */
function requestLine(pathRegex: string): string {
  const body = pathRegex.replace(/^\^/, '').replace(/\$$/, '');
  return `^[^ ]+ ${body}(?:\\?[^ ]*)? HTTP/[0-9.]+$`;
}

const PREFLIGHT = `%{REQUEST_METHOD} == 'OPTIONS' && -n ${ORIGIN} && -n ${ACRM}`;

function policyBlock(p: PlannedPolicy): string[] {
  const chosen = `reqenv('CORS_POLICY') == '${p.id}'`;
  const allowed = p.origin.any
    ? `-n ${ORIGIN}`
    : [`-n ${ORIGIN}`, matches(ORIGIN, pcreWithMaxLength(p.origin.allow, p.origin.maxLength))].join(
        ' && ',
      );
  const actual = p.origin.any
    ? `${chosen} && !(${PREFLIGHT})`
    : `${chosen} && !(${PREFLIGHT}) && ${allowed}`;
  const methodOk = [
    matches(ACRM, p.methods.allow),
    ...(p.methods.deny === null ? [] : [`!(${matches(ACRM, p.methods.deny)})`]),
  ].join(' && ');
  const accepted = `${chosen} && ${PREFLIGHT} && ${allowed} && ${methodOk} && ${matches(ACRH, pcreWithMaxLength(p.requestHeaders, MAX_REQUEST_HEADERS_LENGTH))}`;
  const acao = p.origin.any ? '*' : 'expr=%{req_novary:Origin}';
  const set = (name: string, value: string, when: string) =>
    `Header always set ${name} "${value}" "expr=${when}"`;
  const lines = [
    `# Policy "${p.id}" (${p.where}).`,
    '# Actual requests (and OPTIONS that are not preflights):',
    set('Access-Control-Allow-Origin', acao, actual),
  ];
  if (p.credentials) lines.push(set('Access-Control-Allow-Credentials', 'true', actual));
  if (p.exposeHeaders !== null) {
    lines.push(set('Access-Control-Expose-Headers', p.exposeHeaders, actual));
  }
  if (!p.origin.any) {
    lines.push(
      `Header always merge Vary "Origin" "expr=${chosen} && %{REQUEST_METHOD} != 'OPTIONS'"`,
    );
  }
  lines.push(
    '# Every OPTIONS answer depends on whether it was a preflight.',
    `Header always merge Vary "${p.preflightVary}" "expr=${chosen} && %{REQUEST_METHOD} == 'OPTIONS'"`,
    '# Preflights (OPTIONS with Origin and Access-Control-Request-Method), accepted:',
    set('Access-Control-Allow-Origin', acao, accepted),
  );
  if (p.credentials) lines.push(set('Access-Control-Allow-Credentials', 'true', accepted));
  lines.push(
    set(
      'Access-Control-Allow-Methods',
      'expr=%{req_novary:Access-Control-Request-Method}',
      accepted,
    ),
    set(
      'Access-Control-Allow-Headers',
      'expr=%{req_novary:Access-Control-Request-Headers}',
      `${accepted} && ${matches(ACRH, HAS_TOKEN)}`,
    ),
  );
  if (p.maxAge !== null) lines.push(set('Access-Control-Max-Age', String(p.maxAge), accepted));
  if (p.privateNetwork) {
    lines.push(
      set('Access-Control-Allow-Private-Network', 'true', `${accepted} && ${ACRPN} == 'true'`),
    );
  }
  lines.push(
    `RewriteCond expr "${accepted}"`,
    `RewriteRule ^ - [R=${p.preflightStatus},L]`,
    '# refused: 403 without CORS headers (the browser then fails it).',
    `RewriteCond expr "${chosen} && ${PREFLIGHT}"`,
    'RewriteRule ^ - [R=403,L]',
  );
  return lines;
}

function routeLines(plan: Plan): string[] {
  const fallback = plan.fallback ?? NO_POLICY;
  if (plan.routes.length === 0) return [`SetEnvIfExpr "true" CORS_POLICY=${fallback}`];
  const lines = [
    '# Which policy applies: the path table, first match wins. Each line overrides the ones',
    '# before it, so the rules are written last to first.',
    `SetEnvIfExpr "true" CORS_POLICY=${fallback}`,
  ];
  for (const route of [...plan.routes].reverse()) {
    lines.push(
      `# ${route.note}`,
      `SetEnvIfExpr "${matches('%{THE_REQUEST}', requestLine(route.path))}" CORS_POLICY=${route.policy ?? NO_POLICY}`,
    );
  }
  lines.push(
    '# Paths the engine reads differently from Apache (%-escapes, dot or empty segments): no CORS.',
    `SetEnvIfExpr "!(${matches('%{THE_REQUEST}', requestLine(READABLE_PATH))})" CORS_POLICY=${NO_POLICY}`,
  );
  return lines;
}

function render(plan: Plan): string {
  const lines = [
    ...header('#', 'Apache httpd 2.4', [
      'Needs mod_headers, mod_rewrite and mod_setenvif (a2enmod headers rewrite setenvif).',
      'Include it in every <VirtualHost> that serves the API (rewrite rules are not inherited):',
      '    Include /etc/apache2/cors.conf',
    ]),
    '',
    ...routeLines(plan),
    '',
    'RewriteEngine On',
    '',
  ];
  for (const p of plan.policies) lines.push(...policyBlock(p), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

function generate(file: PolicyFile): GenerateResult {
  const plan = planFile('apache', file);
  return { config: render(plan), fileName: 'cors.conf', warnings: plan.warnings };
}

const MODULES = '/usr/lib/apache2/modules';

function standalone(file: PolicyFile, { port }: StandaloneOptions): readonly GeneratedFile[] {
  const modules = [
    ['mpm_event_module', 'mod_mpm_event.so'],
    ['authz_core_module', 'mod_authz_core.so'],
    ['headers_module', 'mod_headers.so'],
    ['rewrite_module', 'mod_rewrite.so'],
    ['setenvif_module', 'mod_setenvif.so'],
    ['alias_module', 'mod_alias.so'],
    ['cgid_module', 'mod_cgid.so'],
  ];
  const conf = [
    '# A complete Apache httpd serving the generated CORS configuration on loopback; every file',
    '# it writes (pid, logs, sockets) stays in this directory (the server root, `-d`).',
    ...modules.map(([name, so]) => `LoadModule ${name} ${MODULES}/${so}`),
    'ServerName 127.0.0.1',
    `Listen 127.0.0.1:${port}`,
    'PidFile logs/httpd.pid',
    'ErrorLog logs/error.log',
    'LogLevel warn',
    'DefaultRuntimeDir runtime',
    'ScriptSock cgid.sock',
    'StartServers 1',
    'ServerLimit 1',
    'ThreadsPerChild 16',
    'MinSpareThreads 1',
    'MaxSpareThreads 16',
    'MaxRequestWorkers 16',
    '<IfDefine !CORSPROOF_NOT_ROOT>',
    '    User nobody',
    '    Group nogroup',
    '</IfDefine>',
    '',
    'Include cors.conf',
    '',
    '# Every path answers every method with 200 and a short body, from a tiny CGI script.',
    'ScriptAliasMatch ^/ app.cgi',
    '<Files app.cgi>',
    '    Require all granted',
    '</Files>',
  ];
  const cgi = [
    '#!/bin/sh',
    '# Reads the request body first: Apache waits for a CGI script to take all of it.',
    '[ -z "$CONTENT_LENGTH" ] || head -c "$CONTENT_LENGTH" > /dev/null',
    'printf "Content-Type: text/plain\\r\\n\\r\\n"',
    `[ "$REQUEST_METHOD" = HEAD ] || echo "${exampleBody('apache')}"`,
    '',
  ].join('\n');
  return [
    { path: 'cors.conf', contents: generate(file).config },
    { path: 'httpd.conf', contents: `${conf.join('\n')}\n` },
    { path: 'app.cgi', contents: cgi, executable: true },
    {
      path: 'run',
      executable: true,
      contents: runScript([
        'mkdir -p logs runtime',
        '# As root, Apache runs its workers as nobody, which must be able to run the CGI script.',
        'if [ "$(id -u)" = 0 ]; then chmod 755 . app.cgi; set --; else set -- -DCORSPROOF_NOT_ROOT; fi',
        'exec apache2 -d "$PWD" -f httpd.conf -DFOREGROUND "$@"',
      ]),
    },
  ];
}

export const apache: Target = {
  name: 'apache',
  summary: 'Apache httpd 2.4: mod_headers (Header always), mod_rewrite and mod_setenvif rules',
  generate: (file) => generate(file),
  standalone,
};
