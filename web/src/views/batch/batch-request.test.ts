import { describe, expect, it } from 'vitest';
import { parseTargetList } from '../../../../src/targets/index.js';
import { toBatchRequest } from './batch-request';

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
