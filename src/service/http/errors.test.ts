import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { STORE_RETRY_AFTER_SECONDS, StoreUnavailableError } from '../store/unavailable.js';
import { describeSchemaIssue, fieldPath, installErrorHandlers } from './errors.js';

describe('fieldPath', () => {
  it.each([
    [[], ''],
    [['url'], 'url'],
    [['targets', '3', 'url'], 'targets[3].url'],
    [['headers', '0', '1'], 'headers[0][1]'],
    [['headers', 'x-api-key'], 'headers["x-api-key"]'],
    [['headers', '01'], 'headers["01"]'],
  ])('%j is %s', (segments, path) => {
    expect(fieldPath(segments)).toBe(path);
  });
});

describe('describeSchemaIssue', () => {
  it('names the missing property, not its parent', () => {
    expect(
      describeSchemaIssue(
        { keyword: 'required', instancePath: '/targets/2', params: { missingProperty: 'origin' } },
        'body',
      ),
    ).toEqual({ field: 'targets[2].origin', message: 'targets[2].origin is required' });
  });

  it('uses x-expected for pattern failures', () => {
    expect(
      describeSchemaIssue(
        {
          keyword: 'pattern',
          instancePath: '/method',
          params: {},
          parentSchema: { 'x-expected': 'a method' },
        },
        'body',
      ),
    ).toEqual({ field: 'method', message: 'method must be a method' });
  });

  it('names the whole part when the issue is at its root', () => {
    expect(
      describeSchemaIssue(
        { keyword: 'type', instancePath: '', params: { type: 'object' } },
        'body',
      ),
    ).toEqual({
      field: 'body',
      message: 'the body must be an object',
    });
  });

  it('unescapes JSON pointer segments', () => {
    expect(
      describeSchemaIssue(
        { keyword: 'type', instancePath: '/headers/a~1b~0c', params: { type: 'string' } },
        'body',
      ).field,
    ).toBe('headers["a/b~c"]');
  });
});

describe('installErrorHandlers', () => {
  it('answers a database that cannot be reached with 503, Retry-After and a JSON body, not a 500', async () => {
    const app = Fastify({ logger: false });
    installErrorHandlers(app);
    app.get('/boom', async () => {
      throw new StoreUnavailableError('127.0.0.1:5432/test', new Error('connect ECONNREFUSED'));
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/boom' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe(String(STORE_RETRY_AFTER_SECONDS));
      expect(res.json()).toEqual({
        error: 'busy',
        message: `corsproof: the database at 127.0.0.1:5432/test cannot be reached (connect ECONNREFUSED); try again in ${STORE_RETRY_AFTER_SECONDS} s`,
      });
    } finally {
      await app.close();
    }
  });
});
