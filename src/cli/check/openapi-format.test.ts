import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../check/index.js';
import type { ApiOperation } from '../../openapi/index.js';
import {
  type CheckedOperation,
  causesOf,
  formatOperationTable,
  operationsReport,
  statusOf,
} from './openapi-format.js';

function op(method: string, path: string): ApiOperation {
  return {
    method,
    path,
    url: `https://api.example${path}`,
    operationId: null,
    tags: [],
    headers: [],
    credentials: false,
    security: [],
  };
}

/** Only the fields the table reads; the rest of a result does not matter to it. */
function blocked(code: string, message: string): CheckResult {
  return {
    verdict: 'blocked',
    scope: 'full',
    failures: [{ code, message, fix: { summary: `fix ${code}` } }],
  } as unknown as CheckResult;
}

const allowed = { verdict: 'allowed', scope: 'full' } as unknown as CheckResult;
const notSent = {
  verdict: 'inconclusive',
  scope: 'preflight-only',
  reason: 'no preflight',
} as unknown as CheckResult;

const checked: CheckedOperation[] = [
  { operation: op('GET', '/a'), result: allowed },
  { operation: op('GET', '/b'), result: blocked('PreflightMissingAllowOriginHeader', 'words b') },
  { operation: op('PUT', '/c'), result: blocked('MethodDisallowedByPreflightResponse', 'words c') },
  { operation: op('GET', '/d'), result: blocked('PreflightMissingAllowOriginHeader', 'words d') },
  { operation: op('POST', '/e'), result: notSent },
  { operation: op('TRACE', '/f'), error: { code: 'INVALID_METHOD', message: 'forbidden' } },
];

describe('check --openapi output', () => {
  it('groups operations by cause, the largest group first, in the first one’s words', () => {
    expect(causesOf(checked)).toEqual([
      {
        code: 'PreflightMissingAllowOriginHeader',
        count: 2,
        message: 'words b',
        fix: 'fix PreflightMissingAllowOriginHeader',
        operations: ['GET /b', 'GET /d'],
      },
      {
        code: 'MethodDisallowedByPreflightResponse',
        count: 1,
        message: 'words c',
        fix: 'fix MethodDisallowedByPreflightResponse',
        operations: ['PUT /c'],
      },
      { code: 'INVALID_METHOD', count: 1, message: 'forbidden', fix: '', operations: ['TRACE /f'] },
    ]);
  });

  it('tells a request left unsent by choice from one without a verdict', () => {
    expect(checked.map(statusOf)).toEqual([
      'callable',
      'blocked',
      'blocked',
      'blocked',
      'not sent',
      'invalid',
    ]);
  });

  it('counts every status and says why in the table', () => {
    expect(operationsReport('https://app.example', checked).counts).toEqual({
      callable: 1,
      blocked: 3,
      'not sent': 1,
      'no verdict': 0,
      'network error': 0,
      invalid: 1,
    });
    const text = formatOperationTable('https://app.example', checked);
    expect(text.split('\n')[0]).toBe(
      '6 operations called from https://app.example: 1 callable, 3 blocked, 1 not sent, 1 invalid',
    );
    expect(text).toContain('PreflightMissingAllowOriginHeader (2 operations)\n  words b\n');
    expect(text).not.toContain('\u001b[');
  });
});
