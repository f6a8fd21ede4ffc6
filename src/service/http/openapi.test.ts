import { describe, expect, it } from 'vitest';
import { buildOpenApi } from './openapi.js';

/**
 * A JSON value with object keys sorted and `required` lists sorted: the document's content, not
 * the order its schemas happen to be written in (JSON Schema's `required` is a set).
 */
function canonical(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => canonical(item));
    return key === 'required' && items.every((item) => typeof item === 'string')
      ? [...items].sort()
      : items;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k], k)]),
    );
  }
  return value;
}

describe('the OpenAPI document', () => {
  it('is the published one, path for path and schema for schema', async () => {
    const document = JSON.parse(JSON.stringify(buildOpenApi({ version: '9.9.9' })));
    await expect(`${JSON.stringify(canonical(document), null, 2)}\n`).toMatchFileSnapshot(
      './__snapshots__/openapi.json.snap',
    );
  });

  it('lists its paths in the order the routes are registered', () => {
    expect(Object.keys(buildOpenApi({ version: '9.9.9' }).paths)).toEqual([
      '/api/health',
      '/api/openapi.json',
      '/healthz',
      '/readyz',
      '/metrics',
      '/api/checks',
      '/api/checks/{id}',
      '/api/checks/{id}/rerun',
      '/api/audits',
      '/api/audits/{id}',
      '/api/audits/{id}/rerun',
      '/api/batches',
      '/api/batches/{id}',
      '/api/batches/{id}/export',
      '/api/batches/{id}/events',
      '/api/batches/{id}/rerun',
      '/api/monitors',
      '/api/monitors/{id}',
      '/api/monitors/{id}/pause',
      '/api/monitors/{id}/resume',
      '/api/monitors/{id}/run',
      '/api/monitors/{id}/webhook',
      '/api/session',
      '/api/tokens',
      '/api/tokens/{id}',
      '/api/audit-log',
    ]);
  });
});
