import { describe, expect, it } from 'vitest';
import { parseTargetList } from '../../../../src/targets/index.js';
import { toBatchRequest, toOpenApiRequest } from './batch-request';

const defaults = { origin: 'https://app.example.com', method: 'GET', credentials: 'omit' } as const;

describe('toBatchRequest', () => {
  it('turns credentials into the boolean an audit takes', () => {
    const parsed = parseTargetList('https://a.example', { ...defaults, credentials: 'include' });
    if (!parsed.ok) throw new Error('expected targets');
    expect(toBatchRequest('audit', parsed.targets)).toEqual({
      kind: 'audit',
      targets: [{ url: 'https://a.example', origin: defaults.origin, credentials: true }],
    });
  });
});

describe('toOpenApiRequest', () => {
  const fields = { text: '', url: '', baseUrl: '', include: '', exclude: '' };

  it('sends the text when there is one, and splits the patterns', () => {
    expect(
      toOpenApiRequest(
        'check',
        { ...fields, text: 'openapi: 3.0.3', url: 'https://x.example', include: 'tag:a, /b/**' },
        { origin: defaults.origin, credentials: 'include' },
      ),
    ).toEqual({
      kind: 'check',
      openapi: {
        text: 'openapi: 3.0.3',
        origin: defaults.origin,
        include: ['tag:a', '/b/**'],
        credentials: true,
      },
    });
  });

  it('sends the link, and the base URL when given', () => {
    expect(
      toOpenApiRequest(
        'audit',
        { ...fields, url: ' https://api.example/openapi.json ', baseUrl: 'https://api.example' },
        { origin: defaults.origin, credentials: 'omit' },
      ).openapi,
    ).toEqual({
      url: 'https://api.example/openapi.json',
      origin: defaults.origin,
      baseUrl: 'https://api.example',
      credentials: false,
    });
  });
});
