import { describe, expect, it } from 'vitest';
import type { ApiOperation } from './operations.js';
import { selectOperations } from './select.js';

function op(path: string, tags: string[] = []): ApiOperation {
  return {
    method: 'GET',
    path,
    url: `https://api.example${path}`,
    operationId: null,
    tags,
    headers: [],
    credentials: false,
    security: [],
  };
}

const OPS = [op('/users', ['users']), op('/users/{id}', ['users', 'admin']), op('/internal/a/b')];
const paths = (ops: readonly ApiOperation[]) => ops.map((o) => o.path);

describe('selectOperations', () => {
  it('keeps everything without a filter', () => {
    expect(paths(selectOperations(OPS, {}))).toEqual(paths(OPS));
  });

  it('includes by tag', () => {
    expect(paths(selectOperations(OPS, { include: ['tag:admin'] }))).toEqual(['/users/{id}']);
  });

  it('* stays within a segment and ** crosses them', () => {
    expect(paths(selectOperations(OPS, { exclude: ['/internal/*'] }))).toHaveLength(3);
    expect(paths(selectOperations(OPS, { exclude: ['/internal/**'] }))).toEqual([
      '/users',
      '/users/{id}',
    ]);
    expect(paths(selectOperations(OPS, { include: ['/users/*'] }))).toEqual(['/users/{id}']);
  });

  it('an exclude wins over an include', () => {
    expect(
      paths(selectOperations(OPS, { include: ['tag:users'], exclude: ['tag:admin'] })),
    ).toEqual(['/users']);
  });
});
