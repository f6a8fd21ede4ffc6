/**
 * From verdicts on crafted origins to findings: the broadest matching bug explains the rest, a
 * Safari-only bypass stays low, an origin that can only send is marked so.
 */
import { describe, expect, it } from 'vitest';
import { classifyProbes, type ProbeVerdict } from './classify.js';
import { deriveProbes } from './probes.js';

const TRUSTED = 'https://app.example.com';
const probes = deriveProbes({ trustedOrigin: TRUSTED, random: () => 'cpx1' });
const OPTIONS = {
  trustedOrigin: TRUSTED,
  stateChanging: 'PUT with Content-Type: application/json',
};

/** Verdicts as an endpoint whose check is `accepts` would produce them. */
function verdicts(
  accepts: (origin: string) => boolean,
  how: Partial<Omit<ProbeVerdict, 'probe' | 'evidence'>> = { read: true },
): ProbeVerdict[] {
  return probes.map((probe) => {
    const yes = accepts(probe.origin);
    return {
      probe,
      read: yes && how.read === true,
      readCredentials: yes && how.readCredentials === true,
      send: yes && how.send === true,
      sendCredentials: yes && how.sendCredentials === true,
      evidence: [],
    };
  });
}

const ids = (accepts: (o: string) => boolean) =>
  classifyProbes(verdicts(accepts), OPTIONS)
    .map((f) => f.id)
    .sort();

describe('classifyProbes', () => {
  it.each([
    ['a reflected origin', () => true, ['origin-reflected-any']],
    ['null only', (o: string) => o === 'null', ['null-origin-trusted']],
    [
      'a prefix regex',
      (o: string) => /^https:\/\/app\.example\.com/.test(o),
      ['prefix-match-bypass'],
    ],
    ['a suffix regex', (o: string) => /example\.com$/.test(o), ['suffix-match-bypass']],
    ['a substring search', (o: string) => o.includes('example.com'), ['substring-match-bypass']],
    ['a reversed search', (o: string) => TRUSTED.includes(o), ['substring-match-bypass']],
    [
      'unescaped dots',
      (o: string) => /^https:\/\/app.example.com$/.test(o),
      ['unescaped-dot-regex'],
    ],
    [
      'a subdomain pattern',
      (o: string) => /^https:\/\/([a-z0-9-]+\.)+example\.com$/.test(o),
      ['any-subdomain-trusted'],
    ],
    [
      'a subdomain pattern that ignores the scheme',
      (o: string) => /^https?:\/\/([a-z0-9-]+\.)+example\.com$/.test(o),
      ['any-subdomain-trusted', 'insecure-scheme-trusted'],
    ],
    ['github.io wildcard', (o: string) => o.endsWith('.github.io'), ['third-party-origin-trusted']],
    ['nothing', () => false, []],
  ])('%s', (_name, accepts, expected) => {
    expect(ids(accepts)).toEqual(expected);
  });

  it('lists every origin the explaining bug let through, the proof first', () => {
    const [f] = classifyProbes(
      verdicts(() => true, { read: true, readCredentials: true }),
      OPTIONS,
    );
    expect(f?.origin).toBe('https://cpx1.example');
    expect(f?.origins).toHaveLength(probes.length);
    expect(f?.severity).toBe('high');
    expect(f?.message).toContain('with credentials');
  });

  it('folds the special characters and the other port into a prefix match', () => {
    const [f] = classifyProbes(
      verdicts((o) => o.startsWith('https://app.example.com')),
      OPTIONS,
    );
    expect(f?.origins).toContain('https://app.example.com_.cpx1.example');
    expect(f?.origins).toContain('https://app.example.com:8443');
  });

  it('keeps a bypass only Safari can use low, even with credentials, and says so', () => {
    const safariOnly = (o: string) => /^https:\/\/app\.example\.com[!$&'()*+,;=`{}~"]/.test(o);
    const [f] = classifyProbes(
      verdicts(safariOnly, { read: true, readCredentials: true }),
      OPTIONS,
    );
    expect(f?.id).toBe('special-char-bypass');
    expect(f?.severity).toBe('low');
    expect(f?.message).toContain('Only WebKit (Safari');
    const everywhere = (o: string) => o.startsWith('https://app.example.com_');
    const [g] = classifyProbes(
      verdicts(everywhere, { read: true, readCredentials: true }),
      OPTIONS,
    );
    expect(g?.severity).toBe('medium');
  });

  it('reports an origin whose preflight passes but cannot read as impact "send"', () => {
    const [f] = classifyProbes(
      verdicts((o) => o === 'http://localhost:3000', { send: true, sendCredentials: true }),
      OPTIONS,
    );
    expect(f).toMatchObject({ id: 'dev-origin-trusted', impact: 'send', severity: 'medium' });
    expect(f?.message).toContain('cannot read responses');
  });
});

describe('classifyProbes on error answers', () => {
  const reflect = () => true;
  const withAnswer = (status: number, bytes: number, how: Partial<ProbeVerdict> = {}) =>
    verdicts(reflect).map((v) => ({
      ...v,
      ...how,
      answer: { status, bytes, truncated: false, contentType: 'application/json' },
    }));

  it('lowers a reflected Origin that only ever reads a short 401, and says so', () => {
    const [f] = classifyProbes(withAnswer(401, 27), OPTIONS);
    expect(f?.id).toBe('origin-reflected-any');
    expect(f?.severity).toBe('low');
    expect(f?.message).toContain('401, 27 bytes of application/json');
  });

  it('keeps a reflected Origin on a 200 with data at its severity, with the evidence', () => {
    const [f] = classifyProbes(withAnswer(200, 11), OPTIONS);
    expect(f?.severity).toBe('medium');
    expect(f?.message).toContain('The readable answer was 200, 11 bytes of application/json.');
  });

  it('keeps a credentialed 401 when no session was sent, and lowers it when one was', () => {
    const credentialed = withAnswer(401, 27, { readCredentials: true });
    expect(classifyProbes(credentialed, OPTIONS)[0]?.severity).toBe('high');
    expect(classifyProbes(credentialed, { ...OPTIONS, sessionSent: true })[0]?.severity).toBe(
      'medium',
    );
  });
});
