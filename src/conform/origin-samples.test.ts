import { parseOriginSpec } from 'corsproof';
import { describe, expect, it } from 'vitest';
import { originSamples } from './origin-samples.js';

function samplesOf(entry: string) {
  const parsed = parseOriginSpec(entry);
  if (!parsed.ok) throw new Error(`bad test entry ${entry}`);
  return originSamples(parsed.spec);
}

describe('originSamples', () => {
  it('tries an exact origin and its suffix, prefix, scheme and port look-alikes', () => {
    expect(samplesOf('https://app.example.com').map((s) => [s.origin, s.sample])).toEqual([
      ['https://app.example.com', true],
      ['https://app.example.com.corsproof-evil.test', false],
      ['https://corsproofevilapp.example.com', false],
      ['http://app.example.com', false],
      ['https://app.example.com:8443', false],
    ]);
  });

  it('moves an explicit port to the default one for the other-port look-alike', () => {
    const origins = samplesOf('http://localhost:3000').map((s) => s.origin);
    expect(origins).toContain('http://localhost');
    expect(origins).toContain('https://localhost:3000');
  });

  it('samples a subdomain pattern with one and two labels, and tries its apex', () => {
    const samples = samplesOf('https://*.example.com');
    expect(samples.filter((s) => s.sample).map((s) => s.origin)).toEqual([
      'https://conform.example.com',
      'https://deep.conform.example.com',
    ]);
    expect(samples.filter((s) => !s.sample).map((s) => s.origin)).toEqual([
      'https://example.com',
      'https://conform.example.com.corsproof-evil.test',
      'https://corsproofevilconform.example.com',
      'http://conform.example.com',
      'https://conform.example.com:8443',
    ]);
  });

  it('samples an any-port pattern with two ports and no other-port look-alike', () => {
    const samples = samplesOf('http://localhost:*');
    expect(samples.filter((s) => s.sample).map((s) => s.origin)).toEqual([
      'http://localhost:8443',
      'http://localhost:3000',
    ]);
    expect(samples.map((s) => s.note)).not.toContain('other port than http://localhost:*');
  });

  it('leaves out look-alikes that are not origins, such as a prefix on an IP address', () => {
    const origins = samplesOf('http://127.0.0.1:8080').map((s) => s.origin);
    expect(origins).not.toContain('http://corsproofevil127.0.0.1:8080');
    expect(origins).toContain('http://127.0.0.1.corsproof-evil.test:8080');
  });
});
