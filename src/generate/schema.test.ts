import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { policies } from '../../test/servers/policies.js';
import { POLICY_FILE_SCHEMA } from './schema.js';

const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(
  POLICY_FILE_SCHEMA,
);

/** The policy files written out in the documentation. */
const DOCUMENTED: readonly unknown[] = [
  {
    $schema: 'https://corsproof.dev/schema/policy-file.json',
    origins: ['https://app.example.com'],
  },
  {
    default: { origins: ['https://app.example.com'] },
    policies: { public: { origins: '*' }, closed: false },
    paths: {
      '/admin/*': false,
      '/public/*': 'public',
      '/orders/:id': { origins: ['https://shop.example'], methods: ['PUT'] },
    },
  },
];

describe('the policy file JSON Schema', () => {
  it('is the file docs/policy-file.schema.json that editors load', () => {
    const published = readFileSync(
      path.join(import.meta.dirname, '../../docs/policy-file.schema.json'),
      'utf8',
    );
    expect(JSON.parse(published)).toEqual(POLICY_FILE_SCHEMA);
  });

  it('accepts every shared test policy and every documented example', () => {
    for (const document of [...policies.map((p) => p.file), ...DOCUMENTED]) {
      expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it.each([
    ['a misspelt option', { origin: ['https://app.example.com'] }],
    ['a wrong case', { origins: ['https://app.example.com'], maxage: 600 }],
    ['no origins', { credentials: true }],
    ['a string where a list goes', { origins: 'https://app.example.com' }],
    ['a max-age past a day', { origins: '*', maxAge: 86401 }],
    ['a preflight status outside 2xx', { origins: '*', preflightStatus: 301 }],
    ['an option beside the policy set', { default: { origins: '*' }, origins: '*' }],
    ['a path not starting with /', { paths: { 'api/*': false } }],
    ['a typo inside a named policy', { policies: { a: { origins: '*', methodz: ['PUT'] } } }],
    ['an empty document', {}],
  ])('refuses %s', (_name, document) => {
    expect(validate(document)).toBe(false);
  });
});
