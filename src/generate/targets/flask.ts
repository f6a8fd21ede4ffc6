/**
 * `corsproof generate --for flask`: the policy file as a Flask-CORS configuration, written for
 * Flask-CORS 3.0.10 as Debian 12 ships it (with the CVE-2024-6839, -6844 and -6866 fixes), read from
 * its source rather than its documentation:
 * - origins and request headers that look like regexes are matched with `re.match` (start anchored
 *   only, case-insensitively, with Unicode case folding), plain ones compared after `casefold()`;
 *   every entry here is therefore a compiled regex, anchored both ends, with `re.IGNORECASE |
 *   re.ASCII` only for header names (origins are compared case-sensitively, as browsers send them);
 * - `resources` are sorted (literal paths first, then by slashes and length) and matched with
 *   `re.match` against `unquote(request.path)`, so the regions emitted never overlap, and a guard
 *   drops CORS on paths that second decoding would change (`%25`, `%2F`);
 * - `max_age=0` is dropped as falsy, so it is written `"0"`; the method list is upper-cased and
 *   checked by substring; `Vary: Origin` is added only when an origin matched;
 * - every option is given for every resource: the library's defaults allow any origin and header.
 */
import type { CorsPolicy, PolicyFile } from 'corsproof';
import type { GeneratedFile, GenerateResult, StandaloneOptions, Target } from '../target.js';
import {
  anchored,
  COMMON_METHODS,
  escapeRegex,
  isSinglePolicy,
  listedMethods,
  optionPath,
  originRegex,
  type Placement,
  pathRegions,
  placementsOf,
  pyList,
  pyRegex,
  Warnings,
} from './_python.js';
import { pythonAppFiles } from './_python-app.js';

const FILE_NAME = 'cors_settings.py';

/** The Flask-CORS keyword arguments of one policy, as Python source lines. */
function policyKwargs(policy: CorsPolicy): string[] {
  const c = policy.config;
  const lines: string[] = [];
  if (c.origins === '*') {
    lines.push('origins="*",', 'send_wildcard=True,');
  } else if (Array.isArray(c.origins)) {
    lines.push('origins=[');
    for (const spec of c.origins)
      lines.push(`    re.compile(${pyRegex(anchored(originRegex(spec)))}),`);
    lines.push('],', 'send_wildcard=False,');
  }
  lines.push(`supports_credentials=${c.credentials ? 'True' : 'False'},`);
  const methods = c.methods === '*' ? COMMON_METHODS : listedMethods(c.methods);
  lines.push(`methods=${pyList(methods)},`);
  if (c.requestHeaders === '*') lines.push('allow_headers="*",');
  else if (c.requestHeaders.length === 0) lines.push('allow_headers=[],');
  else {
    lines.push('allow_headers=[');
    for (const name of c.requestHeaders) {
      lines.push(
        `    re.compile(${pyRegex(anchored(escapeRegex(name)))}, re.IGNORECASE | re.ASCII),`,
      );
    }
    lines.push('],');
  }
  lines.push(
    c.exposeHeaders === '*'
      ? 'expose_headers="*",'
      : `expose_headers=${c.exposeHeaders.length === 0 ? 'None' : pyList(c.exposeHeaders)},`,
  );
  // Flask-CORS drops a header whose value is falsy, so 0 is given as the string "0".
  lines.push(`max_age=${c.maxAge === null ? 'None' : c.maxAge === 0 ? '"0"' : String(c.maxAge)},`);
  lines.push('vary_header=True,');
  lines.push(`**private_network(${c.privateNetwork ? 'True' : 'False'}),`);
  return lines;
}

/**
 * A Python name for each policy, from where the file writes it (`policies.partners` is
 * `PARTNERS_POLICY`), numbered where two would read the same (`/a-b/*` and `/a_b/*`).
 */
function policyNames(placements: readonly Placement[]): Map<CorsPolicy, string> {
  const names = new Map<CorsPolicy, string>();
  const used = new Set<string>();
  for (const placement of placements) {
    const slug = placement.where
      .replace(/^policies\./, '')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toUpperCase();
    const base = slug === '' || /^[0-9]/.test(slug) ? `POLICY_${slug}` : `${slug}_POLICY`;
    let name = base.replace(/_$/, '');
    for (let n = 2; used.has(name); n++) name = `${base.replace(/_$/, '')}_${n}`;
    used.add(name);
    names.set(placement.policy, name);
  }
  return names;
}

function warningsFor(placements: readonly Placement[]): Warnings {
  const w = new Warnings();
  for (const { where, policy } of placements) {
    const c = policy.config;
    const at = (option: string) => optionPath(where, option);
    if (c.preflightStatus !== 200) {
      w.add(
        'preflight-status',
        at('preflightStatus'),
        `Flask answers preflights with its automatic OPTIONS response, 200 instead of ${c.preflightStatus} (404 or 405 where no route serves the path); browsers accept any 2xx.`,
      );
    }
    w.add(
      'refused-preflight-status',
      where,
      'a refused preflight gets 200 without the CORS headers that would pass it, instead of 403; browsers fail it either way.',
    );
    w.add(
      'vary-incomplete',
      where,
      c.origins === '*'
        ? 'preflights carry no Vary (the policy varies them on Origin and the Access-Control-Request-* headers); a shared cache must not store OPTIONS responses.'
        : 'Vary: Origin is sent only to allowed origins: responses without Origin or to refused origins carry no Vary, and preflights do not vary on the Access-Control-Request-* headers; a shared cache must key on Origin or not store them.',
    );
    w.add(
      'preflight-headers-differ',
      where,
      'accepted preflights list every allowed method instead of echoing the requested one, and carry Access-Control-Expose-Headers; browsers read both the same way.',
    );
    if (c.methods === '*') {
      w.add(
        'methods-wildcard-listed',
        at('methods'),
        `Flask-CORS cannot allow any method, so ${COMMON_METHODS.join(', ')} are listed and preflights for other methods fail.`,
      );
    } else if (c.methods.some((m) => m !== m.toUpperCase())) {
      w.add(
        'methods-upper-cased',
        at('methods'),
        'Flask-CORS upper-cases the method list, and browsers compare methods case-sensitively, so preflights for the lower-case methods fail.',
      );
    }
    if (c.privateNetwork) {
      w.add(
        'private-network-unsupported',
        at('privateNetwork'),
        'Flask-CORS 3.0 (Debian 12 ships 3.0.10) never sends Access-Control-Allow-Private-Network, so Private Network Access preflights fail; from 4.0.2 the allow_private_network=True set here sends it.',
      );
    }
  }
  return w;
}

/**
 * Flask-CORS 3.1.01 to 4.0.1 answer every preflight with `Access-Control-Allow-Private-Network:
 * true` and no option turns it off (CVE-2024-6221); 4.0.2 added `allow_private_network`, which
 * 3.0 does not know (it would log an unknown option). The configuration refuses to start on the
 * former and passes the option only where it exists.
 */
const VERSION_GUARD = `
FLASK_CORS_VERSION = tuple(int(part) for part in re.findall(r"[0-9]+", flask_cors.__version__)[:3])
if (3, 1) <= FLASK_CORS_VERSION < (4, 0, 2):
    raise RuntimeError(
        "corsproof: Flask-CORS %s allows private network access to every origin it allows"
        " (CVE-2024-6221); upgrade to 4.0.2 or later" % flask_cors.__version__
    )


def private_network(allowed):
    """allow_private_network where Flask-CORS knows it (4.0.2 and later)."""
    return {"allow_private_network": allowed} if FLASK_CORS_VERSION >= (4, 0, 2) else {}
`;

/**
 * Flask-CORS matches resources against `unquote(request.path)`, a second decoding of a path the
 * server already decoded: `/api%252Fx` would get the policy of `/api/x`, and `/api%2Fx` (which the
 * path table reads two ways and gives no CORS) the one of `/api/x` too. Such paths get none.
 */
const ESCAPED_PATHS_GUARD = `def _no_cors_on_escaped_paths(response):
    """No CORS headers where Flask-CORS would match another path than the one requested."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or ""
    if "%" in request.path or "%2f" in raw.split("?", 1)[0].lower():
        for name in [n for n in response.headers.keys() if n.lower().startswith("access-control-")]:
            del response.headers[name]
    return response`;

function configSource(file: PolicyFile, placements: readonly Placement[]): string {
  const names = policyNames(placements);
  const out: string[] = [
    '# CORS for Flask with Flask-CORS, generated by `corsproof generate --for flask` from the',
    '# policy file. Regenerate it rather than editing it. Use:',
    '#',
    '#     from cors_settings import init_cors',
    '#     init_cors(app)',
    '#',
    '# Every origin and header is an anchored regex: Flask-CORS matches with re.match, which anchors',
    '# only the start, and every option is given because its defaults allow any origin and header.',
    'import re',
    '',
    ...(isSinglePolicy(file) ? [] : ['from flask import request']),
    'import flask_cors',
    'from flask_cors import CORS',
    '',
    VERSION_GUARD,
  ];
  for (const placement of placements) {
    out.push('', `# ${placement.where === '' ? 'The policy' : placement.where}`);
    out.push(`${names.get(placement.policy)} = dict(`);
    for (const line of policyKwargs(placement.policy)) out.push(`    ${line}`);
    out.push(')');
  }
  out.push('', '');
  if (isSinglePolicy(file)) {
    const only = placements[0];
    out.push('def init_cors(app):');
    if (only === undefined) out.push('    pass  # the file allows CORS nowhere');
    else out.push(`    CORS(app, intercept_exceptions=True, **${names.get(only.policy)})`);
    return `${out.join('\n')}\n`;
  }
  out.push(
    '# One resource per region of the path table. The regions never overlap (each leaves out what',
    '# an earlier pattern matches, in any letter case, with or without a trailing slash), so the',
    '# order Flask-CORS sorts them in does not matter. Paths in no region get no CORS headers.',
    'RESOURCES = {',
  );
  for (const region of pathRegions(file)) {
    const label = region.pattern ?? 'every other path';
    if (region.policy === null) {
      out.push(`    # ${label}: no CORS`);
      continue;
    }
    out.push(`    # ${label}`);
    out.push(`    re.compile(${pyRegex(region.regex)}): ${names.get(region.policy)},`);
  }
  out.push('}', '', '', ESCAPED_PATHS_GUARD, '', '', 'def init_cors(app):');
  out.push(
    '    # Flask runs after_request functions last registered first: the guard runs after Flask-CORS.',
    '    app.after_request(_no_cors_on_escaped_paths)',
    '    CORS(app, resources=RESOURCES, intercept_exceptions=True)',
  );
  return `${out.join('\n')}\n`;
}

function generate(file: PolicyFile): GenerateResult {
  const placements = placementsOf(file);
  const warnings = warningsFor(placements);
  if (!isSinglePolicy(file)) {
    warnings.add(
      'escaped-paths-no-cors',
      'paths',
      "requests whose path holds an escaped slash (%2F) or percent sign (%25) get no CORS headers: Flask-CORS decodes the path a second time before matching it, and could otherwise apply another path's policy.",
    );
  }
  return { config: configSource(file, placements), fileName: FILE_NAME, warnings: warnings.list };
}

const APP = `from flask import Flask, request

from cors_settings import init_cors

app = Flask(__name__)
init_cors(app)

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]


@app.route("/", defaults={"path": ""}, methods=METHODS)
@app.route("/<path:path>", methods=METHODS)
def answer(path):
    return ("" if request.method == "HEAD" else "ok\\n"), 200, {"Content-Type": "text/plain"}
`;

function standalone(file: PolicyFile, options: StandaloneOptions): readonly GeneratedFile[] {
  const run = `from werkzeug.serving import run_simple\n\nfrom app import app\n\nrun_simple("127.0.0.1", ${options.port}, app, threaded=True)\n`;
  return pythonAppFiles(
    FILE_NAME,
    generate(file).config,
    [
      { path: 'app.py', contents: APP },
      { path: 'serve.py', contents: run },
    ],
    'serve.py',
  );
}

/** Flask with Flask-CORS. */
export const flask: Target = {
  name: 'flask',
  summary: 'Flask-CORS settings for a Flask app (cors_settings.py with init_cors(app))',
  generate,
  standalone,
};
