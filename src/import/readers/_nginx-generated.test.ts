import { parsePolicyFile } from 'corsproof';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generate/index.js';
import { importConfig } from '../import.js';
import { patternOfPathRegex } from './_nginx-generated.js';

const APP = 'https://app.example.com';

const generated = (file: object) => generate(parsePolicyFile(file), 'nginx').config;

describe('the generated nginx form', () => {
  it('is read back into the policy file it was generated from, with nothing to note', () => {
    const file = {
      default: { origins: [APP, 'https://*.example.com'], credentials: true, maxAge: 600 },
      policies: { open: { origins: '*', methods: '*', requestHeaders: '*' } },
      paths: { '/open/*': 'open', '/orders/:id': { origins: [APP], methods: ['PUT'] } },
    };
    const r = importConfig('nginx', generated(file));
    expect(r.notes.filter((n) => n.includes('generated'))).toEqual([]);
    const [read, original] = [parsePolicyFile(r.file), parsePolicyFile(file)];
    for (const path of ['/', '/open/x', '/orders/1', '/orders/1/x', '/Open/x']) {
      expect(read.policyFor(path)?.toJSON() ?? null, path).toEqual(
        original.policyFor(path)?.toJSON() ?? null,
      );
    }
  });

  it('is imported as no CORS when a line was added, noting where it differs', () => {
    const config = generated({ origins: [APP] }).replace(
      '# `always`',
      'if ($http_x_debug) { set $cors_acao $http_origin; }\n# `always`',
    );
    const r = importConfig('nginx', config);
    expect(r.file).toMatchObject({ default: false });
    expect(r.notes.join('\n')).toMatch(
      /line [0-9]+ differs from what the policy read back generates/,
    );
  });

  it('is imported as no CORS when an origin regex is widened', () => {
    const config = generated({ origins: [APP] });
    const widened = config.replace('app\\.example\\.com)$', 'app\\.example\\.com|.*)$');
    expect(widened).not.toBe(config);
    const r = importConfig('nginx', widened);
    expect(parsePolicyFile(r.file).policyFor('/')).toBeNull();
  });

  it('is recognised by its directives, not its header comment', () => {
    const header = generated({ origins: [APP] }).split('\n\n')[0] as string;
    const r = importConfig(
      'nginx',
      `${header}\nserver {\n    add_header Access-Control-Allow-Origin "https://a.test" always;\n    add_header Vary Origin always;\n}`,
    );
    expect(r.file).toMatchObject({ origins: ['https://a.test'] });
  });
});

describe('patternOfPathRegex', () => {
  it('reads the path regexes the generator writes back into patterns', () => {
    expect(patternOfPathRegex('^/$')).toBe('/');
    expect(patternOfPathRegex('^(?:/[^?]*)?$')).toBe('/*');
    expect(patternOfPathRegex('^/api(?:/[^?]*)?$')).toBe('/api/*');
    expect(patternOfPathRegex('^/orders/[^/?]+/items$')).toBe('/orders/:p1/items');
    expect(patternOfPathRegex('^/a\\.b/c\\x2a$')).toBe('/a.b/c*');
  });

  it('reads nothing else', () => {
    expect(patternOfPathRegex('^(?i)/api$')).toBeNull();
    expect(patternOfPathRegex('^/api.*$')).toBeNull();
    expect(patternOfPathRegex('/api')).toBeNull();
  });
});
