import { describe, expect, it } from 'vitest';
import { fixFor } from './failures/describe.js';
import type { FailureContext } from './failures/detail.js';
import { CHROMIUM } from './profiles.js';

const ctx: FailureContext = {
  profile: CHROMIUM,
  pageOrigin: 'https://app.example',
  requestOrigin: 'https://app.example',
  firstUrl: 'https://api.example/a',
  url: 'https://api.example/a',
  hop: 0,
  method: 'PUT',
  credentials: 'include',
  unsafeHeaderNames: ['content-type', 'x-api-key'],
  step: 0,
};

describe('fixFor', () => {
  it('names the header and value to add', () => {
    const fix = fixFor(
      {
        code: 'HeaderDisallowedByPreflightResponse',
        header: 'content-type',
        disallowed: ['content-type', 'x-api-key'],
        allowHeaders: [],
        wildcardIgnored: false,
      },
      ctx,
    );
    expect(fix).toMatchObject({
      where: 'preflight',
      header: { name: 'Access-Control-Allow-Headers', value: 'content-type, x-api-key' },
    });
    // The whole request's needs, not only the header at fault, so the fix makes it pass.
    expect(fix.policy).toEqual({
      origin: 'https://app.example',
      credentials: true,
      methods: ['PUT'],
      requestHeaders: ['content-type', 'x-api-key'],
    });
  });

  it('never suggests trusting null for a tainted credentialed request', () => {
    const fix = fixFor(
      {
        code: 'AllowOriginMismatch',
        allowOrigin: 'https://app.example',
        allowCredentials: 'true',
        status: 200,
      },
      { ...ctx, requestOrigin: 'null', hop: 1 },
    );
    expect(fix.summary).toContain('Call the final URL directly');
    expect(fix.policy).toBeNull();
  });

  it('suggests * (not null) for a tainted request without credentials', () => {
    const fix = fixFor(
      { code: 'MissingAllowOriginHeader', allowOrigin: null, allowCredentials: null, status: 200 },
      { ...ctx, credentials: 'omit', requestOrigin: 'null', hop: 1 },
    );
    expect(fix.header).toEqual({ name: 'Access-Control-Allow-Origin', value: '*' });
    expect(fix.summary).toContain('never trust `null`');
    expect(fix.policy).toMatchObject({ origin: '*', credentials: false });
  });

  it('sends the page to the final URL for a redirected preflight', () => {
    expect(fixFor({ code: 'PreflightDisallowedRedirect', status: 301 }, ctx)).toMatchObject({
      where: 'client',
      policy: null,
    });
  });
});
