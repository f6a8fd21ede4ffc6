import { describe, expect, it } from 'vitest';
import { checkTarget } from './target-policy.js';

describe('checkTarget', () => {
  it.each([
    ['https://api.example.com/', 'public', true],
    ['http://127.0.0.1:8081/', 'public', false],
    ['http://127.0.0.1:8081/', 'loopback', true],
    ['http://localhost:8081/', 'loopback', true],
    ['http://[::1]:8081/', 'loopback', true],
    ['http://127.9.9.9/', 'loopback', true],
    ['http://10.0.0.1/', 'loopback', false],
    ['http://169.254.169.254/', 'loopback', false],
    ['http://localhost.:8081/', 'loopback', true],
    ['http://app.localhost:8081/', 'loopback', true],
    // IPv4-mapped 127.0.0.1 is outside ::1/128, so not a loopback host (Secure Contexts).
    ['http://[::ffff:127.0.0.1]/', 'loopback', false],
    ['http://[::ffff:a9fe:a9fe]/', 'loopback', false],
    ['http://10.0.0.1/', 'private', true],
    ['http://127.0.0.1:6000/', 'loopback', false],
    ['file:///etc/passwd', 'private', false],
  ] as const)('%s in %s mode: %s', (url, mode, ok) => {
    expect(checkTarget(url, mode).ok).toBe(ok);
  });

  it('a refusal says which opt-in would lift it', () => {
    const verdict = checkTarget('http://192.168.0.1/', 'public');
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toContain('--allow-private-targets');
  });
});
