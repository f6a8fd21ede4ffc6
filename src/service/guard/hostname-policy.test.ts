import { describe, expect, it } from 'vitest';
import { classifyHostname } from './hostname-policy.js';

const REFUSED: ReadonlyArray<readonly [string, string]> = [
  ['localhost', 'localhost'],
  ['LOCALHOST', 'localhost'],
  ['localhost.', 'localhost'],
  ['foo.localhost', 'localhost'],
  ['a.b.localhost.', 'localhost'],
  ['metadata.google.internal', 'internal'],
  ['ip-10-0-0-1.ec2.internal', 'internal'],
  ['printer.local', 'local'],
  ['api.default.svc.cluster.local', 'local'],
  ['nas.home.arpa', 'home-arpa'],
  ['localhost.localdomain', 'localdomain'],
  ['wiki.intranet', 'intranet'],
  ['db.corp', 'corp'],
  ['router.lan', 'lan'],
  ['metadata', 'single-label'],
  ['kubernetes', 'single-label'],
  ['', 'empty'],
  ['.', 'empty'],
];

describe('classifyHostname', () => {
  it.each(REFUSED)('refuses %j (%s)', (name, rule) => {
    const verdict = classifyHostname(name);
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.rule).toBe(rule);
  });

  it.each([
    'api.example.com',
    'example.com.',
    'localhost.example.com', // only a suffix match counts
    'internal.example.com',
    'xn--bcher-kva.example',
  ])('allows %j', (name) => {
    expect(classifyHostname(name)).toEqual({
      allowed: true,
      hostname: name.toLowerCase().replace(/\.$/, ''),
    });
  });

  it('explains why a name is refused', () => {
    const verdict = classifyHostname('metadata.google.internal');
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(verdict.why).toMatch(/private networks, cloud metadata/);
  });
});
