import { describe, expect, it } from 'vitest';
import { createRedactor, isSensitiveHeader } from './redactor.js';

const redactor = createRedactor({ key: 'test key' });
const HASH = /^\*{4}#[0-9a-f]{8}$/;

describe('isSensitiveHeader', () => {
  it.each([
    'Authorization',
    'proxy-authorization',
    'Cookie',
    'Set-Cookie',
    'X-Api-Key',
    'X-Auth-Token',
    'X-CSRF-Token',
    'X-Amz-Security-Token',
    'Client-Secret',
    'X-Session-Id',
    'Authentication-Info',
  ])('redacts %s', (name) => {
    expect(isSensitiveHeader(name)).toBe(true);
  });

  it.each([
    'Access-Control-Allow-Credentials',
    'Access-Control-Allow-Headers',
    'Access-Control-Request-Headers',
    'WWW-Authenticate',
    'Proxy-Authenticate',
    'Origin',
    'Content-Type',
    'Keep-Alive',
    'Vary',
  ])('keeps %s', (name) => {
    expect(isSensitiveHeader(name)).toBe(false);
  });
});

describe('createRedactor', () => {
  it('keeps the auth scheme and masks the credentials with a hash suffix', () => {
    const value = redactor.redactValue('Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x');
    expect(value).toMatch(/^Bearer \*{4}#[0-9a-f]{8}$/);
    expect(value).not.toContain('eyJ');
    expect(redactor.redactValue('authorization', 'Basic dXNlcjpwYXNz')).toMatch(/^Basic \*{4}#/);
  });

  it('masks a bare credential whole', () => {
    expect(redactor.redactValue('X-Api-Key', 'sk_live_123456')).toMatch(HASH);
  });

  it('gives equal secrets equal suffixes and different secrets different ones', () => {
    const a = redactor.redactValue('authorization', 'Bearer one');
    expect(redactor.redactValue('Authorization', 'Bearer one')).toBe(a);
    expect(redactor.redactValue('Authorization', 'Bearer two')).not.toBe(a);
  });

  it('hashes with its key, so another key gives another suffix', () => {
    const other = createRedactor({ key: 'other key' });
    expect(other.redactValue('x-api-key', 'secret')).not.toBe(
      redactor.redactValue('x-api-key', 'secret'),
    );
    // The default key is random per redactor.
    expect(createRedactor().redactValue('x-api-key', 'secret')).not.toBe(
      createRedactor().redactValue('x-api-key', 'secret'),
    );
  });

  it('keeps cookie names and masks their values', () => {
    const value = redactor.redactValue('Cookie', 'sid=abc123; theme=dark;flag');
    expect(value).toMatch(/^sid=\*{4}#[0-9a-f]{8}; theme=\*{4}#[0-9a-f]{8}; \*{4}#[0-9a-f]{8}$/);
    expect(value).not.toContain('abc123');
  });

  it('keeps Set-Cookie attributes, which a CORS diagnosis needs', () => {
    const value = redactor.redactValue(
      'set-cookie',
      'sid=abc123; Path=/; Secure; HttpOnly; SameSite=None',
    );
    expect(value).toMatch(/^sid=\*{4}#[0-9a-f]{8}; Path=\/; Secure; HttpOnly; SameSite=None$/);
  });

  it('leaves other headers and empty values alone', () => {
    expect(redactor.redactValue('Origin', 'https://app.example')).toBe('https://app.example');
    expect(redactor.redactValue('Authorization', '')).toBe('');
  });

  it('redacts header records, array values included, and header lists', () => {
    expect(
      redactor.redactHeaders({
        authorization: 'Token abc',
        'set-cookie': ['a=1; Secure', 'b=2'],
        origin: 'https://app.example',
        'x-absent': undefined,
      }),
    ).toEqual({
      authorization: expect.stringMatching(/^Token \*{4}#/),
      'set-cookie': [
        expect.stringMatching(/^a=\*{4}#[0-9a-f]{8}; Secure$/),
        expect.stringMatching(/^b=\*{4}#[0-9a-f]{8}$/),
      ],
      origin: 'https://app.example',
      'x-absent': undefined,
    });
    expect(
      redactor.redactHeaderList([
        ['Cookie', 'a=1'],
        ['Accept', '*/*'],
      ]),
    ).toEqual([
      ['Cookie', expect.stringMatching(/^a=\*{4}#/)],
      ['Accept', '*/*'],
    ]);
  });
});
