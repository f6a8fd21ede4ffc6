/**
 * Prevalidated policies: written by `prevalidatePolicy()` in Node, loaded by the Node build (which
 * validates them again) and by the edge build (which checks format, version and checksum only).
 * Both must decide every request as a policy compiled from the same options does.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { compilePolicy as CompilePolicy } from './compile.js';
import { compilePolicy } from './compile.js';
import { CorsConfigError } from './errors.js';
import type { CorsOptions, CorsRequest } from './options.js';
import { prevalidatePolicy } from './prevalidate.js';
import { ACCEPTED, OK } from './validate.cases.js';
import { validateOptions } from './validate.js';
import { recordOf, VALIDATED_POLICY_VERSION, type ValidatedPolicy } from './validated-policy.js';

/** `compilePolicy` as the edge build has it: validate-input.ts swapped for its edge version. */
let edgeCompile: typeof CompilePolicy;
/** The edge build's `includePolicyValidation()`, in that module graph. */
let includeEdgeValidation: () => void;

beforeAll(async () => {
  vi.resetModules();
  vi.doMock('./validate-input.js', () => import('./validate-input.edge.js'));
  vi.doMock('./startup-messages.js', () => import('./startup-messages.edge.js'));
  ({ compilePolicy: edgeCompile } = await import('./compile.js'));
  const { usePolicyValidator } = await import('./validate-input.edge.js');
  const { validateOptionsAndWarn } = await import('./validate-and-warn.js');
  includeEdgeValidation = () => usePolicyValidator(validateOptionsAndWarn);
  vi.doUnmock('./validate-input.js');
  vi.doUnmock('./startup-messages.js');
});

/** As a build step stores a record and a Worker imports it: through JSON. */
const stored = (record: ValidatedPolicy): ValidatedPolicy => JSON.parse(JSON.stringify(record));

/** Options with nothing JSON cannot hold: what a record can be made of. */
const WRITABLE = ACCEPTED.map(([name, options]) => [name, options as CorsOptions] as const).filter(
  ([, o]) =>
    typeof o.origins !== 'function' &&
    (o.debug === undefined || typeof o.debug === 'boolean') &&
    o.onDecision === undefined,
);

/** Requests from each origin the options name, from a foreign and a malformed one, of each kind. */
function requestsFor(options: CorsOptions): CorsRequest[] {
  const named = Array.isArray(options.origins)
    ? options.origins.map((o) => o.replace('*.', 'api.').replace(':*', ':8080'))
    : [];
  const origins = [...named, 'https://evil.example', 'null', 'https://a b', undefined];
  const requests: CorsRequest[] = [];
  for (const origin of origins) {
    requests.push({ method: 'GET', origin }, { method: 'POST', origin });
    for (const [requestMethod, requestHeaders] of [
      ['GET', undefined],
      ['PUT', 'content-type'],
      ['PATCH', 'authorization, x-custom'],
      ['patch', undefined],
    ] as const) {
      requests.push({ method: 'OPTIONS', origin, requestMethod, requestHeaders });
      requests.push({
        method: 'OPTIONS',
        origin,
        requestMethod,
        requestHeaders,
        requestPrivateNetwork: 'true',
      });
    }
  }
  return requests;
}

describe('prevalidatePolicy', () => {
  it.each(WRITABLE)(
    'writes a record both builds decide with as the options do: %s',
    (_n, options) => {
      const record = stored(prevalidatePolicy(options));
      expect(record).toMatchObject({
        corsproof: 'validated-policy',
        version: VALIDATED_POLICY_VERSION,
      });
      const fromOptions = compilePolicy(options);
      const onNode = compilePolicy(record);
      const onEdge = edgeCompile(record);
      expect(onNode.toJSON()).toEqual(fromOptions.toJSON());
      expect(onEdge.toJSON()).toEqual(fromOptions.toJSON());
      expect(onEdge.config).toEqual(fromOptions.config);
      for (const request of requestsFor(options)) {
        const expected = JSON.parse(JSON.stringify(fromOptions.decide(request)));
        expect(JSON.parse(JSON.stringify(onNode.decide(request)))).toEqual(expected);
        expect(JSON.parse(JSON.stringify(onEdge.decide(request)))).toEqual(expected);
      }
    },
  );

  it('refuses invalid options with the issues compilePolicy reports', () => {
    const options = { origins: ['https://app.example.com/'], maxAge: -1 };
    const issues = (validateOptions(options) as { issues: unknown[] }).issues;
    expect(() => prevalidatePolicy(options)).toThrow(CorsConfigError);
    expect(() => prevalidatePolicy(options)).toThrow(expect.objectContaining({ issues }));
  });

  it('refuses what JSON cannot hold, naming run-time validation as the way', () => {
    const cases: [CorsOptions, string][] = [
      [{ origins: () => true }, 'origins'],
      [{ origins: OK, debug: { warn: () => {} } }, 'debug'],
      [{ origins: OK, onDecision: () => {} }, 'onDecision'],
    ];
    for (const [options, path] of cases) {
      try {
        prevalidatePolicy(options);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(CorsConfigError);
        expect((error as CorsConfigError).issues).toEqual([
          expect.objectContaining({ code: 'INVALID_TYPE', path }),
        ]);
        expect((error as CorsConfigError).message).toMatch(/includePolicyValidation\(\)/);
      }
    }
    expect(stored(prevalidatePolicy({ origins: OK, debug: true })).config.debug).toBe(true);
  });

  it('does not depend on how the options were written', () => {
    const a = prevalidatePolicy({
      origins: ['HTTPS://App.Example.com'],
      maxAge: 60,
      credentials: true,
    });
    const b = prevalidatePolicy({
      credentials: true,
      maxAge: 60,
      origins: ['https://app.example.com'],
    });
    expect(a).toEqual(b);
  });
});

describe('loading a record', () => {
  const record = stored(prevalidatePolicy({ origins: OK, credentials: true }));
  const issuesOf = (compile: typeof CompilePolicy, value: unknown) => {
    try {
      compile(value as ValidatedPolicy);
      return [];
    } catch (error) {
      return (error as CorsConfigError).issues.map((i) => [i.code, i.path]);
    }
  };

  it('refuses another version and an edit in both builds', () => {
    const edited = stored(record);
    (edited.config as { credentials: boolean }).credentials = false;
    const foreign = { ...record, version: VALIDATED_POLICY_VERSION + 1 };
    const unsigned = { ...record, check: undefined };
    for (const bad of [edited, foreign, unsigned]) {
      expect(issuesOf(compilePolicy, bad)).toEqual([['VALIDATED_POLICY_INVALID', '']]);
      expect(issuesOf(edgeCompile, bad)).toEqual([['VALIDATED_POLICY_INVALID', '']]);
    }
  });

  it('says in the Node build what is wrong and how to fix it, and in the edge build links it', () => {
    const foreign = { ...record, version: 0 };
    expect(() => compilePolicy(foreign)).toThrow(/version 0, not 1.*prevalidatePolicy\(\)/);
    expect(() => edgeCompile(foreign)).toThrow(
      /version 0, not 1 \(VALIDATED_POLICY_INVALID\)\. Fix: see https:\/\/github\.com\/corsproof\/corsproof\/blob\/main\/docs\/errors\.md#validated_policy_invalid/,
    );
  });

  it('validates a record again in the Node build: a checksum that matches is not enough', () => {
    // A record whose checksum matches but whose configuration the validator would not write.
    const result = validateOptions({ origins: OK });
    if (!result.ok) throw new Error('unreachable');
    const config = {
      ...result.config,
      origins: [
        {
          kind: 'exact',
          serialized: 'https://App.example.com',
          scheme: 'https',
          host: 'App.example.com',
        },
      ],
    } as typeof result.config;
    const forged = stored(recordOf(config, {}));
    expect(issuesOf(compilePolicy, forged)).toEqual([['VALIDATED_POLICY_INVALID', '']]);
    expect(() => compilePolicy(forged)).toThrow(/validate to another configuration/);
  });

  it('refuses options in the edge build until validation is included, then validates as Node', () => {
    expect(() => edgeCompile({ origins: OK })).toThrow(
      expect.objectContaining({
        name: 'PolicyValidationAbsentError',
        message: expect.stringMatching(
          /includePolicyValidation\(\).*prevalidatePolicy\(\)|prevalidatePolicy\(\).*includePolicyValidation\(\)/,
        ),
      }),
    );
    // Records need no validator.
    expect(edgeCompile(record).toJSON()).toEqual(compilePolicy(record).toJSON());
    includeEdgeValidation();
    expect(edgeCompile({ origins: OK }).toJSON()).toEqual(compilePolicy({ origins: OK }).toJSON());
    expect(issuesOf(edgeCompile, { origins: ['https://app.example.com/'] })).toEqual(
      issuesOf(compilePolicy, { origins: ['https://app.example.com/'] }),
    );
  });
});
