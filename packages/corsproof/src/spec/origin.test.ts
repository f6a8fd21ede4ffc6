import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  defaultPort,
  isSameOrigin,
  isSpecialScheme,
  newOpaqueOrigin,
  OPAQUE_ORIGIN,
  type Origin,
  type OriginProblem,
  originOfUrl,
  type ParseOriginResult,
  parseOrigin,
  parseSerializedOrigin,
  serializeOrigin,
  type TupleOrigin,
} from './origin.js';

type Parsed = Extract<ParseOriginResult, { ok: true }>;

function tuple(scheme: string, host: string, port: number | null = null): TupleOrigin {
  return { type: 'tuple', scheme, host, port };
}

describe('parseOrigin', () => {
  it.each([
    {
      name: 'a canonical https origin is kept as it is',
      input: 'https://example.com',
      out: 'https://example.com',
    },
    { name: 'the scheme is lower-cased', input: 'HTTPS://example.com', out: 'https://example.com' },
    { name: 'the host is lower-cased', input: 'https://EXAMPLE.Com', out: 'https://example.com' },
    {
      name: 'the default https port is elided',
      input: 'https://example.com:443',
      out: 'https://example.com',
    },
    {
      name: 'the default http port is elided',
      input: 'http://example.com:80',
      out: 'http://example.com',
    },
    {
      name: 'the default ws port is elided',
      input: 'ws://example.com:80',
      out: 'ws://example.com',
    },
    {
      name: 'the default wss port is elided',
      input: 'wss://example.com:443',
      out: 'wss://example.com',
    },
    {
      name: 'the default ftp port is elided',
      input: 'ftp://example.com:21',
      out: 'ftp://example.com',
    },
    {
      name: 'a default port written with a leading zero is elided',
      input: 'https://example.com:0443',
      out: 'https://example.com',
    },
    {
      name: 'a non-default port is kept',
      input: 'https://example.com:8443',
      out: 'https://example.com:8443',
    },
    {
      name: "https's default port is not http's",
      input: 'http://example.com:443',
      out: 'http://example.com:443',
    },
    { name: 'port 0 is kept', input: 'http://example.com:0', out: 'http://example.com:0' },
    {
      name: 'port 65535 is kept',
      input: 'http://example.com:65535',
      out: 'http://example.com:65535',
    },
    {
      name: 'an IDN host becomes punycode',
      input: 'https://bücher.example',
      out: 'https://xn--bcher-kva.example',
    },
    {
      name: 'an upper-case IDN host is mapped, then encoded',
      input: 'https://BÜCHER.example',
      out: 'https://xn--bcher-kva.example',
    },
    {
      name: 'a Japanese IDN host becomes punycode',
      input: 'https://例え.テスト',
      out: 'https://xn--r8jz45g.xn--zckzah',
    },
    {
      name: 'ß is kept, not mapped to ss (non-transitional UTS #46)',
      input: 'https://ß.com',
      out: 'https://xn--zca.com',
    },
    {
      name: 'full-width letters are mapped to ASCII',
      input: 'https://ｅｘａｍｐｌｅ.com',
      out: 'https://example.com',
    },
    {
      name: 'a punycode host is kept',
      input: 'https://xn--bcher-kva.example',
      out: 'https://xn--bcher-kva.example',
    },
    {
      name: 'a percent-encoded host is decoded',
      input: 'https://ex%61mple.com',
      out: 'https://example.com',
    },
    {
      name: 'a trailing dot on a domain is kept',
      input: 'https://example.com.',
      out: 'https://example.com.',
    },
    {
      name: 'an underscore in a host is kept',
      input: 'https://my_host.example',
      out: 'https://my_host.example',
    },
    { name: 'an IPv6 host keeps its brackets', input: 'http://[::1]', out: 'http://[::1]' },
    { name: 'an IPv6 host is compressed', input: 'http://[0:0:0:0:0:0:0:1]', out: 'http://[::1]' },
    {
      name: 'an IPv6 host loses leading zeros and upper case',
      input: 'http://[2001:0DB8:0000:0000:0000:0000:0000:0001]',
      out: 'http://[2001:db8::1]',
    },
    {
      name: 'an IPv6 host has its longest zero run compressed',
      input: 'http://[1:0:0:2:0:0:0:3]',
      out: 'http://[1:0:0:2::3]',
    },
    {
      name: 'an IPv6 host has the first of two equal zero runs compressed',
      input: 'http://[1:0:0:2:0:0:3:4]',
      out: 'http://[1::2:0:0:3:4]',
    },
    {
      name: 'an IPv6 host with a dotted IPv4 tail is written in hex',
      input: 'http://[::ffff:127.0.0.1]',
      out: 'http://[::ffff:7f00:1]',
    },
    {
      name: 'an IPv6 host keeps a non-default port',
      input: 'http://[::1]:8080',
      out: 'http://[::1]:8080',
    },
    { name: 'an IPv6 host loses a default port', input: 'https://[::1]:443', out: 'https://[::1]' },
    {
      name: 'an IPv4 host in hex and short form is made dotted decimal',
      input: 'http://0x7f.1',
      out: 'http://127.0.0.1',
    },
    {
      name: 'an IPv4 host in octal is made dotted decimal',
      input: 'http://0177.0.0.1',
      out: 'http://127.0.0.1',
    },
    {
      name: 'an IPv4 host written as one number is made dotted decimal',
      input: 'http://2130706433',
      out: 'http://127.0.0.1',
    },
    {
      name: 'an IPv4 host loses its trailing dot',
      input: 'http://127.0.0.1.',
      out: 'http://127.0.0.1',
    },
    { name: 'the IPv4 host 0 is 0.0.0.0', input: 'http://0', out: 'http://0.0.0.0' },
    { name: 'null is the opaque origin', input: 'null', out: 'null' },
    {
      name: 'a non-special scheme keeps its port',
      input: 'chrome-extension://abcdef:80',
      out: 'chrome-extension://abcdef:80',
    },
    {
      name: 'a non-special host is ASCII lower-cased',
      input: 'Chrome-Extension://ABCDEF',
      out: 'chrome-extension://abcdef',
    },
    { name: 'a non-special host is not read as IPv4', input: 'foo://0x7f.1', out: 'foo://0x7f.1' },
    { name: 'a non-special IPv6 host is canonicalized', input: 'foo://[0::1]', out: 'foo://[::1]' },
  ])('$name: $input', ({ input, out }) => {
    const result = parseOrigin(input);
    expect(result).toMatchObject({ ok: true, serialized: out });
  });

  it.each<{ name: string; input: string; problem: OriginProblem }>([
    { name: 'the empty string', input: '', problem: 'empty' },
    { name: 'a leading space', input: ' https://example.com', problem: 'whitespace' },
    { name: 'a trailing space', input: 'https://example.com ', problem: 'whitespace' },
    { name: 'a space inside the host', input: 'https://exa mple.com', problem: 'whitespace' },
    { name: 'a trailing tab', input: 'https://example.com\t', problem: 'whitespace' },
    { name: 'a leading line feed', input: '\nhttps://example.com', problem: 'whitespace' },
    { name: 'a NUL byte', input: 'https://example.com\0', problem: 'whitespace' },
    { name: 'a DEL byte', input: 'https://example.com\u007f', problem: 'whitespace' },
    { name: 'a bare host', input: 'example.com', problem: 'missing-scheme' },
    { name: 'a scheme-relative origin', input: '//example.com', problem: 'missing-scheme' },
    { name: 'an empty scheme', input: '://example.com', problem: 'missing-scheme' },
    { name: 'a scheme with one slash', input: 'http:/example.com', problem: 'missing-scheme' },
    { name: 'a scheme with no slash', input: 'http:example.com', problem: 'missing-scheme' },
    {
      name: 'a host and port without a scheme',
      input: 'localhost:3000',
      problem: 'missing-scheme',
    },
    {
      name: 'a doubled colon after the scheme',
      input: 'http:://example.com',
      problem: 'missing-scheme',
    },
    {
      name: 'a scheme starting with a digit',
      input: '1http://example.com',
      problem: 'invalid-scheme',
    },
    {
      name: 'a scheme with an underscore',
      input: 'ht_tp://example.com',
      problem: 'invalid-scheme',
    },
    { name: 'a user name', input: 'https://user@example.com', problem: 'userinfo' },
    {
      name: 'a user name and password',
      input: 'https://user:pass@example.com',
      problem: 'userinfo',
    },
    { name: 'an empty user name', input: 'https://@example.com', problem: 'userinfo' },
    { name: 'a trailing slash', input: 'https://example.com/', problem: 'trailing-slash' },
    {
      name: 'a trailing slash after a port',
      input: 'https://example.com:8443/',
      problem: 'trailing-slash',
    },
    { name: 'a path', input: 'https://example.com/app', problem: 'path' },
    { name: 'two trailing slashes', input: 'https://example.com//', problem: 'path' },
    {
      name: 'a trailing backslash (a path to the URL parser)',
      input: 'https://example.com\\',
      problem: 'path',
    },
    { name: 'an empty query', input: 'https://example.com?', problem: 'query' },
    { name: 'a query', input: 'https://example.com?a=1', problem: 'query' },
    { name: 'an empty fragment', input: 'https://example.com#', problem: 'fragment' },
    { name: 'a fragment', input: 'https://example.com#top', problem: 'fragment' },
    { name: 'no host at all', input: 'https://', problem: 'missing-host' },
    { name: 'a port but no host', input: 'https://:443', problem: 'missing-host' },
    { name: 'a forbidden host code point', input: 'https://exa^mple.com', problem: 'invalid-host' },
    {
      name: 'a percent-encoded "#" in the host',
      input: 'https://example.com%23',
      problem: 'invalid-host',
    },
    {
      name: 'a percent-encoded NUL in the host',
      input: 'https://ex%00ample.com',
      problem: 'invalid-host',
    },
    { name: 'an unclosed IPv6 bracket', input: 'https://[::1', problem: 'invalid-host' },
    { name: 'text after the IPv6 bracket', input: 'https://[::1]x', problem: 'invalid-host' },
    { name: 'an invalid IPv6 address', input: 'https://[::g]', problem: 'invalid-host' },
    { name: 'an IPv4 part above 255', input: 'http://999.1.1.1', problem: 'invalid-host' },
    { name: 'a domain ending in a number', input: 'http://example.123', problem: 'invalid-host' },
    { name: 'a five-part IPv4 address', input: 'http://1.2.3.4.5', problem: 'invalid-host' },
    { name: 'an invalid punycode label', input: 'https://xn--a.com', problem: 'invalid-host' },
    { name: 'two ports', input: 'https://example.com:1:2', problem: 'invalid-host' },
    {
      name: 'a Kelvin sign in a non-special host (not an ASCII k)',
      input: 'foo://\u212Aey',
      problem: 'invalid-host',
    },
    { name: 'a percent sign in a non-special host', input: 'foo://a%41', problem: 'invalid-host' },
    { name: 'an empty port', input: 'https://example.com:', problem: 'invalid-port' },
    { name: 'a port above 65535', input: 'https://example.com:65536', problem: 'invalid-port' },
    { name: 'a port of six digits', input: 'https://example.com:123456', problem: 'invalid-port' },
    { name: 'a negative port', input: 'https://example.com:-1', problem: 'invalid-port' },
    { name: 'a signed port', input: 'https://example.com:+80', problem: 'invalid-port' },
    { name: 'a port with a letter', input: 'https://example.com:8o', problem: 'invalid-port' },
    { name: 'an empty IPv6 port', input: 'https://[::1]:', problem: 'invalid-port' },
  ])('rejects $name ($input) as $problem', ({ input, problem }) => {
    const result = parseOrigin(input);
    expect(result).toMatchObject({ ok: false, problem });
    if (!result.ok) expect(result.detail).not.toBe('');
  });

  it('gives null a fresh opaque origin each time, so two parsed nulls are not the same origin', () => {
    const a = parseOrigin('null') as Parsed;
    const b = parseOrigin('null') as Parsed;
    expect(a.origin.type).toBe('opaque');
    expect(isSameOrigin(a.origin, b.origin)).toBe(false);
    expect(isSameOrigin(a.origin, a.origin)).toBe(true);
  });
});

describe('parseSerializedOrigin', () => {
  it.each([
    {
      name: 'an https origin',
      input: 'https://example.com',
      origin: tuple('https', 'example.com'),
    },
    {
      name: 'a non-default port',
      input: 'http://localhost:3000',
      origin: tuple('http', 'localhost', 3000),
    },
    {
      name: "https's default port on http",
      input: 'http://example.com:443',
      origin: tuple('http', 'example.com', 443),
    },
    { name: 'port 0', input: 'http://example.com:0', origin: tuple('http', 'example.com', 0) },
    {
      name: 'a punycode host',
      input: 'https://xn--bcher-kva.example',
      origin: tuple('https', 'xn--bcher-kva.example'),
    },
    {
      name: 'an underscore in the host',
      input: 'https://a_b.example',
      origin: tuple('https', 'a_b.example'),
    },
    {
      name: 'a trailing dot on a domain',
      input: 'https://example.com.',
      origin: tuple('https', 'example.com.'),
    },
    {
      name: 'a dotted-decimal IPv4 host',
      input: 'http://127.0.0.1:8080',
      origin: tuple('http', '127.0.0.1', 8080),
    },
    { name: 'the IPv4 host 0.0.0.0', input: 'http://0.0.0.0', origin: tuple('http', '0.0.0.0') },
    {
      name: 'a domain whose last label only looks numeric',
      input: 'http://1.2.3.x1',
      origin: tuple('http', '1.2.3.x1'),
    },
    { name: 'the IPv6 loopback', input: 'http://[::1]', origin: tuple('http', '[::1]') },
    { name: 'the IPv6 unspecified address', input: 'http://[::]', origin: tuple('http', '[::]') },
    {
      name: 'an IPv6 host with a port',
      input: 'http://[2001:db8::1]:8443',
      origin: tuple('http', '[2001:db8::1]', 8443),
    },
    {
      name: 'an IPv4-mapped IPv6 host in hex',
      input: 'http://[::ffff:7f00:1]',
      origin: tuple('http', '[::ffff:7f00:1]'),
    },
    {
      name: 'an IPv6 host with no zero run',
      input: 'http://[1:2:3:4:5:6:7:8]',
      origin: tuple('http', '[1:2:3:4:5:6:7:8]'),
    },
    {
      name: 'an IPv6 host with one zero piece left alone',
      input: 'http://[1:0:2:3:4:5:6:7]',
      origin: tuple('http', '[1:0:2:3:4:5:6:7]'),
    },
    {
      name: 'a browser-extension origin',
      input: 'chrome-extension://abcdefghij',
      origin: tuple('chrome-extension', 'abcdefghij'),
    },
    {
      name: 'a non-special host that looks like hex IPv4',
      input: 'foo://0x7f.1',
      origin: tuple('foo', '0x7f.1'),
    },
  ])('accepts $name: $input', ({ input, origin }) => {
    expect(parseSerializedOrigin(input)).toEqual(origin);
  });

  it.each([
    { name: 'the empty string', input: '' },
    { name: 'null (no tuple origin)', input: 'null' },
    { name: 'a bare host', input: 'example.com' },
    { name: 'a scheme-relative origin', input: '//example.com' },
    { name: 'an upper-case scheme', input: 'HTTPS://example.com' },
    { name: 'an upper-case host', input: 'https://Example.com' },
    { name: 'a scheme starting with a digit', input: '1http://example.com' },
    { name: "https's default port", input: 'https://example.com:443' },
    { name: "http's default port", input: 'http://example.com:80' },
    { name: "wss's default port", input: 'wss://example.com:443' },
    { name: "ftp's default port", input: 'ftp://example.com:21' },
    { name: 'a port with a leading zero', input: 'https://example.com:0443' },
    { name: 'the port 00', input: 'http://example.com:00' },
    { name: 'an empty port', input: 'https://example.com:' },
    { name: 'a port above 65535', input: 'https://example.com:65536' },
    { name: 'a port of six digits', input: 'https://example.com:100000' },
    { name: 'a port with a letter', input: 'https://example.com:80a' },
    { name: 'a trailing slash', input: 'https://example.com/' },
    { name: 'a path', input: 'https://example.com/app' },
    { name: 'a query', input: 'https://example.com?' },
    { name: 'a fragment', input: 'https://example.com#' },
    { name: 'a leading space', input: ' https://example.com' },
    { name: 'a trailing space', input: 'https://example.com ' },
    { name: 'a trailing tab', input: 'https://example.com\t' },
    { name: 'a user name', input: 'https://user@example.com' },
    { name: 'a non-ASCII host', input: 'https://bücher.example' },
    { name: 'an empty host', input: 'https://' },
    { name: 'an empty host before a port', input: 'https://:8080' },
    { name: 'a percent-encoded host', input: 'https://ex%61mple.com' },
    { name: 'an invalid punycode label', input: 'https://xn--a.com' },
    { name: 'an IPv4 host in hex and short form', input: 'http://0x7f.1' },
    { name: 'an IPv4 host in short form', input: 'http://127.1' },
    { name: 'an IPv4 host as one number', input: 'http://2130706433' },
    { name: 'an IPv4 host in octal', input: 'http://0177.0.0.1' },
    { name: 'an IPv4 part with a leading zero', input: 'http://127.000.0.1' },
    { name: 'an IPv4 host with a trailing dot', input: 'http://127.0.0.1.' },
    { name: 'an IPv4 part above 255', input: 'http://999.1.1.1' },
    { name: 'a domain ending in a number', input: 'http://example.123' },
    { name: 'a domain ending in a bare 0x', input: 'http://foo.0x' },
    { name: 'a five-part IPv4 host', input: 'http://1.2.3.4.5' },
    { name: 'an uncompressed IPv6 host', input: 'http://[0:0:0:0:0:0:0:1]' },
    { name: 'an IPv6 piece with a leading zero', input: 'http://[::0001]' },
    { name: 'an upper-case IPv6 host', input: 'http://[::FFFF:7f00:1]' },
    { name: 'an IPv6 host with a dotted IPv4 tail', input: 'http://[::ffff:127.0.0.1]' },
    {
      name: 'an IPv6 host compressing the second of two equal zero runs',
      input: 'http://[1:0:0:2::3:0]',
    },
    { name: 'an IPv6 host compressing a single zero piece', input: 'http://[::1:2:3:4:5:6:7]' },
    { name: 'an IPv6 host compressing a shorter zero run', input: 'http://[1::2:0:0:0:3]' },
    { name: 'an empty IPv6 host', input: 'http://[]' },
    { name: 'an unclosed IPv6 bracket', input: 'http://[::1' },
    { name: 'text after the IPv6 bracket', input: 'http://[::1]x' },
    { name: 'two "::" in an IPv6 host', input: 'http://[1::2::3]' },
    { name: 'nine IPv6 pieces', input: 'http://[1:2:3:4:5:6:7:8:9]' },
    { name: 'seven IPv6 pieces without "::"', input: 'http://[1:2:3:4:5:6:7]' },
    { name: 'an IPv6 piece of five digits', input: 'http://[::12345]' },
  ])('rejects $name: $input', ({ input }) => {
    expect(parseSerializedOrigin(input)).toBeNull();
  });
});

describe('serializeOrigin', () => {
  it.each<{ name: string; origin: Origin; out: string }>([
    { name: 'an opaque origin is null', origin: OPAQUE_ORIGIN, out: 'null' },
    {
      name: 'a tuple without a port is scheme://host',
      origin: tuple('https', 'example.com'),
      out: 'https://example.com',
    },
    {
      name: 'a tuple with a port appends :port',
      origin: tuple('http', 'example.com', 8080),
      out: 'http://example.com:8080',
    },
    {
      name: 'an IPv6 host keeps its brackets',
      origin: tuple('http', '[::1]', 3000),
      out: 'http://[::1]:3000',
    },
  ])('$name', ({ origin, out }) => {
    expect(serializeOrigin(origin)).toBe(out);
  });
});

describe('isSameOrigin', () => {
  const parsed = (s: string): Origin => (parseOrigin(s) as Parsed).origin;
  const opaque = newOpaqueOrigin();
  it.each<{ name: string; a: Origin; b: Origin; same: boolean }>([
    {
      name: 'two parses of one origin are the same',
      a: parsed('https://example.com'),
      b: parsed('https://example.com'),
      same: true,
    },
    {
      name: 'an explicit default port is the same as none',
      a: parsed('https://example.com:443'),
      b: parsed('https://example.com'),
      same: true,
    },
    {
      name: 'case differences are the same after parsing',
      a: parsed('HTTPS://EXAMPLE.COM'),
      b: parsed('https://example.com'),
      same: true,
    },
    {
      name: 'an IDN and its punycode are the same',
      a: parsed('https://bücher.example'),
      b: parsed('https://xn--bcher-kva.example'),
      same: true,
    },
    {
      name: 'a different scheme is not',
      a: parsed('http://example.com'),
      b: parsed('https://example.com'),
      same: false,
    },
    {
      name: 'a different host is not',
      a: parsed('https://a.example.com'),
      b: parsed('https://example.com'),
      same: false,
    },
    {
      name: 'a different port is not',
      a: parsed('https://example.com:8443'),
      b: parsed('https://example.com'),
      same: false,
    },
    { name: 'two parsed nulls are not', a: parsed('null'), b: parsed('null'), same: false },
    {
      name: 'two new opaque origins are not',
      a: newOpaqueOrigin(),
      b: newOpaqueOrigin(),
      same: false,
    },
    { name: 'an opaque origin is the same as itself', a: opaque, b: opaque, same: true },
    {
      name: 'an opaque origin is not a tuple origin',
      a: opaque,
      b: parsed('https://example.com'),
      same: false,
    },
  ])('$name', ({ a, b, same }) => {
    expect(isSameOrigin(a, b)).toBe(same);
    expect(isSameOrigin(b, a)).toBe(same);
  });
});

describe('originOfUrl', () => {
  it.each([
    {
      name: 'an https URL gives its scheme, host and port',
      url: 'https://Example.com:8443/a?b#c',
      out: 'https://example.com:8443',
    },
    { name: 'a default port is elided', url: 'http://example.com:80/', out: 'http://example.com' },
    { name: 'an IPv4 host is canonical', url: 'http://0x7f.1/', out: 'http://127.0.0.1' },
    {
      name: 'an IDN host is punycode',
      url: 'https://bücher.example/',
      out: 'https://xn--bcher-kva.example',
    },
    {
      name: 'a ws URL has a tuple origin',
      url: 'ws://example.com/socket',
      out: 'ws://example.com',
    },
    {
      name: 'a blob URL has the origin of its https URL',
      url: 'blob:https://example.com/uuid',
      out: 'https://example.com',
    },
    { name: 'a blob URL of a data URL is opaque', url: 'blob:data:,x', out: 'null' },
    { name: 'a data URL is opaque', url: 'data:text/plain,hi', out: 'null' },
    { name: 'a file URL is opaque', url: 'file:///etc/hosts', out: 'null' },
    { name: 'a non-special URL is opaque', url: 'foo://example.com/', out: 'null' },
    {
      name: 'a URL with the scheme "constructor" is opaque',
      url: 'constructor://example.com/',
      out: 'null',
    },
  ])('$name: $url', ({ url, out }) => {
    expect(serializeOrigin(originOfUrl(url))).toBe(out);
    expect(serializeOrigin(originOfUrl(new URL(url)))).toBe(out);
  });

  it('gives each opaque URL a new opaque origin', () => {
    expect(isSameOrigin(originOfUrl('data:,a'), originOfUrl('data:,a'))).toBe(false);
  });
});

describe('defaultPort and isSpecialScheme', () => {
  it.each([
    { scheme: 'http', port: 80, special: true },
    { scheme: 'https', port: 443, special: true },
    { scheme: 'ws', port: 80, special: true },
    { scheme: 'wss', port: 443, special: true },
    { scheme: 'ftp', port: 21, special: true },
    { scheme: 'file', port: null, special: true },
    { scheme: 'chrome-extension', port: null, special: false },
    { scheme: 'constructor', port: null, special: false },
    { scheme: 'toString', port: null, special: false },
    { scheme: 'HTTP', port: null, special: false },
  ])('$scheme has default port $port and special = $special', ({ scheme, port, special }) => {
    expect(defaultPort(scheme)).toBe(port);
    expect(isSpecialScheme(scheme)).toBe(special);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties. Origins are generated in many written forms (mixed case, default ports, IDN, every
// IPv4 notation, uncompressed IPv6); the URL parser is the oracle for what they canonicalize to.

const SPECIAL = ['http', 'https', 'ws', 'wss', 'ftp'] as const;
const IDN_LABELS = [
  'bücher',
  'münchen',
  'пример',
  '例え',
  'ελλάδα',
  'straße',
  'café',
  'ｅｘａｍｐｌｅ',
];

const anyCase = (s: string) =>
  fc
    .array(fc.boolean(), { minLength: s.length, maxLength: s.length })
    .map((ups) => [...s].map((c, i) => (ups[i] ? c.toUpperCase() : c)).join(''));

// A label starting with xn-- must be valid punycode: leave those to the IDN labels.
const notPunycode = (l: string) => !/^xn--/i.test(l);
const asciiLabel = fc.stringMatching(/^[a-zA-Z0-9_][a-zA-Z0-9_-]{0,9}$/).filter(notPunycode);
const tld = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,5}$/).filter(notPunycode);
const domain = fc
  .tuple(fc.array(fc.oneof(asciiLabel, fc.constantFrom(...IDN_LABELS)), { maxLength: 3 }), tld)
  .map(([labels, last]) => [...labels, last].join('.'));
const asciiDomain = fc
  .tuple(fc.array(asciiLabel, { maxLength: 3 }), tld)
  .map(([labels, last]) => [...labels, last].join('.'));

const byte = fc.integer({ min: 0, max: 255 });
const ipv4 = fc
  .tuple(byte, byte, byte, byte, fc.integer({ min: 0, max: 4 }))
  .map(([a, b, c, d, form]) => {
    const n = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
    switch (form) {
      case 0:
        return `${a}.${b}.${c}.${d}`;
      case 1:
        return String(n);
      case 2:
        return [a, b, c, d].map((x) => `0x${x.toString(16)}`).join('.');
      case 3:
        return [a, b, c, d].map((x) => `0${x.toString(8)}`).join('.');
      default:
        return `${a}.${(b << 16) | (c << 8) | d}.`;
    }
  });
const ipv6 = fc
  .tuple(
    fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }),
    fc.boolean(),
  )
  .chain(([pieces, pad]) =>
    anyCase(pieces.map((p) => (pad ? p.toString(16).padStart(4, '0') : p.toString(16))).join(':')),
  )
  .map((text) => `[${text}]`);
// Zero runs are what compression is about: make them common.
const sparseIpv6 = fc
  .array(fc.constantFrom(0, 0, 0, 1, 0xffff), { minLength: 8, maxLength: 8 })
  .map((pieces) => `[${pieces.map((p) => p.toString(16)).join(':')}]`);

const port = fc.oneof(
  fc.constant(''),
  fc.constantFrom(':80', ':443', ':21'),
  fc.integer({ min: 0, max: 65535 }).map((p) => `:${p}`),
);

/** Origins with a special scheme, in any written form. */
const specialRaw = fc
  .tuple(
    fc.constantFrom(...SPECIAL).chain(anyCase),
    fc.oneof(domain.chain(anyCase), ipv4, ipv6, sparseIpv6),
    port,
  )
  .map(([scheme, host, p]) => `${scheme}://${host}${p}`);
/** Origins with a non-special scheme (browser extensions and the like): ASCII hosts only. */
const nonSpecialRaw = fc
  .tuple(fc.constantFrom('chrome-extension', 'moz-extension', 'foo'), asciiDomain, port)
  .map(([scheme, host, p]) => `${scheme}://${host}${p}`);
const anyRaw = fc.oneof(specialRaw, nonSpecialRaw);

function mustParse(raw: string): Parsed {
  const result = parseOrigin(raw);
  if (!result.ok) throw new Error(`${JSON.stringify(raw)}: ${result.problem} (${result.detail})`);
  return result;
}

describe('origin properties', () => {
  it('parseOrigin serializes a special-scheme origin exactly as the URL parser does', () => {
    fc.assert(
      fc.property(specialRaw, (raw) => {
        expect(mustParse(raw).serialized).toBe(new URL(raw).origin);
      }),
    );
  });

  it("parseOrigin agrees with the URL parser on fast-check's web authorities", () => {
    const authority = fc.webAuthority({
      withIPv4: true,
      withIPv4Extended: true,
      withIPv6: true,
      withPort: true,
    });
    fc.assert(
      fc.property(fc.constantFrom(...SPECIAL), authority, (scheme, auth) => {
        const raw = `${scheme}://${auth}`;
        const result = parseOrigin(raw);
        if (URL.canParse(raw))
          expect(result).toMatchObject({ ok: true, serialized: new URL(raw).origin });
        else expect(result.ok).toBe(false);
      }),
    );
  });

  it('parseOrigin(x).serialized re-parses to itself', () => {
    fc.assert(
      fc.property(anyRaw, (raw) => {
        const first = mustParse(raw);
        const again = mustParse(first.serialized);
        expect(again.serialized).toBe(first.serialized);
        expect(again.origin).toEqual(first.origin);
      }),
    );
  });

  it('parseSerializedOrigin(serializeOrigin(o)) round-trips every generated origin', () => {
    fc.assert(
      fc.property(anyRaw, (raw) => {
        const origin = mustParse(raw).origin as TupleOrigin;
        expect(parseSerializedOrigin(serializeOrigin(origin))).toEqual(origin);
      }),
    );
  });

  // Mutations of canonical origins: an inserted, deleted, upper-cased or replaced character.
  const INSERTS = [
    '0',
    '1',
    'x',
    'a',
    'A',
    '.',
    ':',
    '/',
    '[',
    ']',
    '-',
    '_',
    '%',
    '@',
    '#',
    '?',
    ' ',
    '\t',
    'ü',
  ];
  const mutated = fc
    .tuple(
      anyRaw.map((raw) => mustParse(raw).serialized),
      fc.nat(),
      fc.constantFrom(...INSERTS),
      fc.constantFrom('insert', 'delete', 'upper', 'replace', 'none'),
    )
    .map(([s, at, c, op]) => {
      const i = at % (s.length + 1);
      if (op === 'insert') return s.slice(0, i) + c + s.slice(i);
      if (op === 'delete') return s.slice(0, i) + s.slice(i + 1);
      if (op === 'upper') return s.slice(0, i) + s.slice(i, i + 1).toUpperCase() + s.slice(i + 1);
      if (op === 'replace') return s.slice(0, i) + c + s.slice(i + 1);
      return s;
    });

  it('parseSerializedOrigin accepts a string exactly when parseOrigin finds it canonical', () => {
    fc.assert(
      fc.property(mutated, (x) => {
        const result = parseOrigin(x);
        const canonical = result.ok && result.serialized === x && x !== 'null';
        const fast = parseSerializedOrigin(x);
        expect(fast !== null, JSON.stringify(x)).toBe(canonical);
        if (fast !== null && result.ok) expect(fast).toEqual(result.origin);
      }),
      { numRuns: 1000 },
    );
  });
});
