import { describe, expect, it } from 'vitest';
import { CHROMIUM, FIREFOX, WEBKIT } from '../profiles.js';
import { chromiumMessage, firefoxMessage, webkitMessage } from './describe.js';
import type { FailureContext, FailureDetail } from './detail.js';
import { parseConsoleLine, readConsoleLine } from './parse.js';

const ctx = (profile = CHROMIUM, status = 404): FailureContext => ({
  profile,
  pageOrigin: 'https://app.example',
  requestOrigin: 'https://app.example',
  firstUrl: 'https://api.example/items?x=1',
  url: 'https://api.example/items?x=1',
  hop: 0,
  method: 'PUT',
  credentials: 'omit',
  unsafeHeaderNames: ['x-token'],
  step: 1,
  response: { status, allowOriginLines: 1 },
});

const details: FailureDetail[] = [
  { code: 'MissingAllowOriginHeader', allowOrigin: null, allowCredentials: null, status: 200 },
  {
    code: 'AllowOriginMismatch',
    allowOrigin: 'https://other.example',
    allowCredentials: null,
    status: 200,
  },
  { code: 'WildcardOriginNotAllowed', allowOrigin: '*', allowCredentials: null, status: 200 },
  { code: 'PreflightInvalidStatus', status: 404 },
  {
    code: 'MethodDisallowedByPreflightResponse',
    method: 'PUT',
    allowMethods: ['GET'],
    caseMismatch: null,
    wildcardIgnored: false,
  },
  {
    code: 'HeaderDisallowedByPreflightResponse',
    header: 'x-token',
    disallowed: ['x-token'],
    allowHeaders: [],
    wildcardIgnored: false,
  },
] as FailureDetail[];

describe('parseConsoleLine reads back what the failure table prints', () => {
  for (const detail of details) {
    it(`reads Chromium's line for ${detail.code}`, () => {
      const line = chromiumMessage(detail, ctx());
      const parsed = parseConsoleLine(line);
      expect(parsed?.browser).toBe('chromium');
      expect(parsed?.codes[0]).toBe(detail.code);
      expect(parsed?.values.url).toBe('https://api.example/items?x=1');
      expect(parsed?.values.pageOrigin).toBe('https://app.example');
    });
    it(`reads Firefox's line for ${detail.code} among the codes it may mean`, () => {
      const line = firefoxMessage(detail, ctx(FIREFOX));
      const parsed = parseConsoleLine(line);
      expect(parsed?.browser).toBe('firefox');
      expect(parsed?.codes).toContain(detail.code);
    });
    it(`reads WebKit's line for ${detail.code} among the codes it may mean`, () => {
      const line = webkitMessage(detail, ctx(WEBKIT));
      const parsed = parseConsoleLine(line);
      expect(parsed?.browser).toBe('webkit');
      expect(parsed?.codes).toContain(detail.code);
    });
  }

  it('quotes the values the line carries', () => {
    const parsed = parseConsoleLine(chromiumMessage(details[4] as FailureDetail, ctx()));
    expect(parsed?.values.method).toBe('PUT');
    const mismatch = parseConsoleLine(chromiumMessage(details[1] as FailureDetail, ctx()));
    expect(mismatch?.values.allowOrigin).toBe('https://other.example');
  });

  it('accepts the text Chromium appends and a prefix before the line', () => {
    const line = `app.js:3 ${chromiumMessage(details[0] as FailureDetail, ctx())} If an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled.`;
    expect(parseConsoleLine(line)?.codes).toEqual(['MissingAllowOriginHeader']);
  });

  it('returns null for a line no entry words', () => {
    expect(parseConsoleLine('TypeError: Failed to fetch')).toBeNull();
  });
});

describe('readConsoleLine', () => {
  it('explains a mismatch from the line alone', () => {
    const parsed = parseConsoleLine(chromiumMessage(details[1] as FailureDetail, ctx()));
    if (parsed === null) throw new Error('not parsed');
    const reading = readConsoleLine(parsed, 'AllowOriginMismatch');
    expect(reading.explanation).toContain('"https://other.example"');
    expect(reading.fix.header).toEqual({
      name: 'Access-Control-Allow-Origin',
      value: 'https://app.example',
    });
  });

  it('gives no explanation when it would need what the line does not quote', () => {
    const parsed = parseConsoleLine(chromiumMessage(details[4] as FailureDetail, ctx()));
    if (parsed === null) throw new Error('not parsed');
    const reading = readConsoleLine(parsed, 'MethodDisallowedByPreflightResponse');
    expect(reading.explanation).toBeNull();
    expect(reading.fix.header).toEqual({ name: 'Access-Control-Allow-Methods', value: 'PUT' });
  });
});

describe('parseConsoleLine beyond fetch()', () => {
  it("reads Chromium's line for XMLHttpRequest (axios, jQuery) as for fetch()", () => {
    const line = chromiumMessage(details[5] as FailureDetail, ctx()).replace(
      'Access to fetch at',
      'Access to XMLHttpRequest at',
    );
    expect(parseConsoleLine(line)).toMatchObject({
      browser: 'chromium',
      codes: ['HeaderDisallowedByPreflightResponse'],
      values: { header: 'x-token' },
    });
  });

  it('never puts a guessed origin in the fix of a Firefox line, which names no page', () => {
    const parsed = parseConsoleLine(firefoxMessage(details[0] as FailureDetail, ctx(FIREFOX)));
    if (parsed === null) throw new Error('not parsed');
    const reading = readConsoleLine(parsed, 'MissingAllowOriginHeader');
    expect(reading.fix.header?.value).toBe('<page origin>');
  });
});
