import { describe, expect, it } from 'vitest';
import { parseHost } from './host.js';

describe('parseHost', () => {
  it.each([
    ['a domain stays as it is', 'api.example.com', 'api.example.com'],
    ['a domain is lower-cased', 'LOCALHOST', 'localhost'],
    ['a trailing dot is kept', 'localhost.', 'localhost.'],
    ['an IDN becomes punycode', 'bücher.example', 'xn--bcher-kva.example'],
    ['percent-escapes are decoded', '%6c%6fcalhost', 'localhost'],
    ['an IPv4 address stays as it is', '127.0.0.1', '127.0.0.1'],
    ['a short IPv4 address is written in four parts', '127.1', '127.0.0.1'],
    ['a hex IPv4 address is written in decimal', '0x7f.1', '127.0.0.1'],
    ['a 32-bit number is an IPv4 address', '2130706433', '127.0.0.1'],
    ['a bracketed IPv6 address is compressed', '[0:0:0:0:0:0:0:1]', '[::1]'],
    ['a bare IPv6 address gets its brackets', '::1', '[::1]'],
    ['an upper-case IPv6 address is lower-cased', '::FFFF:7F00:1', '[::ffff:7f00:1]'],
    ['an IPv4-mapped IPv6 address is written in hex', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]'],
  ] as const)('%s', (_what, input, host) => {
    expect(parseHost(input)).toBe(host);
  });

  it.each([
    ['the empty string', ''],
    ['a host with a port', 'localhost:8080'],
    ['an IPv6 address with a port', '[::1]:8080'],
    ['an unclosed bracket', '[::1'],
    ['userinfo', 'localhost@evil.example'],
    ['a path', 'evil.example/localhost'],
    ['a fragment', 'localhost#.evil.example'],
    ['a query', 'localhost?x'],
    ['a backslash', 'evil.example\\localhost'],
    ['a space', 'local host'],
    ['a tab the URL parser would skip', 'local\thost'],
    ['an IPv4 address out of range', '127.0.0.256'],
    ['an invalid IPv6 address', '[::g]'],
    ['a forbidden code point', 'a<b'],
  ] as const)('refuses %s', (_what, input) => {
    expect(parseHost(input)).toBeNull();
  });
});
