/**
 * `corsproof generate --for cors`: the policy file as options of the `cors` package (expressjs/cors
 * 2.8), read from its source (`lib/index.js`):
 * - `origin` as an array is checked entry by entry: strings with `===`, RegExps with `.test`, so
 *   every RegExp written here is anchored at both ends; the allowed origin is echoed, and
 *   `Vary: Origin` is added whenever `origin` is not `'*'` or a single string;
 * - `origin: false` (or any falsy value) means `*`: a path without CORS must skip the middleware,
 *   never pass it `false`;
 * - every `OPTIONS` request is answered as a preflight with `optionsSuccessStatus`, the full
 *   `methods` and `allowedHeaders` lists and the origin check alone deciding: the browser compares
 *   the lists itself;
 * - `allowedHeaders` left unset echoes Access-Control-Request-Headers, so it is always set;
 * - `'*'` in `methods` or `allowedHeaders` is sent as is, which browsers read as a wildcard only
 *   without credentials (https://fetch.spec.whatwg.org/#cors-preflight-fetch, steps 6 and 7) and
 *   never for `Authorization`;
 * - it has one set of options per middleware and no Private Network Access answer.
 * A path table becomes a small Express middleware choosing one `cors()` per path.
 */
import type { CorsPolicy, ParsedOriginSpec, PolicyFile } from 'corsproof';
import { planFile, READABLE_PATH } from '../_plan.js';
import { originRegex, pcreWithMaxLength } from '../_regex.js';
import type {
  GeneratedFile,
  GenerateResult,
  GenerateWarning,
  StandaloneOptions,
  Target,
} from '../target.js';
import { expressServer, jsLiteral, jsString, moduleHeader, standaloneFiles } from './_node.js';
import { policyAt } from './_vendor.js';

const FILE_NAME = 'cors-options.mjs';

/** Methods browsers never preflight (https://fetch.spec.whatwg.org/#cors-safelisted-method). */
const SAFELISTED = ['GET', 'HEAD', 'POST'];

/** A `new RegExp(...)` source line for an anchored regex, `(?i)` read as the `i` flag. */
function regExpSource(regex: string): string {
  const insensitive = regex.startsWith('^(?i)');
  const body = insensitive ? `^${regex.slice(5)}` : regex;
  return `/${body.replace(/\//g, '\\/')}/${insensitive ? 'i' : ''}`;
}

/** The `cors` options of one policy, as JavaScript source. */
function optionsSource(policy: CorsPolicy, indent: string): string {
  const c = policy.config;
  const lines: string[] = [];
  const inner = `${indent}  `;
  if (c.origins === '*') lines.push(`origin: '*',`);
  else {
    const specs = c.origins as readonly ParsedOriginSpec[];
    const exact = specs.flatMap((s) => (s.kind === 'exact' ? [jsString(s.serialized)] : []));
    const patterns = specs.filter((s) => s.kind === 'pattern');
    const entries = [...exact];
    if (patterns.length > 0) {
      const { allow, maxLength } = originRegex(patterns);
      entries.push(regExpSource(pcreWithMaxLength(allow, maxLength)));
    }
    lines.push(
      entries.length === 1 && exact.length === 1
        ? `origin: [${entries[0]}],`
        : `origin: [\n${entries.map((e) => `${inner}  ${e},`).join('\n')}\n${inner}],`,
    );
  }
  if (c.credentials) lines.push('credentials: true,');
  const methods =
    c.methods === '*'
      ? ['*']
      : [...SAFELISTED, ...c.methods.filter((m) => !SAFELISTED.includes(m))];
  lines.push(`methods: ${jsLiteral(methods)},`);
  // Always set: left unset, cors echoes whatever Access-Control-Request-Headers asks for.
  lines.push(`allowedHeaders: ${jsLiteral(c.requestHeaders === '*' ? ['*'] : c.requestHeaders)},`);
  if (c.exposeHeaders === '*' || c.exposeHeaders.length > 0) {
    lines.push(`exposedHeaders: ${jsLiteral(c.exposeHeaders === '*' ? ['*'] : c.exposeHeaders)},`);
  }
  if (c.maxAge !== null) lines.push(`maxAge: ${c.maxAge},`);
  lines.push(`optionsSuccessStatus: ${c.preflightStatus},`);
  lines.push('preflightContinue: false,');
  return `{\n${lines.map((l) => `${inner}${l}`).join('\n')}\n${indent}}`;
}

/** What `cors` cannot do as the policy at `where` says, each in the stricter direction. */
function policyWarnings(policy: CorsPolicy, where: string): GenerateWarning[] {
  const c = policy.config;
  const at = (option: string) => `${where}.${option}`;
  const out: GenerateWarning[] = [
    {
      code: 'refused-preflight-status',
      path: where,
      message: `a refused preflight gets ${c.preflightStatus} with the allowed methods and headers but no Access-Control-Allow-Origin instead of 403; browsers fail it either way.`,
    },
    {
      code: 'preflight-headers-differ',
      path: where,
      message:
        'accepted preflights list every allowed method and request header instead of echoing the requested ones; browsers read them the same way.',
    },
  ];
  if (c.origins !== '*' && (c.credentials || c.exposeHeaders.length > 0)) {
    out.push({
      code: 'extra-headers-on-refused',
      path: where,
      message:
        'Access-Control-Allow-Credentials and Access-Control-Expose-Headers are sent to refused origins too, without the Access-Control-Allow-Origin browsers require, so they still refuse.',
    });
  }
  if (c.origins === '*') {
    out.push({
      code: 'wildcard-without-origin',
      path: at('origins'),
      message:
        'Access-Control-Allow-Origin: * is sent to requests without an Origin header too, and no Vary: the answer is the same for every origin.',
    });
  }
  if (c.requestHeaders === '*') {
    out.push({
      code: 'request-headers-wildcard',
      path: at('requestHeaders'),
      message: c.credentials
        ? 'allowedHeaders "*" is sent as is, which browsers read as a header named "*" on credentialed requests: preflights asking for any non-safelisted header fail.'
        : 'allowedHeaders "*" is sent as is, which browsers never read as covering Authorization: preflights asking for it fail.',
    });
  }
  if (c.methods === '*' && c.credentials) {
    out.push({
      code: 'methods-wildcard-credentials',
      path: at('methods'),
      message:
        'methods "*" is sent as is, which browsers read as a method named "*" on credentialed requests: preflights for any method but GET, HEAD and POST fail.',
    });
  }
  if (c.privateNetwork) {
    out.push({
      code: 'private-network-unsupported',
      path: at('privateNetwork'),
      message:
        'cors never sends Access-Control-Allow-Private-Network, so Private Network Access preflights fail.',
    });
  }
  return out;
}

const OPTIONS_WARNING: GenerateWarning = {
  code: 'options-always-preflight',
  path: '',
  message:
    'cors answers every OPTIONS request as a preflight, with or without Origin and Access-Control-Request-Method, so the application never sees a plain OPTIONS request.',
};

function singleModule(policy: CorsPolicy): string {
  return [
    moduleHeader('cors', 'Express with the cors package', [
      "import { corsMiddleware } from './cors-options.mjs';",
      'app.use(corsMiddleware); // before the routes, on every method: it answers OPTIONS itself',
    ]),
    "import cors from 'cors';",
    '',
    `export const corsOptions = ${optionsSource(policy, '')};`,
    '',
    'export const corsMiddleware = cors(corsOptions);',
    '',
  ].join('\n');
}

/**
 * A path table: cors has one set of options per middleware, so each policy gets its own `cors()`
 * and a middleware picks it by path with the rules of the plan (first match wins). Paths that get
 * no CORS skip cors altogether, since `origin: false` would mean `*`.
 */
function tableModule(file: PolicyFile): { source: string; warnings: GenerateWarning[] } {
  const plan = planFile('cors', file);
  const warnings: GenerateWarning[] = [...plan.warnings];
  const entries: string[] = [];
  for (const planned of plan.policies) {
    const policy = policyAt(file, planned);
    warnings.push(...policyWarnings(policy, planned.where));
    entries.push(`  // ${planned.where}\n  ${planned.id}: cors(${optionsSource(policy, '  ')}),`);
  }
  const routes = plan.routes.map(
    (r) =>
      `  // ${r.note}\n  [${regExpSource(r.path)}, ${r.policy === null ? 'null' : jsString(r.policy)}],`,
  );
  const fallback = plan.fallback === null ? 'null' : jsString(plan.fallback);
  const source = [
    moduleHeader('cors', 'Express with the cors package', [
      "import { corsMiddleware } from './cors-options.mjs';",
      'app.use(corsMiddleware); // before the routes, on every method: it answers OPTIONS itself',
    ]),
    "import cors from 'cors';",
    '',
    '/** One cors() per policy of the file. */',
    `const middlewares = {\n${entries.join('\n')}\n};`,
    '',
    '/**',
    ' * Which policy each path gets, first match wins, over the path as received. Letter-case and',
    ' * trailing-slash variants of a pattern get none, since Express routes them like the pattern.',
    ' */',
    `const routes = [\n${routes.join('\n')}\n];`,
    '',
    '/** Paths read exactly as written: no %-escapes, no dot segments, no empty segments. */',
    `const READABLE_PATH = ${regExpSource(READABLE_PATH)};`,
    '',
    '/** The policy of a request target, or null for no CORS headers at all. */',
    'function policyFor(target) {',
    "  const path = target.split('?')[0];",
    '  if (!READABLE_PATH.test(path)) return null;',
    '  for (const [pattern, policy] of routes) if (pattern.test(path)) return policy;',
    `  return ${fallback};`,
    '}',
    '',
    'export function corsMiddleware(req, res, next) {',
    '  const policy = policyFor(req.originalUrl ?? req.url);',
    '  // Skipped rather than given origin: false, which cors reads as "*".',
    '  if (policy === null) return next();',
    '  return middlewares[policy](req, res, next);',
    '}',
    '',
  ].join('\n');
  return { source, warnings };
}

function generate(file: PolicyFile): GenerateResult {
  if (file.paths.length === 0) {
    const plan = planFile('cors', file); // throws on predicates, warns about debug and punycode
    if (file.default === null) {
      return {
        config: `${moduleHeader('cors', 'Express with the cors package', [])}export function corsMiddleware(_req, _res, next) {\n  next(); // the policy file gives no CORS anywhere\n}\n`,
        fileName: FILE_NAME,
        warnings: [],
      };
    }
    return {
      config: singleModule(file.default),
      fileName: FILE_NAME,
      warnings: [OPTIONS_WARNING, ...plan.warnings, ...policyWarnings(file.default, 'default')],
    };
  }
  const { source, warnings } = tableModule(file);
  return { config: source, fileName: FILE_NAME, warnings: [OPTIONS_WARNING, ...warnings] };
}

function standalone(file: PolicyFile, options: StandaloneOptions): readonly GeneratedFile[] {
  return standaloneFiles(
    { fileName: FILE_NAME, contents: generate(file).config },
    expressServer('cors', FILE_NAME, file, options.port),
    ['cors', 'express'],
  );
}

/** The `cors` package under Express. */
export const corsPackage: Target = {
  name: 'cors',
  summary: 'options for the cors package under Express (cors-options.mjs exporting corsMiddleware)',
  generate,
  standalone,
};
