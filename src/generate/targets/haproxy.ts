/**
 * HAProxy 2.2+: lines to paste into the `frontend` section that receives the API's requests
 * (HAProxy has no include inside a section). The request is judged in `http-request` rules and
 * the verdict kept in transaction variables, since request headers are gone by the time the
 * response is written; preflights are answered by `http-request return`; the headers are set by
 * `http-after-response`, which also covers responses HAProxy makes itself (errors, `return`),
 * unlike `http-response`. Headers are read with `req.fhdr`, because `req.hdr` splits values on
 * commas and would see only the last name of Access-Control-Request-Headers.
 */
import type { PolicyFile } from 'corsproof';
import { NO_POLICY, type Plan, type PlannedPolicy, planFile, READABLE_PATH } from '../_plan.js';
import { HAS_TOKEN, MAX_REQUEST_HEADERS_LENGTH, pcreWithMaxLength } from '../_regex.js';
import type { GeneratedFile, GenerateResult, StandaloneOptions, Target } from '../target.js';
import { exampleBody, header, runScript } from './_web-server.js';

/** A regex as a single-quoted HAProxy word: no escape is processed there (no `'` in it). */
const q = (regex: string) => `'${regex}'`;

const ORIGIN = 'req.fhdr(origin)';
const ACRM = 'req.fhdr(access-control-request-method)';
const ACRH = 'req.fhdr(access-control-request-headers)';

function policyRequestRules(p: PlannedPolicy): string[] {
  const is = `cors_is_${p.id}`;
  const origin = p.origin.any ? 'cors_has_origin' : `cors_${p.id}_origin`;
  const lines = [
    `# Policy "${p.id}" (${p.where}).`,
    `acl ${is} var(txn.cors_policy) -m str ${p.id}`,
  ];
  if (!p.origin.any) {
    const allow = pcreWithMaxLength(p.origin.allow, p.origin.maxLength);
    lines.push(`acl ${origin} ${ORIGIN} -m reg ${q(allow)}`);
  }
  lines.push(`acl cors_${p.id}_method ${ACRM} -m reg ${q(p.methods.allow)}`);
  const method = [`cors_${p.id}_method`];
  if (p.methods.deny !== null) {
    lines.push(`acl cors_${p.id}_method_forbidden ${ACRM} -m reg ${q(p.methods.deny)}`);
    method.push(`!cors_${p.id}_method_forbidden`);
  }
  lines.push(
    `acl cors_${p.id}_headers ${ACRH} -m reg ${q(pcreWithMaxLength(p.requestHeaders, MAX_REQUEST_HEADERS_LENGTH))}`,
  );
  const accepted = `${is} cors_preflight ${origin} ${method.join(' ')}`;
  lines.push(
    `http-request set-var(txn.cors_result) str(actual) if ${is} !cors_preflight${p.origin.any ? '' : ` ${origin}`}`,
    `http-request set-var(txn.cors_result) str(refused) if ${is} cors_preflight`,
    `http-request set-var(txn.cors_result) str(accepted) if ${accepted} cors_${p.id}_headers || ${accepted} !cors_has_acrh`,
    '# Preflights (OPTIONS with Origin and Access-Control-Request-Method): accepted, or refused',
    '# with 403 and no CORS headers (the browser then fails it).',
    `http-request return status ${p.preflightStatus} if ${is} cors_accepted`,
    `http-request return status 403 if ${is} cors_refused`,
  );
  return lines;
}

function policyResponseRules(p: PlannedPolicy): string[] {
  const is = `cors_is_${p.id}`;
  const acao = p.origin.any ? '"*"' : '%[var(txn.cors_origin)]';
  const set = (name: string, value: string, when: string) =>
    `http-after-response set-header ${name} ${value} if ${when}`;
  const both = `${is} cors_actual || ${is} cors_accepted`;
  const lines = [
    `# Policy "${p.id}": actual requests (and OPTIONS that are not preflights), then preflights.`,
    set('Access-Control-Allow-Origin', acao, both),
  ];
  if (p.credentials) lines.push(set('Access-Control-Allow-Credentials', 'true', both));
  if (p.exposeHeaders !== null) {
    lines.push(set('Access-Control-Expose-Headers', `"${p.exposeHeaders}"`, `${is} cors_actual`));
  }
  lines.push(
    set('Access-Control-Allow-Methods', '%[var(txn.cors_acrm)]', `${is} cors_accepted`),
    set(
      'Access-Control-Allow-Headers',
      '%[var(txn.cors_acrh)]',
      `${is} cors_accepted cors_acrh_listed`,
    ),
  );
  if (p.maxAge !== null) {
    lines.push(set('Access-Control-Max-Age', String(p.maxAge), `${is} cors_accepted`));
  }
  if (p.privateNetwork) {
    lines.push(
      set('Access-Control-Allow-Private-Network', 'true', `${is} cors_accepted cors_pn_requested`),
    );
  }
  if (!p.origin.any) {
    lines.push(`http-after-response add-header Vary Origin if ${is} !cors_options`);
  }
  lines.push(
    '# Every OPTIONS answer depends on whether it was a preflight.',
    `http-after-response add-header Vary "${p.preflightVary}" if ${is} cors_options`,
  );
  return lines;
}

function routeLines(plan: Plan): string[] {
  const fallback = plan.fallback ?? NO_POLICY;
  const lines = [`http-request set-var(txn.cors_policy) str(${fallback})`];
  if (plan.routes.length === 0) return lines;
  lines.unshift(
    '# Which policy applies: the path table, first match wins. `path` is the path as the browser',
    '# sent it. Each rule overrides the ones before it, so they are written last to first.',
  );
  for (const route of [...plan.routes].reverse()) {
    lines.push(
      `# ${route.note}`,
      `http-request set-var(txn.cors_policy) str(${route.policy ?? NO_POLICY}) if { path -m reg ${q(route.path)} }`,
    );
  }
  lines.push(
    '# Paths the engine reads differently from HAProxy (%-escapes, dot or empty segments): no CORS.',
    `http-request set-var(txn.cors_policy) str(${NO_POLICY}) if !{ path -m reg ${q(READABLE_PATH)} }`,
  );
  return lines;
}

function render(plan: Plan): string {
  const lines = [
    ...header('#', 'HAProxy', [
      'Paste these lines into the frontend section that receives the API requests, before any',
      'other http-request rule that could answer or reject them.',
    ]),
    '',
    '# What the response rules need to know of the request.',
    'acl cors_has_origin req.fhdr(origin) -m found',
    'acl cors_has_acrm req.fhdr(access-control-request-method) -m found',
    'acl cors_has_acrh req.fhdr(access-control-request-headers) -m found',
    `http-request set-var(txn.cors_origin) ${ORIGIN}`,
    `http-request set-var(txn.cors_acrm) ${ACRM}`,
    `http-request set-var(txn.cors_acrh) ${ACRH}`,
    'http-request set-var(txn.cors_acrpn) req.fhdr(access-control-request-private-network)',
    'http-request set-var(txn.cors_options) bool(true) if METH_OPTIONS',
    'http-request set-var(txn.cors_preflight) bool(true) if METH_OPTIONS cors_has_origin cors_has_acrm',
    'acl cors_options var(txn.cors_options) -m bool',
    'acl cors_preflight var(txn.cors_preflight) -m bool',
    'acl cors_actual var(txn.cors_result) -m str actual',
    'acl cors_accepted var(txn.cors_result) -m str accepted',
    'acl cors_refused var(txn.cors_result) -m str refused',
    '# Accepted preflights name only the requested headers, and only when some were requested.',
    `acl cors_acrh_listed var(txn.cors_acrh) -m reg ${q(HAS_TOKEN)}`,
    'acl cors_pn_requested var(txn.cors_acrpn) -m str true',
    '',
    ...routeLines(plan),
    '',
  ];
  for (const p of plan.policies) lines.push(...policyRequestRules(p), '');
  lines.push('# `http-after-response`: on every response, errors and preflight answers included.');
  for (const p of plan.policies) lines.push(...policyResponseRules(p), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

function generate(file: PolicyFile): GenerateResult {
  const plan = planFile('haproxy', file);
  return { config: render(plan), fileName: 'cors.cfg', warnings: plan.warnings };
}

function standalone(file: PolicyFile, { port }: StandaloneOptions): readonly GeneratedFile[] {
  const cors = generate(file).config.trimEnd().split('\n');
  const conf = [
    '# A complete HAProxy serving the generated CORS configuration on loopback; it answers',
    '# every request itself, so no backend server is needed.',
    'global',
    '    pidfile haproxy.pid',
    'defaults',
    '    mode http',
    '    timeout connect 5s',
    '    timeout client 30s',
    '    timeout server 30s',
    'frontend api',
    `    bind 127.0.0.1:${port}`,
    ...cors.map((line) => (line === '' ? '' : `    ${line}`)),
    '',
    '    # Every path answers every method with 200 and a short body.',
    `    http-request return status 200 content-type text/plain string "${exampleBody('haproxy')}"`,
  ];
  return [
    { path: 'cors.cfg', contents: generate(file).config },
    { path: 'haproxy.cfg', contents: `${conf.join('\n')}\n` },
    {
      path: 'run',
      executable: true,
      contents: runScript(['exec haproxy -db -f haproxy.cfg']),
    },
  ];
}

export const haproxy: Target = {
  name: 'haproxy',
  summary: 'HAProxy 2.2+: frontend rules (http-request return, http-after-response headers)',
  generate: (file) => generate(file),
  standalone,
};
