import { describe, expect, it } from 'vitest';
import type { Severity } from './findings.js';
import { describeAnswer, type ReadAnswer, type WeighInput, weighAnswers } from './status-weight.js';

const answer = (status: number, bytes: number, contentType: string | null = 'application/json') =>
  ({ status, bytes, truncated: false, contentType }) satisfies ReadAnswer;
const base: WeighInput = { answers: [], canSend: false, credentials: false, sessionSent: false };

describe('weighAnswers', () => {
  it.each<[string, Severity, WeighInput, Severity]>([
    ['keeps a 200 with data', 'medium', { ...base, answers: [answer(200, 11)] }, 'medium'],
    [
      'lowers a 401 with a short error body, no credentials',
      'medium',
      { ...base, answers: [answer(401, 27)] },
      'low',
    ],
    ['lowers an empty 404', 'medium', { ...base, answers: [answer(404, 0, null)] }, 'low'],
    [
      'lowers a 503 error page',
      'medium',
      { ...base, answers: [answer(503, 600, 'text/html')] },
      'low',
    ],
    [
      'keeps an error status whose body is long enough to hold data',
      'medium',
      { ...base, answers: [answer(404, 4000)] },
      'medium',
    ],
    [
      'keeps it when a preflight for a state-changing request was accepted',
      'medium',
      { ...base, answers: [answer(401, 27)], canSend: true },
      'medium',
    ],
    [
      'keeps a credentialed 401 when the audit had no session: a signed-in victim may get data',
      'high',
      { ...base, answers: [answer(401, 27)], credentials: true },
      'high',
    ],
    [
      'lowers a credentialed 403 the audit got even with a session',
      'high',
      { ...base, answers: [answer(403, 27)], credentials: true, sessionSent: true },
      'medium',
    ],
    [
      'keeps it when one of the readable answers has data',
      'medium',
      { ...base, answers: [answer(401, 27), answer(200, 5000)] },
      'medium',
    ],
    ['never goes below low', 'low', { ...base, answers: [answer(404, 0)] }, 'low'],
  ])('%s', (_, severity, input, expected) => {
    expect(weighAnswers(severity, input).severity).toBe(expected);
  });

  it('says nothing when no answer was read (a send-only proof)', () => {
    expect(weighAnswers('medium', base)).toEqual({ severity: 'medium', note: '' });
  });

  it('gives status, length and type as evidence, and says how the severity moved', () => {
    const { note } = weighAnswers('medium', { ...base, answers: [answer(401, 27)] });
    expect(note).toContain('The readable answer was 401, 27 bytes of application/json');
    expect(note).toContain('lowered from medium to low');
  });
});

describe('describeAnswer', () => {
  it('names an empty body, a cut one and the type', () => {
    expect(describeAnswer(answer(404, 0))).toBe('404, empty');
    expect(describeAnswer({ ...answer(200, 65536), truncated: true })).toBe(
      '200, more than 65536 bytes of application/json',
    );
    expect(describeAnswer(answer(200, 1, null))).toBe('200, 1 byte');
  });
});
