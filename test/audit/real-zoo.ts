/**
 * The zoo's configurations that only the real software can show: CORS written the way users ship
 * it for nginx (`/usr/sbin/nginx`) and Flask-CORS (Debian's `/usr/bin/python3`), each started on a
 * free loopback port by test/servers' `startStandalone` (a throwaway directory, its own process
 * group). Every entry names the exact findings the auditor must report, as in zoo.ts.
 */
import { execFileSync } from 'node:child_process';
import { parsePolicyFile } from 'corsproof';
import type { GeneratedFile, Target, TargetName } from '../../src/generate/target.js';
import { SYSTEM_PYTHON } from '../../src/generate/targets/_python-app.js';
import { runScript } from '../../src/generate/targets/_web-server.js';
import { hasBinary, type RunningServer, startStandalone } from '../servers/standalone.js';
import { OTHER, TRUSTED, type ZooExpectation } from './zoo.js';

export interface RealServer {
  /** What runs it, for test names. */
  readonly name: string;
  /** What must be installed, for the skip message. */
  readonly needs: string;
  readonly installed: () => boolean;
  readonly entries: readonly ZooExpectation[];
  start(): Promise<RunningServer>;
}

/** `startStandalone` takes a generator target; these files are written by hand instead. */
function handWritten(name: TargetName, files: (port: number) => GeneratedFile[]): Target {
  return {
    name,
    summary: 'a hand-written configuration of the audit zoo',
    generate: () => {
      throw new Error('corsproof: the audit zoo writes its configuration by hand');
    },
    standalone: (_file, { port }) => files(port),
  };
}

/** Ignored by the hand-written targets; `startStandalone` wants one. */
const UNUSED_POLICY = parsePolicyFile({ origins: [TRUSTED] });

const BODY = '{"ok":true}\n';

// ---- nginx ------------------------------------------------------------------------------------

const NGINX_PATHS = ['/nginx-if-reflect', '/nginx-no-always', '/nginx-map'];

function nginxConf(port: number): string {
  return `worker_processes 1;
pid logs/nginx.pid;
error_log logs/error.log;
events { worker_connections 64; }
http {
    access_log logs/access.log;
    client_body_temp_path tmp/body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
    default_type application/json;

    map $http_origin $cors_allowed {
        default "";
        "${TRUSTED}" $http_origin;
        "${OTHER}" $http_origin;
    }

    server {
        listen 127.0.0.1:${port};
        root html;

        # The snippet of countless answers: reflect whatever matches an unanchored pattern whose
        # dot is not escaped; add_header without "always" inside if.
        location = /nginx-if-reflect {
            if ($http_origin ~* "example.com") {
                add_header Access-Control-Allow-Origin $http_origin;
                add_header Access-Control-Allow-Credentials true;
                add_header Vary Origin;
            }
        }

        # One trusted origin, but add_header without "always" and no OPTIONS handling: the static
        # module answers OPTIONS 405, where add_header adds nothing.
        location = /nginx-no-always {
            add_header Access-Control-Allow-Origin ${TRUSTED};
            add_header Access-Control-Allow-Methods "GET, PUT";
            add_header Vary Origin;
        }

        # Done right: a map of exact origins, "always", preflights answered 204.
        location = /nginx-map {
            if ($request_method = OPTIONS) {
                add_header Access-Control-Allow-Origin $cors_allowed always;
                add_header Access-Control-Allow-Credentials true always;
                add_header Access-Control-Allow-Methods "GET, PUT" always;
                add_header Access-Control-Allow-Headers "content-type" always;
                add_header Vary Origin always;
                return 204;
            }
            add_header Access-Control-Allow-Origin $cors_allowed always;
            add_header Access-Control-Allow-Credentials true always;
            add_header Vary Origin always;
        }
    }
}
`;
}

export const NGINX: RealServer = {
  name: 'nginx',
  needs: 'the nginx binary on the PATH (/usr/sbin/nginx)',
  installed: () => hasBinary('nginx'),
  start: () =>
    startStandalone(
      handWritten('nginx', (port) => [
        { path: 'nginx.conf', contents: nginxConf(port) },
        ...NGINX_PATHS.map((p) => ({ path: `html${p}`, contents: BODY })),
        {
          path: 'run',
          executable: true,
          contents: runScript([
            // The workers run as nobody when started as root; the directory is mkdtemp's 0700.
            'chmod 755 .',
            'mkdir -p logs tmp',
            `exec nginx -p "$PWD/" -c nginx.conf -e logs/error.log -g 'daemon off;'`,
          ]),
        },
      ]),
      UNUSED_POLICY,
    ),
  entries: [
    {
      path: '/nginx-if-reflect',
      what: 'nginx: if ($http_origin ~* "example.com") { add_header ... $http_origin; credentials } on a static file',
      // The unanchored pattern lets in any name holding example.com, its unescaped dot
      // examplexcom; OPTIONS is the static module's 405 without CORS headers; the answer without
      // Origin has no Vary and a Last-Modified, so a cache may keep it and hand it to the trusted
      // origin.
      expected: [
        'substring-match-bypass',
        'unescaped-dot-regex',
        'preflight-non-2xx',
        'missing-vary-origin',
      ],
      safe: false,
      severities: {
        'substring-match-bypass': 'high',
        'unescaped-dot-regex': 'high',
        'preflight-non-2xx': 'info',
        'missing-vary-origin': 'low',
      },
    },
    {
      path: '/nginx-no-always',
      what: 'nginx: add_header Access-Control-Allow-Origin (trusted origin) without always, no OPTIONS handling',
      expected: ['preflight-non-2xx'],
      safe: true,
      severities: { 'preflight-non-2xx': 'info' },
    },
    {
      path: '/nginx-map',
      what: 'nginx: map of exact origins, add_header ... always, OPTIONS answered 204',
      expected: [],
      safe: true,
    },
  ],
};

// ---- Flask-CORS -------------------------------------------------------------------------------

function flaskApp(port: number): string {
  return `# The audit zoo's Flask-CORS configurations, as users write them.
from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
CORS(app, resources={
    # A regular expression (it has a backslash): Flask-CORS matches it with re.match, which
    # anchors at the start only, so https://app.example.com.attacker.example matches.
    r"/flask-prefix-regex": {"origins": r"https://app\\.example\\.com", "supports_credentials": True},
    # The default origins "*" with credentials: Flask-CORS reflects the Origin instead of "*".
    r"/flask-credentials-star": {"origins": "*", "supports_credentials": True},
    # Done right: exact origins, the methods and headers the endpoint accepts.
    r"/flask-allow-list": {
        "origins": ["${TRUSTED}", "${OTHER}"],
        "supports_credentials": True,
        "methods": ["GET", "PUT"],
        "allow_headers": ["Content-Type"],
    },
})


@app.route("/flask-prefix-regex", methods=["GET", "PUT"])
@app.route("/flask-credentials-star", methods=["GET", "PUT"])
@app.route("/flask-allow-list", methods=["GET", "PUT"])
def data():
    return {"ok": True}


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=${port}, threaded=True)
`;
}

function hasPythonModules(...modules: string[]): boolean {
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

export const FLASK_CORS: RealServer = {
  name: 'Flask-CORS',
  needs: `flask and flask_cors for ${SYSTEM_PYTHON} (apt-get install python3-flask-cors)`,
  installed: () => hasPythonModules('flask', 'flask_cors'),
  start: () =>
    startStandalone(
      handWritten('flask', (port) => [
        { path: 'app.py', contents: flaskApp(port) },
        {
          path: 'run',
          executable: true,
          contents: runScript([
            'export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1',
            `exec ${SYSTEM_PYTHON} app.py`,
          ]),
        },
      ]),
      UNUSED_POLICY,
    ),
  entries: [
    {
      path: '/flask-prefix-regex',
      what: 'Flask-CORS: origins=r"https://app\\.example\\.com" (re.match: a prefix), credentials',
      // Flask-CORS's default methods are all of them; its answers to an Origin it refuses, and
      // without Origin, carry no Vary: Origin, so a cache heuristic may hand them to the trusted
      // origin.
      expected: ['prefix-match-bypass', 'dangerous-methods-allowed', 'missing-vary-origin'],
      safe: false,
      severities: {
        'prefix-match-bypass': 'high',
        'dangerous-methods-allowed': 'medium',
        'missing-vary-origin': 'low',
      },
    },
    {
      path: '/flask-credentials-star',
      what: 'Flask-CORS: origins="*" with supports_credentials=True (reflects any Origin)',
      expected: ['origin-reflected-any', 'dangerous-methods-allowed', 'missing-vary-origin'],
      safe: false,
      severities: {
        'origin-reflected-any': 'high',
        'dangerous-methods-allowed': 'medium',
        'missing-vary-origin': 'low',
      },
    },
    {
      path: '/flask-allow-list',
      what: 'Flask-CORS: exact origins, credentials, GET and PUT, Content-Type',
      // Its answer to an Origin it refuses has no Vary: Origin: availability only.
      expected: ['missing-vary-origin'],
      safe: true,
      severities: { 'missing-vary-origin': 'low' },
    },
  ],
};

export const REAL_SERVERS: readonly RealServer[] = [NGINX, FLASK_CORS];
