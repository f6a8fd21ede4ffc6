import { describe, expect, it } from 'vitest';
import { isCredentialHeader, redactHeaders, redactValue } from './redact.js';

describe('explain masks credentials', () => {
  it('keeps the scheme of an Authorization value and masks the rest', () => {
    expect(redactValue('Authorization', 'Bearer eyJhbGciOi.abc')).toBe('Bearer ****');
    expect(redactValue('authorization', 'opaque-key')).toBe('****');
  });

  it('keeps cookie names and Set-Cookie attributes', () => {
    expect(redactValue('Cookie', 'sid=abc; theme=dark')).toBe('sid=****; theme=****');
    expect(redactValue('Set-Cookie', 'sid=abc; Path=/; Secure')).toBe('sid=****; Path=/; Secure');
  });

  it('leaves the CORS headers, which name rather than hold credentials', () => {
    expect(isCredentialHeader('Access-Control-Allow-Credentials')).toBe(false);
    expect(isCredentialHeader('X-Api-Key')).toBe(true);
    expect(redactHeaders([['Access-Control-Allow-Headers', 'authorization']])).toEqual([
      ['Access-Control-Allow-Headers', 'authorization'],
    ]);
  });
});
