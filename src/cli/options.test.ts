import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { collectHeader, collectResolve, parseInteger, parsePort } from './options.js';

describe('parsePort', () => {
  it.each([
    ['0', 0],
    ['80', 80],
    ['08080', 8080],
    ['65535', 65535],
  ])('accepts %j as port %i', (text, port) => {
    expect(parsePort(text)).toBe(port);
  });

  it.each(['65536', '99999', '-1', '80.0', ' 80', '', 'http', '123456', '0x50'])(
    'refuses %j with a message naming --port and the range',
    (text) => {
      expect(parsePort(text)).toBe(
        `--port ${JSON.stringify(text)} is not a port number from 0 to 65535`,
      );
    },
  );
});

describe('collectHeader', () => {
  it.each([
    ['X-A: 1', ['X-A', '1']],
    ['X-A:1', ['X-A', '1']],
    ['  X-A  :   spaced value  ', ['X-A', 'spaced value']],
    ['X-A:', ['X-A', '']],
    ['Authorization: Bearer a:b', ['Authorization', 'Bearer a:b']],
  ])('reads %j as name and value, split at the first colon and trimmed', (text, pair) => {
    expect(collectHeader(text)).toEqual([pair]);
  });

  it('appends to the headers collected so far, keeping their order and repeats', () => {
    const first = collectHeader('X-A: 1');
    const second = collectHeader('X-B: 2', first);
    expect(collectHeader('X-A: 3', second)).toEqual([
      ['X-A', '1'],
      ['X-B', '2'],
      ['X-A', '3'],
    ]);
    expect(first).toEqual([['X-A', '1']]);
  });

  it.each(['X-A', ': value', ''])('refuses %j, saying how to write a header', (text) => {
    expect(() => collectHeader(text)).toThrow(InvalidArgumentError);
    expect(() => collectHeader(text)).toThrow(
      `${JSON.stringify(text)} is not a header; write it as 'Name: value'`,
    );
  });
});

describe('parseInteger', () => {
  const concurrency = parseInteger(1, 64);

  it.each([
    ['1', 1],
    ['64', 64],
    ['007', 7],
  ])('accepts %j within the bounds as %i', (text, value) => {
    expect(concurrency(text)).toBe(value);
  });

  it.each(['0', '65', '-1', '1.5', '1e1', '', ' 2', 'two'])(
    'refuses %j, naming the bounds',
    (text) => {
      expect(() => concurrency(text)).toThrow(InvalidArgumentError);
      expect(() => concurrency(text)).toThrow('expected a whole number from 1 to 64');
    },
  );
});

describe('collectResolve', () => {
  it.each([
    ['api.example.com:443:203.0.113.7', { 'api.example.com:443': '203.0.113.7' }],
    ['api.example.com:*:203.0.113.7', { 'api.example.com': '203.0.113.7' }],
    ['api.example.com:443:[2001:db8::1]', { 'api.example.com:443': '2001:db8::1' }],
    ['api.example.com:8443:2001:db8::1', { 'api.example.com:8443': '2001:db8::1' }],
  ])('pins %j as curl does', (text, pins) => {
    expect(collectResolve(text)).toEqual(pins);
  });

  it('adds to the pins collected so far, a later pin of the same host and port winning', () => {
    const first = collectResolve('a.example:443:192.0.2.1');
    const second = collectResolve('b.example:*:192.0.2.2', first);
    expect(collectResolve('a.example:443:192.0.2.3', second)).toEqual({
      'a.example:443': '192.0.2.3',
      'b.example': '192.0.2.2',
    });
  });

  it.each([
    'api.example.com',
    'api.example.com:443',
    'api.example.com:https:192.0.2.1',
    ':443:192.0.2.1',
  ])('refuses %j, saying it is not HOST:PORT:ADDRESS and giving an example', (text) => {
    expect(() => collectResolve(text)).toThrow(InvalidArgumentError);
    expect(() => collectResolve(text)).toThrow(
      `${JSON.stringify(text)} is not HOST:PORT:ADDRESS; write it as curl does, e.g. api.example.com:443:203.0.113.7`,
    );
  });

  it('refuses an entry the check pool would refuse, without the corsproof: prefix', () => {
    let thrown: unknown;
    try {
      collectResolve('api.example.com:443:999.1.1.1');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidArgumentError);
    expect((thrown as Error).message).not.toMatch(/^corsproof: /);
    expect((thrown as Error).message.length).toBeGreaterThan(0);
  });
});
