/**
 * The network auditor against the zoo: every vulnerable endpoint yields exactly its expected ids,
 * and no safe endpoint gets a finding of medium severity or above.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../src/audit/index.js';
import { audit } from '../../src/audit/index.js';
import { createCheckDispatcher } from '../../src/check/index.js';
import { expectAsListed } from './expect-listed.js';
import { startZoo, TRUSTED, ZOO, type Zoo } from './zoo.js';

let zoo: Zoo;
const reports = new Map<string, AuditReport>();

beforeAll(async () => {
  zoo = await startZoo();
  const dispatcher = createCheckDispatcher({ connections: 16 });
  try {
    // Several endpoints at once over one pool: the zoo answers in microseconds.
    const queue = [...ZOO];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let e = queue.shift(); e !== undefined; e = queue.shift()) {
          reports.set(
            e.path,
            await audit({ url: `${zoo.base}${e.path}`, origin: TRUSTED, dispatcher }),
          );
        }
      }),
    );
  } finally {
    await dispatcher.close();
  }
  if (process.env.CORSPROOF_ZOO_TABLE) {
    for (const e of ZOO) {
      const r = reports.get(e.path);
      const found = r?.findings.map((f) => `${f.id}(${f.severity})`).join(', ') ?? '';
      console.log(
        `| \`${e.path}\` | ${e.what} | ${e.expected.join(', ') || '—'} | ${found || '—'} |`,
      );
    }
  }
  // A guard against a hung server, not a measure: on a busy machine the audits take tens of seconds.
}, 180_000);

afterAll(async () => {
  await zoo?.close();
});

describe('the zoo', () => {
  it('has at least 25 endpoints, vulnerable and safe', () => {
    expect(ZOO.length).toBeGreaterThanOrEqual(25);
    expect(ZOO.some((e) => e.safe)).toBe(true);
    expect(ZOO.some((e) => !e.safe)).toBe(true);
  });

  for (const entry of ZOO) {
    it(`${entry.path}: ${entry.what} -> ${entry.expected.join(', ') || 'no findings'}`, () => {
      expectAsListed(entry, reports.get(entry.path));
    });
  }
});

describe('what a finding carries', () => {
  it('names the origin that proved it, with the exchange as evidence', () => {
    const f = reports
      .get('/reflect-credentials')
      ?.findings.find((x) => x.id === 'origin-reflected-any');
    expect(f?.origin).toMatch(/^https:\/\/cp[0-9a-f]{10}\.example$/);
    expect(f?.credentials).toBe(true);
    expect(f?.impact).toBe('read');
    const get = f?.evidence.find((e) => e.request.method === 'GET');
    expect(get?.request.headers).toContainEqual(['Origin', f?.origin]);
    // Node writes header names in lower case; the evidence keeps them as received.
    expect(get?.response?.headers).toContainEqual(['access-control-allow-origin', f?.origin]);
    expect(get?.response?.headers).toContainEqual(['access-control-allow-credentials', 'true']);
    expect(f?.why).not.toBe('');
    expect(f?.fix).not.toBe('');
  });

  it('reports a reflected origin once, listing the other origins it let through', () => {
    const f = reports.get('/reflect')?.findings[0];
    expect(f?.origins).toContain('null');
    expect(f?.origins?.length).toBeGreaterThan(30);
    expect(f?.message).toMatch(/also let through .* and \d+ more/);
  });

  it('folds the subdomain and http: origins a suffix check lets in into the suffix finding', () => {
    const f = reports.get('/suffix-regex')?.findings[0];
    expect(f?.id).toBe('suffix-match-bypass');
    expect(f?.origins).toContain('http://app.example.com');
    expect(f?.origins?.some((o) => /^https:\/\/cp[0-9a-f]+\.app\.example\.com$/.test(o))).toBe(
      true,
    );
  });

  it('marks an origin that can only send (its preflight is accepted) as impact "send"', () => {
    const f = reports
      .get('/preflight-only-reflect')
      ?.findings.find((x) => x.id === 'origin-reflected-any');
    expect(f?.impact).toBe('send');
    expect(f?.message).toContain('cannot read responses');
    const d = reports
      .get('/preflight-only-reflect')
      ?.findings.find((x) => x.id === 'dangerous-methods-allowed');
    expect(d?.message).toContain('PUT, DELETE');
  });

  it('says when only Safari can send the origin, and keeps it low despite credentials', () => {
    const f = reports.get('/special-char-safari')?.findings[0];
    expect(f?.message).toContain('Only WebKit (Safari');
    expect(f?.credentials).toBe(true);
    expect(f?.severity).toBe('low');
  });

  it('says which answers a shared cache may hand on, why, and how the severity was reached', () => {
    const f = reports.get('/cache-credentials-no-vary')?.findings[0];
    expect(f?.message).toContain(`it grants ${TRUSTED} with credentials`);
    expect(f?.message).toContain('stored and fresh for 600 s by max-age=600 (RFC 9111 §4.2.1)');
    expect(f?.message).toContain(
      'Severity high: it grants credentials and the server declares it fresh',
    );
  });

  it('gives an error answer as status, length and type, and says why the severity came down', () => {
    const f = reports.get('/reflect-401')?.findings[0];
    expect(f?.message).toContain('The readable answer was 401, 24 bytes of application/json');
    expect(f?.message).toContain('lowered from medium to low');
    expect(f?.message).not.toContain('unauthorized');
    const held = reports.get('/reflect-401-credentials')?.findings[0];
    expect(held?.message).toContain("a signed-in victim's request carries cookies");
  });

  it('never sends the state-changing request itself, only its preflight', () => {
    for (const report of reports.values()) {
      for (const p of report.probes) {
        expect(p.get.method).toBe('GET');
        expect(p.preflight.method).toBe('OPTIONS');
      }
      for (const f of report.findings) {
        for (const e of f.evidence) expect(['GET', 'OPTIONS']).toContain(e.request.method);
      }
    }
  });

  it('records status codes and CORS headers per probe, with fresh labels per run', () => {
    const r = reports.get('/reflect');
    const p = r?.probes.find((x) => x.id === 'origin-reflected-any');
    expect(p?.get.status).toBe(200);
    expect(p?.get.acao).toBe(p?.origin);
    expect(p?.preflight.status).toBe(204);
    const labels = new Set(
      [...reports.values()].map((x) => /cp[0-9a-f]{10}/.exec(x.probes[0]?.origin ?? '')?.[0]),
    );
    expect(labels.size).toBe(reports.size);
  });
});
