/**
 * What the cors target must get right, read from the text: the traps of the cors package. That the
 * options behave as the policy says, but for the warned differences, is proven against the real
 * package under Express in test/servers/node-targets.test.ts.
 */

import { parsePolicyFile } from 'corsproof';
import { describe, expect, it } from 'vitest';
import { GenerateError } from '../target.js';
import { corsPackage } from './cors.js';

const codes = (document: unknown) =>
  corsPackage.generate(parsePolicyFile(document)).warnings.map((w) => `${w.code} ${w.path}`);

describe('the cors target', () => {
  it('lists exact origins as strings and patterns as one anchored RegExp with a length limit', () => {
    const { config } = corsPackage.generate(
      parsePolicyFile({ origins: ['https://app.example.com', 'https://*.example.com'] }),
    );
    expect(config).toContain("    'https://app.example.com',\n");
    const regex = config.match(/^ {4}(\/.*\/),$/m)?.[1] ?? '';
    expect(regex).toMatch(/^\/\^\(\?=\.\{0,512\}\$\).*\$\/$/);
    // biome-ignore lint/security/noGlobalEval: evaluating the generated RegExp literal is the point
    const pattern = eval(regex) as RegExp;
    expect(pattern.test('https://a.b.example.com')).toBe(true);
    expect(pattern.test('https://example.com')).toBe(false);
    expect(pattern.test('https://evil-example.com')).toBe(false);
    expect(pattern.test('https://a.example.com.evil.test')).toBe(false);
  });

  it('always sets allowedHeaders, since left unset cors echoes any requested header', () => {
    const { config } = corsPackage.generate(parsePolicyFile({ origins: ['https://a.example'] }));
    expect(config).toContain('allowedHeaders: [],');
    expect(config).toContain("methods: ['GET', 'HEAD', 'POST'],");
    expect(config).toContain('optionsSuccessStatus: 204,');
  });

  it('never passes origin: false, which cors reads as "*": paths without CORS skip it', () => {
    const { config } = corsPackage.generate(
      parsePolicyFile({
        default: { origins: ['https://a.example'] },
        paths: { '/admin/*': false, '/public/*': { origins: '*' } },
      }),
    );
    expect(config).not.toMatch(/^\s*origin: false/m);
    expect(config).toContain('if (policy === null) return next();');
    expect(config).toContain('[/^\\/admin(?:\\/[^?]*)?$/, null],');
    expect(config).toContain('[/^\\/admin(?:\\/[^?]*)?$/i, null],');
  });

  it('warns about each difference, in the stricter direction', () => {
    expect(
      codes({ origins: ['https://a.example'], privateNetwork: true, credentials: true }),
    ).toEqual([
      'options-always-preflight ',
      'refused-preflight-status default',
      'preflight-headers-differ default',
      'extra-headers-on-refused default',
      'private-network-unsupported default.privateNetwork',
    ]);
    expect(codes({ origins: '*', requestHeaders: '*' })).toContain(
      'request-headers-wildcard default.requestHeaders',
    );
    expect(codes({ origins: ['https://a.example'], credentials: true, methods: '*' })).toContain(
      'methods-wildcard-credentials default.methods',
    );
  });

  it('refuses an origins function with a GenerateError', () => {
    expect(() => corsPackage.generate(parsePolicyFile({ origins: () => true }))).toThrow(
      GenerateError,
    );
  });
});
