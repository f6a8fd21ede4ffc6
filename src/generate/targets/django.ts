/**
 * `corsproof generate --for django`: the policy file as django-cors-headers settings, written for
 * django-cors-headers 3.14 as Debian 12 ships it, read from its source:
 * - one set of settings serves every path; `CORS_URLS_REGEX` (matched with `re.match` against the
 *   decoded `path_info`) only switches it on or off, so a file can give one policy to some paths
 *   and none to the rest, but not two policies;
 * - `CORS_ALLOWED_ORIGINS` compares `urlsplit()` scheme and netloc, so it would also accept
 *   `https://app.example.com/x` and `HTTPS://app.example.com`; every origin goes to
 *   `CORS_ALLOWED_ORIGIN_REGEXES` instead, anchored (they are matched with `re.match`);
 * - preflights are answered 200 whatever the outcome, with the full method and header lists;
 * - `CORS_PREFLIGHT_MAX_AGE` defaults to 86400 and 0 sends no header at all.
 */
import type { CorsPolicy, PolicyFile } from 'corsproof';
import {
  type GeneratedFile,
  GenerateError,
  type GenerateResult,
  type StandaloneOptions,
  type Target,
} from '../target.js';
import {
  anchored,
  COMMON_METHODS,
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

/** The one policy, and the regex of the paths it applies to (null: every path). */
interface Plan {
  readonly placement: Placement;
  readonly urls: string | null;
}

function plan(file: PolicyFile): Plan {
  const placements = placementsOf(file);
  const first = placements[0];
  if (first === undefined) {
    throw new GenerateError(
      'django',
      'no-policy',
      '',
      'the file allows CORS nowhere, so there is nothing to configure',
      'leave django-cors-headers out of the project instead',
    );
  }
  const shapes = new Set(placements.map((p) => JSON.stringify(p.policy.toJSON())));
  if (shapes.size > 1) {
    throw new GenerateError(
      'django',
      'paths-not-expressible',
      'paths',
      `django-cors-headers applies one set of settings to every path it is enabled on, and this file gives paths different policies (${placements.map((p) => p.where).join(', ')})`,
      'give every path with CORS the same policy (paths may still map to false), or serve the paths with different policies from separate projects, each generated from its own file',
    );
  }
  if (file.paths.length === 0) return { placement: first, urls: null };
  // Even where every pattern has the one policy, paths the table reads two ways get none.
  const enabled = pathRegions(file).filter((r) => r.policy !== null);
  return { placement: first, urls: enabled.map((r) => r.regex).join('|') };
}

function methodsSetting(policy: CorsPolicy): string[] {
  const c = policy.config;
  if (c.methods !== '*') return listedMethods(c.methods);
  // `*` is a wildcard for browsers only on requests without credentials.
  return c.credentials ? [...COMMON_METHODS] : ['*'];
}

function headersSetting(policy: CorsPolicy, where: string): string[] {
  const c = policy.config;
  if (c.requestHeaders !== '*') return [...c.requestHeaders];
  if (c.credentials) {
    throw new GenerateError(
      'django',
      'request-headers-wildcard-with-credentials',
      optionPath(where, 'requestHeaders'),
      'django-cors-headers sends the configured list, not the requested names, and browsers read "*" as a header literally named "*" on requests with credentials, so no request header could be allowed',
      'list the request headers the API accepts',
    );
  }
  // The Fetch standard's `*` leaves out Authorization, which has to be named beside it.
  return ['*', 'authorization'];
}

function warningsFor({ where, policy }: Placement): Warnings {
  const w = new Warnings();
  const c = policy.config;
  const at = (option: string) => optionPath(where, option);
  if (c.preflightStatus !== 200) {
    w.add(
      'preflight-status',
      at('preflightStatus'),
      `django-cors-headers answers preflights with 200 instead of ${c.preflightStatus}; browsers accept any 2xx.`,
    );
  }
  w.add(
    'refused-preflight-status',
    where,
    'a refused preflight gets 200 instead of 403: without Access-Control-Allow-Origin for a refused origin, with the full method and header lists for a refused method or header; browsers fail it either way.',
  );
  w.add(
    'vary-incomplete',
    where,
    c.origins === '*'
      ? 'every response carries Vary: Origin (the policy varies only preflights), and preflights do not vary on the Access-Control-Request-* headers, since their answer does not depend on them.'
      : 'preflights vary on Origin only, not on the Access-Control-Request-* headers, since their answer does not depend on them.',
  );
  w.add(
    'preflight-headers-differ',
    where,
    'preflights list every allowed method and request header instead of echoing the requested ones, and carry Access-Control-Expose-Headers; browsers read them the same way.',
  );
  if (c.origins === '*') {
    w.add(
      'wildcard-needs-origin',
      at('origins'),
      'Access-Control-Allow-Origin: * is sent only to requests with an Origin header; requests without one are not CORS requests.',
    );
  }
  if (c.credentials) {
    w.add(
      'credentials-on-refused',
      at('credentials'),
      'Access-Control-Allow-Credentials: true is sent to refused origins too, without the Access-Control-Allow-Origin browsers require, so they still refuse.',
    );
  }
  if (c.methods === '*' && c.credentials) {
    w.add(
      'methods-wildcard-listed',
      at('methods'),
      `browsers read "*" as a method named "*" on requests with credentials, so ${COMMON_METHODS.join(', ')} are listed and preflights for other methods fail.`,
    );
  }
  if (c.maxAge === 0) {
    w.add(
      'max-age-zero-omitted',
      at('maxAge'),
      'django-cors-headers sends no Access-Control-Max-Age for 0, so browsers cache preflights for their default 5 seconds instead of not at all.',
    );
  }
  if (c.privateNetwork) {
    w.add(
      'private-network-unsupported',
      at('privateNetwork'),
      'django-cors-headers 3.14 never sends Access-Control-Allow-Private-Network, so Private Network Access preflights fail (later versions add CORS_ALLOW_PRIVATE_NETWORK).',
    );
  }
  return w;
}

function configSource(p: Plan): string {
  const { policy, where } = p.placement;
  const c = policy.config;
  const out: string[] = [
    '# CORS for Django with django-cors-headers, generated by `corsproof generate --for django`',
    '# from the policy file. Regenerate it rather than editing it. In settings.py:',
    '#',
    '#     INSTALLED_APPS += ["corsheaders"]',
    '#     MIDDLEWARE.insert(0, "corsheaders.middleware.CorsMiddleware")  # before CommonMiddleware',
    '#     from cors_settings import *  # noqa: F403',
    '',
  ];
  if (c.origins === '*') {
    out.push(
      'CORS_ALLOW_ALL_ORIGINS = True',
      'CORS_ALLOWED_ORIGINS = []',
      'CORS_ALLOWED_ORIGIN_REGEXES = []',
    );
  } else if (Array.isArray(c.origins)) {
    out.push(
      'CORS_ALLOW_ALL_ORIGINS = False',
      '# Exact origins are regexes too: CORS_ALLOWED_ORIGINS compares only scheme and netloc, so it',
      '# would also accept "https://app.example.com/x". Matched with re.match, hence \\A and \\Z.',
      'CORS_ALLOWED_ORIGINS = []',
      'CORS_ALLOWED_ORIGIN_REGEXES = [',
    );
    for (const spec of c.origins) out.push(`    ${pyRegex(anchored(originRegex(spec)))},`);
    out.push(']');
  }
  out.push(`CORS_ALLOW_CREDENTIALS = ${c.credentials ? 'True' : 'False'}`);
  out.push(`CORS_ALLOW_METHODS = ${pyList(methodsSetting(policy))}`);
  out.push(`CORS_ALLOW_HEADERS = ${pyList(headersSetting(policy, where))}`);
  out.push(`CORS_EXPOSE_HEADERS = ${pyList(c.exposeHeaders === '*' ? ['*'] : c.exposeHeaders)}`);
  if (c.maxAge === null) out.push('CORS_PREFLIGHT_MAX_AGE = 0  # no Access-Control-Max-Age header');
  else out.push(`CORS_PREFLIGHT_MAX_AGE = ${c.maxAge}`);
  if (p.urls === null) out.push('CORS_URLS_REGEX = r"\\A"  # every path');
  else {
    out.push(
      '# The paths with CORS, matched with re.match against the decoded path. Each region leaves',
      '# out what an earlier pattern of the file matches in another letter case or with a trailing',
      '# slash, and paths with empty or dot segments, where the file gives no CORS.',
      `CORS_URLS_REGEX = ${pyRegex(p.urls)}`,
    );
  }
  out.push('CORS_REPLACE_HTTPS_REFERER = False');
  return `${out.join('\n')}\n`;
}

function generate(file: PolicyFile): GenerateResult {
  const p = plan(file);
  return { config: configSource(p), fileName: FILE_NAME, warnings: warningsFor(p.placement).list };
}

const APP = `"""A one-file Django project answering every path, with the generated CORS settings."""
import sys

from django.conf import settings

import cors_settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="corsproof-example-server",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["corsheaders"],
    MIDDLEWARE=["corsheaders.middleware.CorsMiddleware"],
    **{name: value for name, value in vars(cors_settings).items() if name.startswith("CORS_")},
)

from django.http import HttpResponse  # noqa: E402
from django.urls import re_path  # noqa: E402

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}


def answer(request):
    if request.method not in METHODS:
        return HttpResponse(status=405)
    # Django 3.2's development server sends a body even for HEAD.
    body = b"" if request.method == "HEAD" else b"ok\\n"
    return HttpResponse(body, content_type="text/plain")


urlpatterns = [re_path(r"", answer)]

if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
`;

function standalone(file: PolicyFile, options: StandaloneOptions): readonly GeneratedFile[] {
  return pythonAppFiles(
    FILE_NAME,
    generate(file).config,
    [{ path: 'app.py', contents: APP }],
    `app.py runserver --noreload 127.0.0.1:${options.port}`,
  );
}

/** Django with django-cors-headers. */
export const django: Target = {
  name: 'django',
  summary: 'django-cors-headers settings for a Django project (cors_settings.py)',
  generate,
  standalone,
};
