import { describe, expect, it } from 'vitest';
import { type RefusedTargetUrl, validateTargetUrl } from './target-url.js';

function refusal(input: string, allowPrivateTargets = false): RefusedTargetUrl {
  const result = validateTargetUrl(input, { allowPrivateTargets });
  if (result.ok) throw new Error(`${input} was accepted`);
  return result;
}

describe('validateTargetUrl', () => {
  it('accepts a public https URL and reports its effective port', () => {
    const result = validateTargetUrl('https://API.Example.com/data?x=1');
    expect(result).toMatchObject({
      ok: true,
      host: { kind: 'name', hostname: 'api.example.com' },
      port: 443,
    });
    if (result.ok) expect(result.url.href).toBe('https://api.example.com/data?x=1');
  });

  it('accepts public IP literals and classifies them at once', () => {
    expect(validateTargetUrl('http://93.184.216.34:8080/')).toMatchObject({
      ok: true,
      host: { kind: 'ip', address: '93.184.216.34', family: 4 },
      port: 8080,
    });
    expect(validateTargetUrl('https://[2606:4700::6810:85e5]/')).toMatchObject({
      ok: true,
      host: { kind: 'ip', address: '2606:4700::6810:85e5', family: 6 },
    });
  });

  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://127.0.0.1./', '127.0.0.1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://%31%32%37.0.0.1/', '127.0.0.1'],
  ])('canonicalizes %s before classifying it as %s', (input, address) => {
    expect(refusal(input)).toMatchObject({ code: 'NON_PUBLIC_ADDRESS', address });
  });

  it('says what was wrong and names the opt-in', () => {
    expect(refusal('http://10.0.0.1/').reason).toBe(
      'corsproof: the target address "10.0.0.1" is in 10.0.0.0/8, private-use (RFC 1918); targets on private networks are refused by this service; run `corsproof serve --allow-private-targets` for local use',
    );
  });

  it.each([
    'file:///etc/passwd',
    'ftp://example.com/',
    'gopher://example.com:70/',
    'ws://example.com/',
  ])('refuses the scheme of %s', (input) => {
    expect(refusal(input).code).toBe('UNSUPPORTED_SCHEME');
  });

  it('refuses credentials without echoing them', () => {
    const result = refusal('https://admin:hunter2@example.com/');
    expect(result.code).toBe('CREDENTIALS_IN_URL');
    expect(result.reason).not.toContain('hunter2');
    expect(result.reason).not.toContain('admin');
    expect(refusal('https://token@example.com/').code).toBe('CREDENTIALS_IN_URL');
  });

  it.each(['http://example.com:25/', 'https://example.com:6000/', 'http://example.com:0/'])(
    'refuses the bad port of %s',
    (input) => {
      expect(refusal(input).code).toBe('BAD_PORT');
    },
  );

  it('refuses bad ports even when private targets are allowed', () => {
    expect(refusal('http://127.0.0.1:6667/', true).code).toBe('BAD_PORT');
  });

  it.each([
    '',
    'example.com',
    'http://',
    'http://exa mple.com/',
    'http://1.2.3.4.5/',
    'http://[::1/',
  ])('refuses %j as an invalid URL', (input) => {
    expect(refusal(input).code).toBe('INVALID_URL');
  });

  it('cuts a long invalid input short in the reason', () => {
    expect(refusal('x'.repeat(10_000)).reason.length).toBeLessThan(250);
  });

  it('refuses local names before any lookup', () => {
    expect(refusal('http://metadata.google.internal/computeMetadata/v1/')).toMatchObject({
      code: 'NON_PUBLIC_HOSTNAME',
      hostname: 'metadata.google.internal',
    });
  });

  it('lets private literals and local names through with allowPrivateTargets', () => {
    expect(validateTargetUrl('http://127.0.0.1:3000/', { allowPrivateTargets: true }).ok).toBe(
      true,
    );
    expect(validateTargetUrl('http://localhost:3000/', { allowPrivateTargets: true }).ok).toBe(
      true,
    );
  });
});
