/** `GET /api/batches/:id/export`: a batch as a CSV or JSON file. */
import { afterEach, describe, expect, it } from 'vitest';
import { csvField } from '../../src/service/routes/batch-export.js';
import { createTestService, fakeCheckResult, type TestService } from './helpers.js';

let service: TestService | undefined;

afterEach(async () => {
  await service?.close();
  service = undefined;
});

async function finishedBatch(): Promise<{ s: TestService; id: string }> {
  const s = await createTestService();
  s.runner.onCheck = (input) =>
    fakeCheckResult(input, { verdict: input.url.includes('bad') ? 'blocked' : 'allowed' });
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/batches',
    payload: {
      kind: 'check',
      targets: [
        { url: 'https://good.example.com/a?x=1,2', origin: 'https://app.example.com' },
        { url: 'https://bad.example.com/', origin: 'https://app.example.com' },
      ],
    },
  });
  expect(res.statusCode, res.body).toBe(202);
  await s.batches.idle();
  return { s, id: res.json().id as string };
}

describe('GET /api/batches/:id/export', () => {
  it('answers a CSV attachment, one row per target, quoted where needed', async () => {
    const { s, id } = await finishedBatch();
    service = s;
    const res = await s.app.inject({ method: 'GET', url: `/api/batches/${id}/export?format=csv` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${id}.csv"`);
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'position,url,origin,method,state,outcome,verdict,findings,detail,finishedAt',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      /^0,"https:\/\/good\.example\.com\/a\?x=1,2",https:\/\/app\.example\.com,GET,done,passed,allowed,,/,
    );
    expect(lines[2]).toMatch(/^1,https:\/\/bad\.example\.com\/,.*,done,failed,blocked,/);
  });

  it('answers JSON with the batch and every target, as the API shows them', async () => {
    const { s, id } = await finishedBatch();
    service = s;
    const res = await s.app.inject({ method: 'GET', url: `/api/batches/${id}/export` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${id}.json"`);
    const body = res.json();
    expect(body).toMatchObject({ id, kind: 'check', status: 'done' });
    expect(body.targets.map((t: { outcome: string }) => t.outcome)).toEqual(['passed', 'failed']);
  });

  it('answers 404 for an unknown batch and 400 naming format for another format', async () => {
    const { s, id } = await finishedBatch();
    service = s;
    const missing = await s.app.inject({ method: 'GET', url: '/api/batches/bat_x/export' });
    expect(missing.statusCode).toBe(404);
    const bad = await s.app.inject({ method: 'GET', url: `/api/batches/${id}/export?format=xml` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('format');
  });
});

describe('csvField', () => {
  it('quotes commas, quotes and line breaks, and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
  });
});
