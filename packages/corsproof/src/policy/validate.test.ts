import { describe, expect, it } from 'vitest';
import { compilePolicy } from './compile.js';
import { type CorsConfigCode, CorsConfigError, type CorsConfigIssue } from './errors.js';
import type { CorsOptions } from './options.js';
import { ACCEPTED, ALL_CODES, OK, origin, REFUSED } from './validate.cases.js';
import { validateOptions } from './validate.js';
import { validatePolicyInput } from './validate-input.js';

/** Issues as compilePolicy finds them: options, or a prevalidated policy validated again. */
function issuesOf(options: unknown): CorsConfigIssue[] {
  const result = validatePolicyInput(options);
  return result.ok ? [] : result.issues;
}

describe('validateOptions', () => {
  it.each(REFUSED.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const issues = issuesOf(row.options);
    expect(issues.map((i) => [i.code, i.path])).toEqual(row.issues);
    for (const issue of issues) {
      expect(issue.reason).toMatch(/\S/);
      expect(issue.fix).toMatch(/\S/);
      expect(issue).toHaveProperty('value');
    }
    if (row.fix !== undefined) {
      const first = issues[0] as CorsConfigIssue;
      if (typeof row.fix === 'string') expect(first.fix).toContain(row.fix);
      else expect(first.fix).toMatch(row.fix);
    }
  });

  it.each(ACCEPTED)('accepts %s', (_name, options) => {
    expect(issuesOf(options)).toEqual([]);
  });

  it('has a refused row for every error code', () => {
    const covered = new Set(REFUSED.flatMap((row) => row.issues.map(([code]) => code)));
    expect(Object.keys(ALL_CODES).filter((code) => !covered.has(code as CorsConfigCode))).toEqual(
      [],
    );
  });

  it('reports the offending value of each issue as given', () => {
    const [issue] = issuesOf(origin('https://app.example.com/'));
    expect(issue?.value).toBe('https://app.example.com/');
    const [age] = issuesOf({ origins: OK, maxAge: 86401 });
    expect(age?.value).toBe(86401);
  });

  it('never suggests a reflecting predicate as the way around a refusal', () => {
    const all = REFUSED.flatMap((row) => issuesOf(row.options));
    for (const issue of all) {
      expect(issue.fix).not.toMatch(/=>|function|reflect|origin: true/);
    }
  });

  it('normalizes the configuration: lower-case headers, normalized methods, canonical origins', () => {
    const result = validateOptions({
      origins: ['HTTPS://App.Example.com', 'https://*.Example.NET:*'],
      methods: ['put', 'PATCH', 'patch'],
      requestHeaders: ['X-Custom', 'Content-Type'],
      exposeHeaders: ['X-Total'],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.methods).toEqual(['PUT', 'PATCH', 'patch']);
    expect(result.config.requestHeaders).toEqual(['x-custom', 'content-type']);
    expect(result.config.exposeHeaders).toEqual(['x-total']);
    expect(result.config.maxAge).toBeNull();
    expect(result.config.preflightStatus).toBe(204);
    expect(result.config.logger).toBeNull();
  });
});

describe('CorsConfigError', () => {
  const everything = {
    origins: ['https://app.example.com/', 'null', 'http://app.example.com', '*'],
    credentials: true,
    methods: ['TRACE'],
    requestHeaders: ['Cookie'],
    exposeHeaders: '*',
    maxAge: -1,
    preflightStatus: 500,
    allowedOrigins: ['https://x.example'],
  };

  it('collects every issue of a configuration in one error', () => {
    let error: unknown;
    try {
      compilePolicy(everything as unknown as CorsOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CorsConfigError);
    const e = error as CorsConfigError;
    expect(e.name).toBe('CorsConfigError');
    expect(e.issues.map((i) => i.code)).toEqual([
      'UNKNOWN_OPTION',
      'ORIGIN_INVALID',
      'ORIGIN_NULL',
      'INSECURE_ORIGIN_WITH_CREDENTIALS',
      'ORIGIN_WILDCARD_IN_LIST',
      'METHOD_FORBIDDEN',
      'REQUEST_HEADER_FORBIDDEN',
      'EXPOSE_WILDCARD_WITH_CREDENTIALS',
      'MAX_AGE_INVALID',
      'PREFLIGHT_STATUS_INVALID',
    ]);
    expect(Object.isFrozen(e.issues)).toBe(true);
  });

  it('starts its message with "corsproof: " and gives one line per issue with the value quoted', () => {
    try {
      compilePolicy(everything as unknown as CorsOptions);
      expect.unreachable();
    } catch (e) {
      const message = (e as Error).message;
      expect(message.startsWith('corsproof: the CORS policy has 10 problems:\n')).toBe(true);
      const lines = message.split('\n').slice(1);
      expect(lines).toHaveLength(10);
      for (const line of lines) expect(line).toMatch(/^ {2}- .+ \([A-Z_]+\)\. Fix: .+$/);
      expect(message).toContain(
        '  - origins[0] "https://app.example.com/": not an origin: an origin has no trailing "/"',
      );
      expect(message).toContain('maxAge -1: maxAge must be a whole number');
    }
  });

  it('says "a problem" for a single issue', () => {
    expect(() => compilePolicy({ origins: [] })).toThrow(
      /^corsproof: the CORS policy has a problem:\n {2}- origins \[\]: an empty list/,
    );
  });

  it('shows a function value as [function] and an unserializable one as a string', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const error = new CorsConfigError([
      { code: 'INVALID_TYPE', path: 'origins', value: () => 1, reason: 'r', fix: 'f' },
      { code: 'INVALID_TYPE', path: 'methods', value: cyclic, reason: 'r', fix: 'f' },
      { code: 'INVALID_TYPE', path: 'debug', value: undefined, reason: 'r', fix: 'f' },
    ]);
    expect(error.message).toContain('origins [function]: r');
    expect(error.message).toContain('methods [object Object]: r');
    expect(error.message).toContain('debug undefined: r');
  });
});
