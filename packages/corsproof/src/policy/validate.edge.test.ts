/**
 * The edge build validates with tldts replaced by edge/tldts.ts (see scripts/build-edge.mjs).
 * Given the Public Suffix List (`includePublicSuffixList()`), it must judge every configuration as
 * the Node build does: the same issues, codes, paths and messages, for the validation tables and
 * for credentialed wildcards over real suffixes. Without the list it must never accept what the
 * Node build refuses: it reports the same issues, or refuses the whole policy with an error that
 * says how to keep it.
 */
import * as tldtsTrie from 'tldts/dist/es6/src/data/trie.js';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeSuffixTrie, publicSuffixIn } from '../edge/public-suffix-trie.js';
import {
  encodeSuffixTrie,
  rulesForAsciiHosts,
  rulesOfTldtsTrie,
} from '../edge/public-suffix-trie-encode.js';
import { PublicSuffixListAbsentError } from '../edge/tldts.js';
import { ACCEPTED, origin, REFUSED } from './validate.cases.js';
import type { validateOptions as ValidateOptions } from './validate.js';
import { validateOptions as nodeValidate } from './validate.js';

type Outcome = { readonly issues: readonly unknown[] } | { readonly absent: string };

/** The validator as the edge build has it: a module graph of its own with tldts swapped. */
async function edgeValidator(withList: boolean): Promise<typeof ValidateOptions> {
  vi.resetModules();
  vi.doMock('tldts', () => import('../edge/tldts.js'));
  const { validateOptions } = await import('./validate.js');
  if (withList) {
    // What includePublicSuffixList() hands over in the edge build, from the same list.
    const trie = decodeSuffixTrie(
      encodeSuffixTrie(rulesForAsciiHosts(rulesOfTldtsTrie(tldtsTrie))),
    );
    const { usePublicSuffixLookup } = await import('../edge/tldts.js');
    usePublicSuffixLookup((domain) => publicSuffixIn(trie, domain));
  }
  vi.doUnmock('tldts');
  return validateOptions;
}

let edgeWithList: typeof ValidateOptions;
let edgeWithoutList: typeof ValidateOptions;

beforeAll(async () => {
  edgeWithoutList = await edgeValidator(false);
  edgeWithList = await edgeValidator(true);
});

/** Everything a user sees of a validation: each issue whole, messages included. */
function outcome(validate: typeof ValidateOptions, options: unknown): Outcome {
  try {
    const result = validate(options);
    return { issues: result.ok ? [] : result.issues };
  } catch (error) {
    // The edge module graph is a second copy of the sources, so its class is a second class.
    if (error instanceof Error && error.name === 'PublicSuffixListAbsentError') {
      return { absent: error.message };
    }
    throw error;
  }
}

const TABLE = [
  ...REFUSED.map((row) => [row.name, row.options] as const),
  ...ACCEPTED.map(([name, options]) => [`accepts ${name}`, options] as const),
];

/**
 * Credentialed wildcards over real suffixes: ICANN and private rules, wildcard rules (`*.ck`, so
 * `anything.ck` is a suffix) and their exceptions (`!www.ck`), a name under each, ordinary domains.
 */
const SUFFIX_HOSTS = [
  'com',
  'uk',
  'co.uk',
  'example.co.uk',
  'github.io',
  'me.github.io',
  's3.amazonaws.com',
  'bucket.s3.amazonaws.com',
  'amazonaws.com',
  'ck',
  'anything.ck',
  'a.anything.ck',
  'www.ck',
  'api.www.ck',
  'kawasaki.jp',
  'city.kawasaki.jp',
  'foo.kawasaki.jp',
  'blogspot.com',
  'example.com',
  'api.example.com',
  'example.invalid',
  'xn--55qx5d.cn',
  'localhost',
];
const SUFFIX_ROWS = SUFFIX_HOSTS.map(
  (host) =>
    [
      `https://*.${host} with credentials`,
      origin(`https://*.${host}`, { credentials: true }),
    ] as const,
);

describe('validation in the edge build, with the Public Suffix List included', () => {
  it.each(TABLE)('judges as the Node build: %s', (_name, options) => {
    expect(outcome(edgeWithList, options)).toEqual(outcome(nodeValidate, options));
  });

  it.each(SUFFIX_ROWS)('judges as the Node build: %s', (_name, options) => {
    expect(outcome(edgeWithList, options)).toEqual(outcome(nodeValidate, options));
  });

  it('refuses the suffixes and accepts the domains, as the list says (the table is not vacuous)', () => {
    const refused = SUFFIX_ROWS.filter(([, options]) => {
      const result = outcome(edgeWithList, options);
      return 'issues' in result && result.issues.length > 0;
    }).map(([name]) => name.split(' ')[0]);
    expect(refused).toEqual([
      'https://*.com',
      'https://*.uk',
      'https://*.co.uk',
      'https://*.github.io',
      'https://*.s3.amazonaws.com',
      'https://*.ck',
      'https://*.anything.ck',
      'https://*.kawasaki.jp',
      'https://*.foo.kawasaki.jp',
      'https://*.blogspot.com',
      'https://*.xn--55qx5d.cn',
    ]);
  });
});

describe('validation in the edge build, without the Public Suffix List', () => {
  it.each([...TABLE, ...SUFFIX_ROWS])(
    'never accepts what the Node build refuses: %s',
    (_n, options) => {
      const node = outcome(nodeValidate, options);
      const edge = outcome(edgeWithoutList, options);
      if ('absent' in edge) {
        // Refused outright: never an acceptance the Node build would not give.
        expect(edge.absent).toMatch(/^corsproof: .*Public Suffix List/);
      } else {
        expect(edge).toEqual(node);
      }
    },
  );

  it('refuses a wildcard on a single label as the Node build does, with no list needed', () => {
    const options = origin('https://*.com', { credentials: true });
    expect(outcome(edgeWithoutList, options)).toEqual(outcome(nodeValidate, options));
    expect(outcome(edgeWithoutList, options)).not.toEqual({ issues: [] });
  });

  it('refuses any other credentialed subdomain wildcard, naming the host and how to keep it', () => {
    for (const entry of ['https://*.github.io', 'https://*.example.com']) {
      const edge = outcome(edgeWithoutList, origin(entry, { credentials: true }));
      expect(edge).toEqual({ absent: expect.stringContaining(`"${entry.slice(10)}"`) });
      expect('absent' in edge && edge.absent).toMatch(/call includePublicSuffixList\(\)/);
      expect('absent' in edge && edge.absent).toMatch(/list the exact origins/);
    }
  });

  it('accepts the same wildcard without credentials, or with the opt-out', () => {
    expect(outcome(edgeWithoutList, origin('https://*.example.com'))).toEqual({ issues: [] });
    const optedOut = origin('https://*.example.com', {
      credentials: true,
      dangerouslyAllowPublicSuffixWildcards: true,
    });
    expect(outcome(edgeWithoutList, optedOut)).toEqual({ issues: [] });
  });

  it('throws an error that carries the host it could not judge', () => {
    expect(() => edgeWithoutList(origin('https://*.co.uk', { credentials: true }))).toThrow(
      expect.objectContaining({ name: 'PublicSuffixListAbsentError', host: 'co.uk' }),
    );
    expect(new PublicSuffixListAbsentError('co.uk').host).toBe('co.uk');
  });
});
