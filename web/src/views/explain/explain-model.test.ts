import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainHarText, explainLine, harSummary } from './explain-model';

const har = (name: string) =>
  readFileSync(new URL(`../../../../test/fixtures/har/${name}`, import.meta.url), 'utf8');

describe('the explain view model', () => {
  it('explains a Chromium HAR with the engine the page loads', () => {
    const outcome = explainHarText('chromium.har', har('chromium.har'), 'auto');
    expect(outcome.kind).toBe('explained');
    expect(harSummary(outcome)).toBe(
      '9 cross-origin requests: 3 allowed, 6 blocked, 0 not decided by the recording.',
    );
  });

  it('keeps a file that is not a HAR apart, with the reason', () => {
    const outcome = explainHarText('notes.txt', 'hello', 'auto');
    expect(outcome).toMatchObject({
      kind: 'unreadable',
      message: expect.stringContaining('not JSON'),
    });
  });

  it('reads a pasted console line, and says when it does not know one', () => {
    const line =
      "Access to fetch at 'https://api.example.com/x' from origin 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.";
    expect(explainLine(line)).toMatchObject({
      kind: 'explained',
      explanation: { code: 'MissingAllowOriginHeader' },
    });
    expect(explainLine('TypeError: Failed to fetch')).toEqual({ kind: 'unknown' });
    expect(explainLine('  ')).toEqual({ kind: 'empty' });
  });
});
