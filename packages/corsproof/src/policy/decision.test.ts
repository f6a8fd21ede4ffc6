import { describe, expect, it } from 'vitest';
import { type Decision, isPreflight } from './decision.js';

const reason = { code: 'origin-not-allowed', detail: 'https://evil.example' } as const;

describe('isPreflight', () => {
  it.each([
    [{ kind: 'not-cors', headers: [], vary: 'Origin' }, false],
    [{ kind: 'actual-allowed', headers: [], vary: 'Origin' }, false],
    [{ kind: 'actual-refused', headers: [], vary: 'Origin', reason }, false],
    [{ kind: 'preflight-accepted', status: 204, headers: [], vary: null }, true],
    [{ kind: 'preflight-refused', status: 403, headers: [], vary: null, reason }, true],
  ] as [Decision, boolean][])('says a %o decision is a preflight: %s', (decision, expected) => {
    expect(isPreflight(decision)).toBe(expected);
  });
});
