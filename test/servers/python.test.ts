/**
 * The Python targets against the real libraries: every policy file of the shared table becomes a
 * Flask-CORS, django-cors-headers and Starlette (FastAPI) example server on the system Python, and
 * `conform()` must find it answering as the policy says, except where the generator warned that the
 * library differs (in the stricter direction), or the generator must refuse the file with a
 * `GenerateError` this table expects. A missing Python package skips its target locally and fails
 * under CI.
 */
import { execFileSync } from 'node:child_process';
import { type PolicyFile, parsePolicyFile } from 'corsproof';
import { describe, expect, it } from 'vitest';
import { type ConformDifference, conform, type DifferenceKind } from '../../src/conform/index.js';
import { GenerateError, type GenerateWarning, type Target } from '../../src/generate/target.js';
import { placementsOf } from '../../src/generate/targets/_python.js';
import { SYSTEM_PYTHON } from '../../src/generate/targets/_python-app.js';
import { django } from '../../src/generate/targets/django.js';
import { fastapi } from '../../src/generate/targets/fastapi.js';
import { flask } from '../../src/generate/targets/flask.js';
import { policies } from './policies.js';
import { startStandalone } from './standalone.js';

const CI = (process.env.CI ?? '') !== '';

/** What each target needs importable by the system Python. */
const MODULES: Readonly<Record<string, readonly string[]>> = {
  flask: ['flask', 'flask_cors'],
  django: ['django', 'corsheaders'],
  fastapi: ['fastapi', 'uvicorn'],
};

function missingModules(target: Target): string[] {
  return (MODULES[target.name] ?? []).filter((module) => {
    try {
      execFileSync(SYSTEM_PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
}

/**
 * The files a target refuses, with the error code: django-cors-headers and Starlette apply one
 * policy to every path they serve, so files giving paths different policies cannot be expressed.
 */
const REFUSED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  flask: {},
  django: {
    'path-table': 'paths-not-expressible',
    'named-policies': 'paths-not-expressible',
    'path-parameters': 'paths-not-expressible',
    everything: 'paths-not-expressible',
  },
  fastapi: {
    'path-table': 'paths-not-expressible',
    'named-policies': 'paths-not-expressible',
    'path-parameters': 'paths-not-expressible',
    everything: 'paths-not-expressible',
  },
};

/** Which differences a warning announces; a warning not listed here announces none a browser sees. */
const ANNOUNCES: Readonly<Record<string, (d: ConformDifference) => boolean>> = {
  'vary-incomplete': (d) => d.kind === 'vary-origin-missing',
  'private-network-unsupported': (d) =>
    d.kind === 'refused-but-policy-allows' && d.case.probe === 'private-network',
  'methods-wildcard-listed': (d) =>
    d.kind === 'refused-but-policy-allows' && d.case.aspect === 'method',
  'methods-upper-cased': (d) =>
    d.kind === 'refused-but-policy-allows' && d.case.aspect === 'method',
  'max-age-zero-omitted': (d) => d.kind === 'max-age-differs',
  'max-age-always-sent': (d) => d.kind === 'max-age-differs',
};

/** Differences a warning cannot excuse whatever it says: the looser direction, or no answer. */
const NEVER_EXCUSED: readonly DifferenceKind[] = [
  'allowed-but-policy-refuses',
  'header-exposed-beyond-policy',
  'network-error',
  'inconclusive',
];

/** Whether a warning about the policy written at `where` (and its options) covers a path's policy. */
function isAbout(warning: GenerateWarning, where: string): boolean {
  return where === '' || warning.path === where || warning.path.startsWith(`${where}.`);
}

/** The differences no warning about the case's own policy announces. */
function unannounced(
  file: PolicyFile,
  warnings: readonly GenerateWarning[],
  differences: readonly ConformDifference[],
): ConformDifference[] {
  const placements = placementsOf(file);
  return differences.filter((d) => {
    if (NEVER_EXCUSED.includes(d.kind)) return true;
    const policy = file.policyFor(d.case.path);
    const where = placements.find((p) => p.policy === policy)?.where;
    if (where === undefined) return true;
    return !warnings.some((w) => isAbout(w, where) && ANNOUNCES[w.code]?.(d) === true);
  });
}

/** A difference in a line a failing assertion can show. */
function describeDifference(d: ConformDifference): string {
  return `${d.kind}: ${d.case.id}: expected ${d.expected}, got ${d.actual} (${d.message})`;
}

describe.each([flask, django, fastapi])('the $name target on the real library', (target) => {
  const missing = missingModules(target);
  if (missing.length > 0 && !CI) {
    it.skip(
      `needs ${missing.join(', ')} for ${SYSTEM_PYTHON} (apt-get install the python3- packages)`,
    );
    return;
  }

  it('has its Python packages', () => {
    expect(missing, `${SYSTEM_PYTHON} cannot import them`).toEqual([]);
  });

  for (const { name, file: document } of policies) {
    it(`answers as the ${name} policy says, or differs only where it warned`, async () => {
      const file = parsePolicyFile(document);
      const refusedCode = REFUSED[target.name]?.[name];
      if (refusedCode !== undefined) {
        expect(() => target.generate(file)).toThrow(GenerateError);
        try {
          target.generate(file);
        } catch (error) {
          expect((error as GenerateError).code).toBe(refusedCode);
        }
        return;
      }
      const { warnings } = target.generate(file);
      const server = await startStandalone(target, file);
      try {
        const report = await conform({ url: `${server.url}/`, file, concurrency: 4 });
        expect(report.cases.length).toBeGreaterThan(0);
        expect(unannounced(file, warnings, report.differences).map(describeDifference)).toEqual([]);
      } finally {
        await server.stop();
      }
    }, 60_000);
  }
});

describe.skipIf(missingModules(flask).length > 0 && !CI)(
  'the flask target on escaped paths',
  () => {
    it('gives no CORS where Flask-CORS would decode the path twice into another rule', async () => {
      const document = policies.find((p) => p.name === 'path-table')?.file;
      const file = parsePolicyFile(document);
      const server = await startStandalone(flask, file);
      try {
        const origin = 'https://admin.example.com';
        const allowOrigin = async (path: string) => {
          const response = await fetch(`${server.url}${path}`, { headers: { origin } });
          await response.arrayBuffer();
          return response.headers.get('access-control-allow-origin');
        };
        // The file gives /api%252Fx the default policy (app only) and /api%2Fx none at all.
        expect(await allowOrigin('/api/x')).toBe(origin);
        expect(await allowOrigin('/api%252Fx')).toBeNull();
        expect(await allowOrigin('/api%2Fx')).toBeNull();
        expect(await allowOrigin('/ap%69/x')).toBe(origin);
      } finally {
        await server.stop();
      }
    }, 60_000);
  },
);
