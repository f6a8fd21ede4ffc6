/**
 * The edge build validates with tldts replaced by edge/public-suffix-list-absent.ts (see
 * scripts/build-edge.mjs). Run through the same validation tables as the Node build, it must never
 * accept a configuration the Node build refuses: it reports the same issues, or, where the answer
 * needs the Public Suffix List, refuses the whole policy with an error that says how to keep it.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PublicSuffixListAbsentError } from '../edge/public-suffix-list-absent.js';
import { ACCEPTED, origin, REFUSED } from './validate.cases.js';
import type { validateOptions as ValidateOptions } from './validate.js';
import { validateOptions as nodeValidate } from './validate.js';

type Outcome =
  | { readonly issues: readonly (readonly [string, string])[] }
  | { readonly absent: string };

let edgeValidate: typeof ValidateOptions;

beforeAll(async () => {
  vi.resetModules();
  vi.doMock('tldts', () => import('../edge/public-suffix-list-absent.js'));
  ({ validateOptions: edgeValidate } = await import('./validate.js'));
  vi.doUnmock('tldts');
});

function outcome(validate: typeof ValidateOptions, options: unknown): Outcome {
  try {
    const result = validate(options);
    return { issues: result.ok ? [] : result.issues.map((i) => [i.code, i.path] as const) };
  } catch (error) {
    // The edge module graph is a second copy of the sources, so its class is a second class.
    if (error instanceof Error && error.name === 'PublicSuffixListAbsentError') {
      return { absent: error.message };
    }
    throw error;
  }
}

describe('validation in the edge build', () => {
  const rows = [
    ...REFUSED.map((row) => [row.name, row.options] as const),
    ...ACCEPTED.map(([name, options]) => [`accepts ${name}`, options] as const),
  ];

  it.each(rows)('refuses what the Node build refuses: %s', (_name, options) => {
    const node = outcome(nodeValidate, options);
    const edge = outcome(edgeValidate, options);
    if ('absent' in edge) {
      // Refused outright: never an acceptance the Node build would not give.
      expect(edge.absent).toMatch(/^corsproof: .*Public Suffix List/);
    } else {
      expect(edge).toEqual(node);
    }
  });

  it('refuses a credentialed subdomain wildcard, naming the host and both ways to keep it', () => {
    for (const entry of ['https://*.github.io', 'https://*.example.com']) {
      const edge = outcome(edgeValidate, origin(entry, { credentials: true }));
      expect(edge).toEqual({ absent: expect.stringContaining(`"${entry.slice(10)}"`) });
      expect('absent' in edge && edge.absent).toMatch(/list the exact origins/);
      expect('absent' in edge && edge.absent).toMatch(/compilePolicy\(\) from 'corsproof'/);
    }
  });

  it('accepts the same wildcard without credentials, or once the Node build has checked it', () => {
    expect(outcome(edgeValidate, origin('https://*.example.com'))).toEqual({ issues: [] });
    const checked = origin('https://*.example.com', {
      credentials: true,
      dangerouslyAllowPublicSuffixWildcards: true,
    });
    expect(outcome(edgeValidate, checked)).toEqual({ issues: [] });
    expect(outcome(nodeValidate, origin('https://*.example.com', { credentials: true }))).toEqual({
      issues: [],
    });
  });

  it('throws an error that carries the host it could not judge', () => {
    expect(() => edgeValidate(origin('https://*.co.uk', { credentials: true }))).toThrow(
      expect.objectContaining({ name: 'PublicSuffixListAbsentError', host: 'co.uk' }),
    );
    expect(new PublicSuffixListAbsentError('co.uk').host).toBe('co.uk');
  });
});
