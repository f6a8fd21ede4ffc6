/**
 * `corsproof generate --for fastapi`: the policy file as Starlette's `CORSMiddleware` for a FastAPI
 * app, written for Starlette 0.26 and FastAPI 0.92 as Debian 12 ships them, read from the source:
 * - one middleware serves every path: a file giving paths different policies cannot be expressed;
 * - `allow_origins` is compared exactly, `allow_origin_regex` with `fullmatch` (anchored anyway);
 * - `allow_headers` always gains Accept, Accept-Language, Content-Language and Content-Type, so a
 *   preflight asking for `content-type` would pass where the policy refuses it: a small subclass
 *   puts back exactly the listed headers, and fails at start-up if Starlette's internals move;
 * - preflights get 200, or 400 with a text body when refused; `Access-Control-Max-Age` is always
 *   sent; `Vary: Origin` only where the origin is echoed; no Private Network Access answer.
 */
import type { CorsPolicy, ParsedOriginSpec, PolicyFile } from 'corsproof';
import type { GeneratedFile, GenerateResult, StandaloneOptions, Target } from '../target.js';
import {
  anchored,
  listedMethods,
  optionPath,
  originRegex,
  type Placement,
  pyList,
  pyRegex,
  uniformPolicy,
  Warnings,
} from './_python.js';
import { pythonAppFiles } from './_python-app.js';

const FILE_NAME = 'cors_settings.py';

/** What Starlette adds to `allow_headers` on its own (lower-cased). */
const STARLETTE_ADDED_HEADERS = ['accept', 'accept-language', 'content-language', 'content-type'];

/** Starlette's `ALL_METHODS`, what `allow_methods=["*"]` stands for. */
const STARLETTE_ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/** The Fetch standard's max-age when the header is absent (CORS-preflight fetch, step 8). */
const FETCH_DEFAULT_MAX_AGE = 5;

/** Whether the listed headers leave out some that Starlette would allow unasked. */
function needsListedHeaders(policy: CorsPolicy): boolean {
  const headers = policy.config.requestHeaders;
  return headers !== '*' && STARLETTE_ADDED_HEADERS.some((h) => !headers.includes(h));
}

const LISTED_HEADERS_CLASS = `class ListedHeadersCORSMiddleware(CORSMiddleware):
    """Starlette's CORSMiddleware allowing exactly the listed request headers.

    Starlette adds Accept, Accept-Language, Content-Language and Content-Type to allow_headers
    whatever it is given, so a preflight asking for Content-Type: application/json would pass.
    """

    def __init__(self, app, **options):
        super().__init__(app, **options)
        listed = list(options.get("allow_headers", ()))
        # Fail at start-up rather than allow more, should Starlette change what this relies on.
        if not isinstance(getattr(self, "allow_headers", None), list) or not isinstance(
            getattr(self, "preflight_headers", None), dict
        ):
            raise RuntimeError(
                "corsproof: this Starlette's CORSMiddleware differs from the one the CORS"
                " configuration was generated for; regenerate it with corsproof generate"
            )
        self.allow_headers = [name.lower() for name in listed]
        if listed:
            self.preflight_headers["Access-Control-Allow-Headers"] = ", ".join(listed)
        else:
            self.preflight_headers.pop("Access-Control-Allow-Headers", None)
`;

function middlewareArgs(policy: CorsPolicy): string[] {
  const c = policy.config;
  const lines: string[] = [];
  if (c.origins === '*') lines.push('allow_origins=["*"],');
  else if (Array.isArray(c.origins)) {
    const specs = c.origins as readonly ParsedOriginSpec[];
    const exact = specs.flatMap((s) => (s.kind === 'exact' ? [s.serialized] : []));
    const patterns = specs.filter((s) => s.kind === 'pattern').map(originRegex);
    lines.push(`allow_origins=${pyList(exact)},`);
    if (patterns.length > 0) {
      lines.push(`allow_origin_regex=${pyRegex(anchored(`(?:${patterns.join('|')})`))},`);
    }
  }
  lines.push(`allow_credentials=${c.credentials ? 'True' : 'False'},`);
  lines.push(`allow_methods=${pyList(c.methods === '*' ? ['*'] : listedMethods(c.methods))},`);
  lines.push(`allow_headers=${pyList(c.requestHeaders === '*' ? ['*'] : c.requestHeaders)},`);
  lines.push(`expose_headers=${pyList(c.exposeHeaders === '*' ? ['*'] : c.exposeHeaders)},`);
  lines.push(`max_age=${c.maxAge ?? FETCH_DEFAULT_MAX_AGE},`);
  return lines;
}

function warningsFor({ where, policy }: Placement): Warnings {
  const w = new Warnings();
  const c = policy.config;
  const at = (option: string) => optionPath(where, option);
  const wildcard = c.origins === '*';
  if (c.preflightStatus !== 200) {
    w.add(
      'preflight-status',
      at('preflightStatus'),
      `Starlette answers accepted preflights with 200 instead of ${c.preflightStatus}; browsers accept any 2xx.`,
    );
  }
  w.add(
    'refused-preflight-status',
    where,
    'a refused preflight gets 400 with the text "Disallowed CORS ..." and the full method and header lists instead of a bare 403; browsers fail it either way.',
  );
  w.add(
    'vary-incomplete',
    where,
    wildcard
      ? 'preflights carry no Vary (the policy varies them on Origin and the Access-Control-Request-* headers); a shared cache must not store OPTIONS responses.'
      : 'Vary: Origin is sent on preflights and to allowed origins only: responses without Origin or to refused origins carry no Vary, and preflights do not vary on the Access-Control-Request-* headers; a shared cache must key on Origin or not store them.',
  );
  w.add(
    'preflight-headers-differ',
    where,
    'accepted preflights list every allowed method and request header instead of echoing the requested ones; browsers read them the same way.',
  );
  if (c.maxAge === null) {
    w.add(
      'max-age-always-sent',
      at('maxAge'),
      `Starlette always sends Access-Control-Max-Age; it is ${FETCH_DEFAULT_MAX_AGE}, the Fetch standard's default when the header is absent, so browsers cache preflights as long as the policy lets them.`,
    );
  }
  if (!wildcard && (c.credentials || c.exposeHeaders.length > 0)) {
    w.add(
      'extra-headers-on-refused',
      where,
      'Access-Control-Allow-Credentials and Access-Control-Expose-Headers are sent to refused origins too, without the Access-Control-Allow-Origin browsers require, so they still refuse.',
    );
  }
  if (wildcard) {
    w.add(
      'wildcard-needs-origin',
      at('origins'),
      'Access-Control-Allow-Origin: * is sent only to requests with an Origin header, and a request that carries a Cookie header gets its origin echoed (with Vary: Origin) instead of *; without Access-Control-Allow-Credentials browsers still refuse credentialed reads.',
    );
  }
  if (c.methods === '*') {
    w.add(
      'methods-wildcard-listed',
      at('methods'),
      `Starlette reads "*" as its own list (${STARLETTE_ALL_METHODS.join(', ')}), so preflights for other methods fail.`,
    );
  }
  if (c.privateNetwork) {
    w.add(
      'private-network-unsupported',
      at('privateNetwork'),
      "Starlette's CORSMiddleware never sends Access-Control-Allow-Private-Network, so Private Network Access preflights fail.",
    );
  }
  return w;
}

function configSource(policy: CorsPolicy): string {
  const listed = needsListedHeaders(policy);
  const middleware = listed ? 'ListedHeadersCORSMiddleware' : 'CORSMiddleware';
  const out: string[] = [
    "# CORS for FastAPI with Starlette's CORSMiddleware, generated by `corsproof generate --for",
    '# fastapi` from the policy file. Regenerate it rather than editing it. Use:',
    '#',
    '#     from cors_settings import add_cors',
    '#     add_cors(app)',
    'from fastapi.middleware.cors import CORSMiddleware',
    '',
  ];
  if (listed) out.push('', LISTED_HEADERS_CLASS);
  out.push('', 'def add_cors(app):', '    app.add_middleware(', `        ${middleware},`);
  for (const line of middlewareArgs(policy)) out.push(`        ${line}`);
  out.push('    )');
  return `${out.join('\n')}\n`;
}

function generate(file: PolicyFile): GenerateResult {
  const placement = uniformPolicy(file, 'fastapi', "Starlette's CORSMiddleware");
  return {
    config: configSource(placement.policy),
    fileName: FILE_NAME,
    warnings: warningsFor(placement).list,
  };
}

const APP = `"""A FastAPI app answering every path, with the generated CORS middleware."""
from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse

from cors_settings import add_cors

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
add_cors(app)


@app.api_route("/{path:path}", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
async def answer(request: Request, path: str):
    return PlainTextResponse("" if request.method == "HEAD" else "ok\\n")
`;

function standalone(file: PolicyFile, options: StandaloneOptions): readonly GeneratedFile[] {
  return pythonAppFiles(
    FILE_NAME,
    generate(file).config,
    [{ path: 'app.py', contents: APP }],
    `-m uvicorn app:app --host 127.0.0.1 --port ${options.port} --no-access-log`,
  );
}

/** FastAPI with Starlette's CORSMiddleware. */
export const fastapi: Target = {
  name: 'fastapi',
  summary: "Starlette's CORSMiddleware for a FastAPI app (cors_settings.py with add_cors(app))",
  generate,
  standalone,
};
