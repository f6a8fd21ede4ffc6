/**
 * nginx: a file to `include` in each `server { }` block. nginx's traps, and how this avoids them:
 * - `add_header` drops its headers from error responses unless it says `always`;
 * - a `location` or `if` with any `add_header` of its own discards every inherited one, so all
 *   `add_header` lines sit at server level with values computed into variables, and `if` blocks
 *   only `set` variables or `return`;
 * - `if` takes one condition, so conditions are joined into one string and matched by one anchored
 *   regex; `set` runs in order, so later lines override earlier ones;
 * - `add_header` with an empty value adds nothing, which is how a header is left out;
 * - `add_header Vary` adds a field next to the application's own Vary, so Vary is merged.
 */
import type { PolicyFile } from 'corsproof';
import { NO_POLICY, type Plan, type PlannedPolicy, planFile, READABLE_PATH } from '../_plan.js';
import { HAS_TOKEN, MAX_REQUEST_HEADERS_LENGTH, pcreWithMaxLength } from '../_regex.js';
import type { GeneratedFile, GenerateResult, StandaloneOptions, Target } from '../target.js';
import { exampleBody, header, runScript } from './_web-server.js';

/** A regex as an nginx quoted string (the regex holds no `"`, `$` or `\\`-escaped quote). */
const q = (regex: string): string => `"${regex}"`;

/** `^P <rest of regex>`: the policy id, a space, then what `regex` (anchored) matches. */
function after(id: string, regex: string): string {
  return `^${id} ${regex.replace(/^\^/, '')}`;
}

/** The request's state, one character per fact, so one regex can test several at once. */
const STATE =
  '"$request_method $cors_policy $cors_o$cors_acrm$cors_allowed$cors_m$cors_h$cors_pnr"';

function policyBlock(p: PlannedPolicy): string[] {
  const lines: string[] = [`# Policy "${p.id}" (${p.where}).`];
  const acao = p.origin.any ? '"*"' : '$http_origin';
  if (p.origin.any) {
    lines.push(`if ($cors_policy = ${p.id}) { set $cors_allowed 1; }`);
  } else {
    const allow = pcreWithMaxLength(p.origin.allow, p.origin.maxLength);
    lines.push(`if ($cors_policy_origin ~ ${q(after(p.id, allow))}) { set $cors_allowed 1; }`);
  }
  lines.push(`if ($cors_policy_method ~ ${q(after(p.id, p.methods.allow))}) { set $cors_m 1; }`);
  if (p.methods.deny !== null) {
    lines.push(`if ($cors_policy_method ~ ${q(after(p.id, p.methods.deny))}) { set $cors_m 0; }`);
  }
  lines.push(
    `if ($cors_policy_headers ~ ${q(after(p.id, pcreWithMaxLength(p.requestHeaders, MAX_REQUEST_HEADERS_LENGTH)))}) { set $cors_h 1; }`,
    `set $cors_state ${STATE};`,
  );
  const actual = [
    `set $cors_acao ${acao};`,
    ...(p.credentials ? ['set $cors_acac "true";'] : []),
    ...(p.exposeHeaders === null ? [] : [`set $cors_aceh "${p.exposeHeaders}";`]),
  ];
  // Actual requests: from an allowed origin (any request at all for `*`).
  const actualWhen = p.origin.any ? `^[^ ]+ ${p.id} ` : `^[^ ]+ ${p.id} 1.1`;
  lines.push(`if ($cors_state ~ ${q(actualWhen)}) { ${actual.join(' ')} }`);
  if (!p.origin.any)
    lines.push(`if ($cors_state ~ ${q(`^[^ ]+ ${p.id} `)}) { set $cors_vary "Origin"; }`);
  // Every OPTIONS answer depends on whether it was a preflight.
  lines.push(
    `if ($cors_state ~ ${q(`^OPTIONS ${p.id} `)}) { set $cors_vary "${p.preflightVary}"; }`,
  );
  const accepted = [
    `set $cors_acao ${acao};`,
    ...(p.credentials ? ['set $cors_acac "true";'] : []),
    'set $cors_aceh "";',
    'set $cors_acam $http_access_control_request_method;',
    'set $cors_acah $cors_requested_headers;',
    ...(p.maxAge === null ? [] : [`set $cors_acma "${p.maxAge}";`]),
  ];
  lines.push(`# A preflight (OPTIONS with Origin and Access-Control-Request-Method), accepted:`);
  if (p.privateNetwork) {
    lines.push(`if ($cors_state ~ ${q(`^OPTIONS ${p.id} 111111$`)}) { set $cors_acapn "true"; }`);
  }
  lines.push(
    `if ($cors_state ~ ${q(`^OPTIONS ${p.id} 11111`)}) { ${accepted.join(' ')} return ${p.preflightStatus} ""; }`,
    '# refused: 403 without CORS headers (the browser then fails it).',
    `if ($cors_state ~ ${q(`^OPTIONS ${p.id} 11`)}) { set $cors_acao ""; set $cors_acac ""; set $cors_aceh ""; return 403 ""; }`,
  );
  return lines;
}

function routeLines(plan: Plan): string[] {
  if (plan.routes.length === 0) return [`set $cors_policy ${plan.fallback ?? NO_POLICY};`];
  const lines = [
    '# Which policy applies: the path table, first match wins. `set` runs in order and the last',
    '# match stands, so the rules are written last to first.',
    'set $cors_path $request_uri;',
    `if ($request_uri ~ "^(?<cors_uri_path>[^?]*)") { set $cors_path $cors_uri_path; }`,
    `set $cors_policy ${plan.fallback ?? NO_POLICY};`,
  ];
  for (const route of [...plan.routes].reverse()) {
    lines.push(
      `if ($cors_path ~ ${q(route.path)}) { set $cors_policy ${route.policy ?? NO_POLICY}; } # ${route.note}`,
    );
  }
  lines.push(
    '# Paths the engine reads differently from nginx (%-escapes, dot or empty segments): no CORS.',
    `if ($cors_path !~ ${q(READABLE_PATH)}) { set $cors_policy ${NO_POLICY}; }`,
  );
  return lines;
}

function render(plan: Plan): string {
  const lines = [
    ...header('#', 'nginx', [
      'Include this file in every server { } block that serves the API:',
      '    include /etc/nginx/cors.conf;',
      'A location with add_header lines of its own drops these (nginx inherits add_header only',
      'into blocks that have none): include this file in such a location too.',
    ]),
    '',
    'set $cors_acao ""; set $cors_acac ""; set $cors_aceh ""; set $cors_acam "";',
    'set $cors_acah ""; set $cors_acma ""; set $cors_acapn ""; set $cors_vary "";',
    'set $cors_o 0; set $cors_acrm 0; set $cors_allowed 0; set $cors_m 0; set $cors_h 0; set $cors_pnr 0;',
    'if ($http_origin != "") { set $cors_o 1; }',
    'if ($http_access_control_request_method != "") { set $cors_acrm 1; }',
    'if ($http_access_control_request_private_network = "true") { set $cors_pnr 1; }',
    '# Accepted preflights name only the requested headers, and only when some were requested.',
    'set $cors_requested_headers "";',
    `if ($http_access_control_request_headers ~ ${q(HAS_TOKEN)}) { set $cors_requested_headers $http_access_control_request_headers; }`,
    '',
    ...routeLines(plan),
    'set $cors_policy_origin "$cors_policy $http_origin";',
    'set $cors_policy_method "$cors_policy $http_access_control_request_method";',
    'set $cors_policy_headers "$cors_policy $http_access_control_request_headers";',
    'set $cors_state "";',
    '',
  ];
  for (const p of plan.policies) lines.push(...policyBlock(p), '');
  lines.push(
    '# `always`: on error responses too, where a browser-visible error is better than an opaque one.',
    'add_header Access-Control-Allow-Origin $cors_acao always;',
    'add_header Access-Control-Allow-Credentials $cors_acac always;',
    'add_header Access-Control-Expose-Headers $cors_aceh always;',
    'add_header Access-Control-Allow-Methods $cors_acam always;',
    'add_header Access-Control-Allow-Headers $cors_acah always;',
    'add_header Access-Control-Max-Age $cors_acma always;',
    'add_header Access-Control-Allow-Private-Network $cors_acapn always;',
    'add_header Vary $cors_vary always;',
  );
  return `${lines.join('\n')}\n`;
}

function generate(file: PolicyFile): GenerateResult {
  const plan = planFile('nginx', file);
  return { config: render(plan), fileName: 'cors.conf', warnings: plan.warnings };
}

function standalone(file: PolicyFile, { port }: StandaloneOptions): readonly GeneratedFile[] {
  const conf = [
    '# A complete nginx serving the generated CORS configuration on loopback; every file it',
    '# writes (pid, logs, temporary files) stays in this directory.',
    'worker_processes 1;',
    'pid logs/nginx.pid;',
    'error_log logs/error.log;',
    'events { worker_connections 64; }',
    'http {',
    '    access_log logs/access.log;',
    '    client_body_temp_path tmp/body;',
    '    proxy_temp_path tmp/proxy;',
    '    fastcgi_temp_path tmp/fastcgi;',
    '    uwsgi_temp_path tmp/uwsgi;',
    '    scgi_temp_path tmp/scgi;',
    '    default_type text/plain;',
    '    server {',
    `        listen 127.0.0.1:${port};`,
    '        include cors.conf;',
    '        # Every path answers every method with 200 and a short body.',
    `        location / { return 200 "${exampleBody('nginx')}\\n"; }`,
    '    }',
    '}',
  ];
  return [
    { path: 'cors.conf', contents: generate(file).config },
    { path: 'nginx.conf', contents: `${conf.join('\n')}\n` },
    {
      path: 'run',
      executable: true,
      contents: runScript([
        'mkdir -p logs tmp',
        `exec nginx -p "$PWD/" -c nginx.conf -e logs/error.log -g 'daemon off;'`,
      ]),
    },
  ];
}

export const nginx: Target = {
  name: 'nginx',
  summary: 'nginx: a file to include in each server block (add_header always, no nested traps)',
  generate: (file) => generate(file),
  standalone,
};
