import { describe, expect, it } from 'vitest';
import { type CorsCheckFailure, corsCheck } from './cors-check.js';
import type { HeaderList } from './response-headers.js';

// WPT cors/origin.htm runs on a host with a subdomain: "the origin", its parent domain, a sibling.
const ORIGIN = 'https://www.example.com';
const PARENT = 'example.com';

const acao = (...values: string[]): HeaderList =>
  values.map((v) => ['Access-Control-Allow-Origin', v]);

describe('corsCheck without credentials', () => {
  const request = { origin: ORIGIN, credentialsInclude: false };

  // WPT cors/origin.htm shouldPass.
  it.each([
    { name: 'the wildcard passes', value: '*' },
    { name: 'the wildcard padded with spaces passes', value: ' *  ' },
    { name: 'the wildcard after a tab passes', value: '\t*' },
    { name: 'the exact origin passes', value: ORIGIN },
    { name: 'the origin after a space passes', value: ` ${ORIGIN}` },
    { name: 'the origin padded with spaces and a tab passes', value: ` ${ORIGIN}   \t ` },
    { name: 'the origin after a tab passes', value: `\t${ORIGIN}` },
  ])('$name: $value', ({ value }) => {
    expect(corsCheck(acao(value), request)).toBeNull();
  });

  it('matches the header name case-insensitively', () => {
    expect(corsCheck([['ACCESS-CONTROL-ALLOW-ORIGIN', ORIGIN]], request)).toBeNull();
  });

  it('ignores Access-Control-Allow-Credentials', () => {
    expect(
      corsCheck([...acao(ORIGIN), ['Access-Control-Allow-Credentials', 'false']], request),
    ).toBeNull();
  });

  it('fails without Access-Control-Allow-Origin as MissingAllowOriginHeader', () => {
    expect(corsCheck([['Vary', 'Origin']], request)).toBe('MissingAllowOriginHeader');
    expect(corsCheck([], request)).toBe('MissingAllowOriginHeader');
  });

  // WPT cors/origin.htm shouldFail, with the failure Chromium's CheckAccess names.
  it.each<{ name: string; value: string; failure: CorsCheckFailure }>([
    {
      name: 'a subdomain of the origin',
      value: 'https://sub.www.example.com',
      failure: 'AllowOriginMismatch',
    },
    {
      name: 'a scheme-relative origin',
      value: '//www.example.com',
      failure: 'InvalidAllowOriginValue',
    },
    { name: 'an empty scheme', value: '://www.example.com', failure: 'InvalidAllowOriginValue' },
    { name: 'another scheme', value: 'ftp://www.example.com', failure: 'AllowOriginMismatch' },
    {
      name: 'a doubled colon after the scheme',
      value: 'https:://www.example.com',
      failure: 'InvalidAllowOriginValue',
    },
    {
      name: 'a scheme with one slash',
      value: 'https:/www.example.com',
      failure: 'AllowOriginMismatch',
    },
    {
      name: 'a scheme with no slash',
      value: 'https:www.example.com',
      failure: 'AllowOriginMismatch',
    },
    { name: 'the host alone', value: 'www.example.com', failure: 'InvalidAllowOriginValue' },
    { name: 'an empty query', value: `${ORIGIN}?`, failure: 'AllowOriginMismatch' },
    { name: 'a trailing slash', value: `${ORIGIN}/`, failure: 'AllowOriginMismatch' },
    { name: 'a space and a slash', value: `${ORIGIN} /`, failure: 'MultipleAllowOriginValues' },
    { name: 'an empty fragment', value: `${ORIGIN}#`, failure: 'AllowOriginMismatch' },
    { name: 'a percent-encoded "#"', value: `${ORIGIN}%23`, failure: 'InvalidAllowOriginValue' },
    {
      name: 'the default port written out',
      value: `${ORIGIN}:443`,
      failure: 'AllowOriginMismatch',
    },
    { name: 'the other default port', value: `${ORIGIN}:80`, failure: 'AllowOriginMismatch' },
    {
      name: 'the origin and a wildcard',
      value: `${ORIGIN}, *`,
      failure: 'MultipleAllowOriginValues',
    },
    { name: 'a trailing NUL', value: `${ORIGIN}\0`, failure: 'AllowOriginMismatch' },
    { name: 'the origin upper-cased', value: ORIGIN.toUpperCase(), failure: 'AllowOriginMismatch' },
    {
      name: 'the scheme upper-cased',
      value: 'HTTPS://www.example.com',
      failure: 'AllowOriginMismatch',
    },
    { name: 'a dash', value: '-', failure: 'InvalidAllowOriginValue' },
    { name: 'two asterisks', value: '**', failure: 'InvalidAllowOriginValue' },
    { name: 'a NUL then a wildcard', value: '\0*', failure: 'InvalidAllowOriginValue' },
    { name: 'a wildcard then a NUL', value: '*\0', failure: 'InvalidAllowOriginValue' },
    { name: 'a single-quoted wildcard', value: "'*'", failure: 'InvalidAllowOriginValue' },
    { name: 'a double-quoted wildcard', value: '"*"', failure: 'InvalidAllowOriginValue' },
    { name: 'two wildcards', value: '* *', failure: 'MultipleAllowOriginValues' },
    { name: 'a wildcard and null', value: '* null', failure: 'MultipleAllowOriginValues' },
    {
      name: 'a wildcard glued to a wildcard origin',
      value: '*https://*',
      failure: 'InvalidAllowOriginValue',
    },
    {
      name: 'a wildcard glued to the origin',
      value: `*${ORIGIN}`,
      failure: 'InvalidAllowOriginValue',
    },
    {
      name: 'a wildcard, a space and the origin',
      value: `* ${ORIGIN}`,
      failure: 'MultipleAllowOriginValues',
    },
    {
      name: 'a wildcard, a comma and the origin',
      value: `*, ${ORIGIN}`,
      failure: 'MultipleAllowOriginValues',
    },
    { name: 'a NUL then the origin', value: `\0${ORIGIN}`, failure: 'AllowOriginMismatch' },
    { name: 'null and the origin', value: `null ${ORIGIN}`, failure: 'MultipleAllowOriginValues' },
    { name: 'another origin', value: 'http://example.net', failure: 'AllowOriginMismatch' },
    { name: 'null for a tuple origin', value: 'null', failure: 'AllowOriginMismatch' },
    { name: 'null and a wildcard', value: 'null *', failure: 'MultipleAllowOriginValues' },
    { name: 'an empty value', value: '', failure: 'InvalidAllowOriginValue' },
    { name: 'a whitespace-only value', value: ' \t ', failure: 'InvalidAllowOriginValue' },
    { name: "the page's URL", value: `${ORIGIN}/cors/origin.htm`, failure: 'AllowOriginMismatch' },
    { name: "the page's directory", value: `${ORIGIN}/cors/`, failure: 'AllowOriginMismatch' },
    {
      name: 'the cross-origin server',
      value: 'https://www1.example.com/',
      failure: 'AllowOriginMismatch',
    },
    { name: 'the parent domain alone', value: PARENT, failure: 'InvalidAllowOriginValue' },
    {
      name: 'the parent domain with a leading dot',
      value: `.${PARENT}`,
      failure: 'InvalidAllowOriginValue',
    },
    {
      name: 'a wildcard subdomain pattern',
      value: `*.${PARENT}`,
      failure: 'InvalidAllowOriginValue',
    },
    { name: 'the parent origin', value: `https://${PARENT}`, failure: 'AllowOriginMismatch' },
    {
      name: 'the parent origin with a leading dot',
      value: `https://.${PARENT}`,
      failure: 'AllowOriginMismatch',
    },
    {
      name: 'a wildcard subdomain origin (a valid URL, so a mismatch)',
      value: `https://*.${PARENT}`,
      failure: 'AllowOriginMismatch',
    },
    {
      name: 'the http origin for an https page',
      value: 'http://www.example.com',
      failure: 'AllowOriginMismatch',
    },
  ])('fails for $name as $failure', ({ value, failure }) => {
    expect(corsCheck(acao(value), request)).toBe(failure);
  });

  // WPT cors/origin.htm doubleOrigin: two header lines are combined with ", " and so fail.
  it.each([
    { name: 'an empty line and a wildcard', values: ['', '*'] },
    { name: 'a wildcard and an empty line', values: ['*', ''] },
    { name: 'two wildcards', values: ['*', '*'] },
    { name: 'an empty line and the origin', values: ['', ORIGIN] },
    { name: 'a wildcard and the origin', values: ['*', ORIGIN] },
    { name: 'the origin twice', values: [ORIGIN, ORIGIN] },
  ])('fails for two header lines, $name, as MultipleAllowOriginValues', ({ values }) => {
    expect(corsCheck(acao(...values), request)).toBe('MultipleAllowOriginValues');
  });

  it.each([
    { name: 'null passes for an opaque origin', value: 'null', failure: null },
    { name: 'the wildcard passes for an opaque origin', value: '*', failure: null },
    {
      name: 'a tuple origin fails for an opaque origin',
      value: ORIGIN,
      failure: 'AllowOriginMismatch',
    },
    {
      name: 'an upper-case NULL fails for an opaque origin',
      value: 'NULL',
      failure: 'InvalidAllowOriginValue',
    },
  ])('$name', ({ value, failure }) => {
    expect(corsCheck(acao(value), { origin: 'null', credentialsInclude: false })).toBe(failure);
  });
});

describe('corsCheck with credentials', () => {
  const request = { origin: ORIGIN, credentialsInclude: true };
  const withAcac = (origin: string, ...acac: string[]): HeaderList => [
    ...acao(origin),
    ...acac.map((v): [string, string] => ['Access-Control-Allow-Credentials', v]),
  ];

  it.each<{ name: string; headers: HeaderList; failure: CorsCheckFailure | null }>([
    {
      name: 'the origin with Allow-Credentials true passes',
      headers: withAcac(ORIGIN, 'true'),
      failure: null,
    },
    {
      name: 'Allow-Credentials true padded with whitespace passes',
      headers: withAcac(ORIGIN, ' true\t'),
      failure: null,
    },
    {
      name: 'Allow-Credentials matches its name case-insensitively',
      headers: [...acao(ORIGIN), ['ACCESS-CONTROL-ALLOW-CREDENTIALS', 'true']],
      failure: null,
    },
    {
      name: 'the wildcard fails even with Allow-Credentials true',
      headers: withAcac('*', 'true'),
      failure: 'WildcardOriginNotAllowed',
    },
    {
      name: 'the wildcard fails without Allow-Credentials',
      headers: acao('*'),
      failure: 'WildcardOriginNotAllowed',
    },
    {
      name: 'the padded wildcard fails',
      headers: withAcac(' * ', 'true'),
      failure: 'WildcardOriginNotAllowed',
    },
    {
      name: 'a mismatched origin fails as a mismatch first',
      headers: withAcac(`${ORIGIN}/`, 'true'),
      failure: 'AllowOriginMismatch',
    },
    {
      name: 'a missing Allow-Origin fails first',
      headers: [['Access-Control-Allow-Credentials', 'true']],
      failure: 'MissingAllowOriginHeader',
    },
    {
      name: 'a missing Allow-Credentials fails',
      headers: acao(ORIGIN),
      failure: 'InvalidAllowCredentials',
    },
    // WPT cors/credentials-flag.htm.
    {
      name: 'Allow-Credentials TRUE fails',
      headers: withAcac(ORIGIN, 'TRUE'),
      failure: 'InvalidAllowCredentials',
    },
    {
      name: 'Allow-Credentials True fails',
      headers: withAcac(ORIGIN, 'True'),
      failure: 'InvalidAllowCredentials',
    },
    {
      name: 'Allow-Credentials "true" fails',
      headers: withAcac(ORIGIN, '"true"'),
      failure: 'InvalidAllowCredentials',
    },
    {
      name: 'Allow-Credentials false fails',
      headers: withAcac(ORIGIN, 'false'),
      failure: 'InvalidAllowCredentials',
    },
    {
      name: 'Allow-Credentials 1 fails',
      headers: withAcac(ORIGIN, '1'),
      failure: 'InvalidAllowCredentials',
    },
    {
      name: 'Allow-Credentials 0 fails',
      headers: withAcac(ORIGIN, '0'),
      failure: 'InvalidAllowCredentials',
    },
    {
      name: 'an empty Allow-Credentials fails',
      headers: withAcac(ORIGIN, ''),
      failure: 'InvalidAllowCredentials',
    },
    {
      name: 'two Allow-Credentials true lines fail',
      headers: withAcac(ORIGIN, 'true', 'true'),
      failure: 'InvalidAllowCredentials',
    },
    {
      name: 'Allow-Credentials true, true on one line fails',
      headers: withAcac(ORIGIN, 'true, true'),
      failure: 'InvalidAllowCredentials',
    },
  ])('$name', ({ headers, failure }) => {
    expect(corsCheck(headers, request)).toBe(failure);
  });

  it('passes null for an opaque origin with Allow-Credentials true', () => {
    const headers = withAcac('null', 'true');
    expect(corsCheck(headers, { origin: 'null', credentialsInclude: true })).toBeNull();
  });
});
