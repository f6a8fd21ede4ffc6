import { parsePolicyFile } from 'corsproof';
import { withCors } from 'corsproof/fetch';
import { describe, expect, it } from 'vitest';
import { galxePreflightRequest, judgeGalxePreflight } from '../check/index.js';
import { PresetError, presetDocument } from './presets.js';
import { TARGETS } from './registry.js';

const URL_ = new URL('https://api.example/credential');

/** The preflight Galxe sends, through the fetch adapter under a policy, judged as Galxe does. */
async function galxeVerdict(document: unknown, method: 'GET' | 'POST') {
  const policy = parsePolicyFile(document).policyFor(URL_.pathname);
  if (policy === null) throw new Error('the preset gave no policy for the path');
  const handler = withCors(policy, () => new Response('{}'));
  const sent = galxePreflightRequest(URL_, method);
  const response = await handler(
    new Request(sent.url, { method: sent.method, headers: sent.headers as [string, string][] }),
  );
  const headers: [string, string][] = [];
  response.headers.forEach((value, name) => {
    headers.push([name, value]);
  });
  return judgeGalxePreflight(response.status, headers, method);
}

describe('the galxe preset', () => {
  it.each(['GET', 'POST'] as const)("passes Galxe's CORS Check for %s", async (method) => {
    expect(await galxeVerdict(presetDocument('galxe'), method)).toBeNull();
  });

  it.each(['GET', 'POST'] as const)(
    'still passes for %s when widened by a policy of its own',
    async (method) => {
      const extra = { origins: ['https://app.example.com'], methods: ['PUT'], maxAge: 600 };
      expect(await galxeVerdict(presetDocument('galxe', extra), method)).toBeNull();
    },
  );

  it('keeps the origins, methods and headers of the widening policy, and its other options', () => {
    const document = presetDocument('galxe', {
      origins: ['https://app.example.com'],
      requestHeaders: ['Authorization'],
      credentials: true,
    });
    expect(document).toEqual({
      origins: ['https://dashboard.galxe.com', 'https://app.example.com'],
      methods: ['GET', 'POST'],
      requestHeaders: ['Content-Type', 'Authorization'],
      credentials: true,
    });
  });

  it('refuses to widen a file of several policies, saying what to add instead', () => {
    expect(() => presetDocument('galxe', { default: { origins: '*' } })).toThrow(PresetError);
    expect(() => presetDocument('galxe', { default: { origins: '*' } })).toThrow(
      /https:\/\/dashboard\.galxe\.com/,
    );
  });

  it('generates for every target but S3, which lists no origin without credentials', () => {
    const file = parsePolicyFile(presetDocument('galxe'));
    for (const target of TARGETS.values()) {
      if (target.name === 's3') {
        expect(() => target.generate(file)).toThrow(/"origins": "\*"/);
      } else {
        // Some targets write the origin as a regular expression (`dashboard\.galxe\.com`).
        expect(target.generate(file).config).toMatch(/dashboard\\*\.galxe\\*\.com/);
      }
    }
  });

  it('generates for S3 once widened to any origin, which Galxe accepts too', async () => {
    const document = presetDocument('galxe', { origins: '*' });
    expect(TARGETS.get('s3')?.generate(parsePolicyFile(document)).config).toContain('"*"');
    expect(await galxeVerdict(document, 'POST')).toBeNull();
  });
});
