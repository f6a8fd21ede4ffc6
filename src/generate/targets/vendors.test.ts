/**
 * ASP.NET Core, Spring and S3 cannot run here, so what they are given is pinned in golden files
 * (`__golden__/<target>/<policy>.<ext>`, rewritten with `CORSPROOF_UPDATE_GOLDEN=1`) that were read
 * against each vendor's documented semantics (docs/servers.md), and the traps are asserted here.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePolicyFile } from 'corsproof';
import { describe, expect, it } from 'vitest';
import { policies } from '../../../test/servers/policies.js';
import { GenerateError } from '../target.js';
import { aspnetcore } from './aspnetcore.js';
import { s3 } from './s3.js';
import { spring } from './spring.js';

const GOLDEN = fileURLToPath(new URL('./__golden__/', import.meta.url));
const UPDATE = process.env.CORSPROOF_UPDATE_GOLDEN === '1';

/** The policies pinned for every target: exact and pattern origins, any origin, a table. */
const PINNED = [
  'one-origin',
  'private-network',
  'path-table',
  'credentials-subdomains-and-localhost',
  'subdomain-pattern-any-port',
  'any-origin-full',
  'everything',
];

/** Compares `text` with the golden file, writing it when asked to or when it is new. */
function golden(file: string, text: string): void {
  if (UPDATE || !existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  expect(text).toBe(readFileSync(file, 'utf8'));
}

describe.each([aspnetcore, spring, s3])('the $name target', (target) => {
  const ext = path.extname(
    target.generate(parsePolicyFile({ origins: '*', credentials: false })).fileName,
  );
  it.each(PINNED)('writes the %s policy file, and warns, as its golden files say', (name) => {
    const entry = policies.find((p) => p.name === name);
    if (entry === undefined) throw new Error(`corsproof: no policy named ${name}`);
    const base = path.join(GOLDEN, target.name, name);
    try {
      const { config, warnings } = target.generate(parsePolicyFile(entry.file));
      golden(`${base}${ext}`, config);
      golden(
        `${base}.warnings.txt`,
        warnings.map((w) => `${w.code} ${w.path}: ${w.message}\n`).join(''),
      );
    } catch (error) {
      if (!(error instanceof GenerateError)) throw error;
      golden(`${base}.error.txt`, `${error.message}\n`);
    }
  });
});

const ONE = parsePolicyFile({
  origins: ['https://app.example.com', 'https://*.example.com', 'http://localhost:*'],
  credentials: true,
  methods: ['PUT', 'PATCH'],
  requestHeaders: ['Content-Type'],
  maxAge: 600,
  privateNetwork: true,
});

describe('aspnetcore', () => {
  it('checks any port with an anchored regex, since WithOrigins compares ports exactly', () => {
    const { config } = aspnetcore.generate(ONE);
    expect(config).toContain('.SetIsOriginAllowed(origin => DefaultOrigins.IsMatch(origin))');
    expect(config).toMatch(/Regex DefaultOrigins = new Regex\(@"\^\(\?=\.\{0,512\}\$\)/);
    expect(config).not.toContain('.AllowAnyOrigin()');
  });

  it('uses WithOrigins and wildcard subdomains when no port is open', () => {
    const { config } = aspnetcore.generate(
      parsePolicyFile({ origins: ['https://app.example.com', 'https://*.example.com'] }),
    );
    expect(config).toContain(
      '.WithOrigins("https://app.example.com", "https://*.example.com")\n                .SetIsOriginAllowedToAllowWildcardSubdomains()',
    );
    expect(config).toContain('options.AddDefaultPolicy(policy => policy');
  });

  it('warns about the 204 refusals, Vary and the missing Private Network Access answer', () => {
    const codes = aspnetcore.generate(ONE).warnings.map((w) => w.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'refused-preflight-status',
        'vary-incomplete',
        'private-network-unsupported',
        'punycode-subdomains-refused',
      ]),
    );
  });
});

describe('spring', () => {
  it('writes any port as :[*] and answers Private Network Access itself', () => {
    const { config, warnings } = spring.generate(ONE);
    expect(config).toContain(
      'defaultCors.setAllowedOriginPatterns(List.of("https://*.example.com", "http://localhost:[*]"));',
    );
    expect(config).toContain('defaultCors.setAllowPrivateNetwork(true);');
    expect(config).toContain(
      'defaultCors.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH"));',
    );
    expect(warnings.map((w) => w.code)).not.toContain('private-network-unsupported');
  });
});

describe('s3', () => {
  it('refuses a path table and a file without any policy', () => {
    expect(() =>
      s3.generate(parsePolicyFile({ default: { origins: '*' }, paths: { '/a/*': false } })),
    ).toThrow(/cannot generate s3 configuration for paths: .*Fix: give the bucket one policy/);
    expect(() => s3.generate(parsePolicyFile({ default: false }))).toThrow(GenerateError);
  });

  it('refuses listed origins without credentials, since S3 would allow credentials to them', () => {
    expect(() => s3.generate(parsePolicyFile({ origins: ['https://app.example.com'] }))).toThrow(
      /Access-Control-Allow-Credentials: true.*Fix: set "credentials": true/,
    );
  });

  it('keeps one * per origin and only the methods S3 knows, warning about the rest', () => {
    const { config, warnings } = s3.generate(ONE);
    const rule = JSON.parse(config).CORSRules[0];
    expect(rule.AllowedOrigins).toEqual([
      'https://app.example.com',
      'https://*.example.com',
      'http://localhost',
      'http://localhost:*',
    ]);
    expect(rule.AllowedMethods).toEqual(['GET', 'PUT', 'POST', 'HEAD']);
    expect(warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining([
        'methods-not-supported',
        'private-network-unsupported',
        'preflight-status',
      ]),
    );
  });
});
