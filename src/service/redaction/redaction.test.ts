import { describe, expect, it } from 'vitest';
import { createRedaction, hasSecrets } from './redaction.js';
import { createRedactor } from './redactor.js';

const redactor = createRedactor({ key: 'test-key' });

describe('createRedaction', () => {
  const r = createRedaction(redactor, [
    ['Authorization', 'Bearer abc.def.ghi'],
    ['X-Trace', 'visible-1234'],
  ]);

  it('masks sensitive [name, value] lines and keeps the others', () => {
    const out = r.redact({
      headers: [
        ['authorization', 'Bearer abc.def.ghi'],
        ['X-Trace', 'visible-1234'],
      ],
    });
    expect(out.headers[0]?.[1]).toMatch(/^Bearer \*\*\*\*#[0-9a-f]{8}$/);
    expect(out.headers[1]).toEqual(['X-Trace', 'visible-1234']);
  });

  it('finds the submitted secret inside free text such as curl commands', () => {
    const out = r.redact({
      curl: ["curl -H 'Authorization: Bearer abc.def.ghi' https://x.example/"],
    });
    expect(out.curl[0]).not.toContain('abc.def.ghi');
    expect(out.curl[0]).toContain("-H 'Authorization: Bearer ****#");
  });

  it('masks { name, value } objects and header records', () => {
    const out = r.redact({
      dropped: [{ name: 'Cookie', value: 'sid=s3cret' }],
      record: { 'Set-Cookie': 'sid=s3cret; Secure', Accept: 'x' },
    });
    expect(JSON.stringify(out)).not.toContain('s3cret');
    expect(out.record['Set-Cookie']).toMatch(/^sid=\*\*\*\*#[0-9a-f]{8}; Secure$/);
    expect(out.record.Accept).toBe('x');
  });

  it('masks nothing that only looks like a header: field names and lists of names', () => {
    const plan = {
      credentials: 'include',
      unsafeHeaderNames: ['authorization', 'content-type'],
      session: 'kept',
    };
    expect(r.redact(plan)).toEqual(plan);
  });

  it('does not take two curl commands for a header line', () => {
    const curl = [
      "curl -X OPTIONS -H 'Access-Control-Request-Headers: authorization' https://x.example/",
      "curl -H 'X-Trace: visible-1234' https://x.example/",
    ];
    expect(r.redact({ curl }).curl).toEqual(curl);
  });

  it('leaves numbers, booleans and null alone and does not change its input', () => {
    const input = { a: 1, b: true, c: null, d: [['Authorization', 'Bearer abc.def.ghi']] };
    const copy = JSON.parse(JSON.stringify(input));
    const out = r.redact(input);
    expect(out).toMatchObject({ a: 1, b: true, c: null });
    expect(input).toEqual(copy);
  });

  it('hasSecrets says whether a header list needs sealing', () => {
    expect(hasSecrets([['X-Api-Key', 'k']])).toBe(true);
    expect(hasSecrets([['Accept', 'x']])).toBe(false);
  });
});
