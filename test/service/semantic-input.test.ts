/**
 * Inputs the schemas accept but that make no sense (an audit of the URL's own origin, a body on a
 * GET, mixed content...) are user mistakes: every route answers them 400 naming the field, never
 * 5xx. The runner behind the service is the real one, so anything a route lets through reaches the
 * real checker and auditor, which refuse it by throwing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner, type Runner } from '../../src/service/jobs/runner.js';
import { createFakeRunner, createTestService, type TestService } from './helpers.js';

let service: TestService;
let real: Runner;

beforeAll(async () => {
  real = createRunner({ privateTargets: 'public' });
  const runner = createFakeRunner();
  runner.onCheck = (input, signal) => real.check(input, signal);
  runner.onAudit = (input, signal) => real.audit(input, signal);
  // A bucket large enough for every case: this suite is about validation, not rate limits.
  service = await createTestService({
    runner,
    limits: { rate: { capacity: 100_000, refillPerSecond: 1 } },
  });
});

afterAll(async () => {
  await service.close();
  await real.close();
});

const URL_ = 'https://api.example.com/items';
const ORIGIN = 'https://app.example.com';

interface Case {
  readonly name: string;
  readonly body: Record<string, unknown>;
  /** The field the 400 must name (relative to the target). */
  readonly field: string;
}

/** Wrong for a check, a batch check and a monitor alike. */
const CHECK_CASES: readonly Case[] = [
  { name: 'a body on a GET', body: { method: 'GET', body: 'x' }, field: 'body' },
  { name: 'a body on a HEAD', body: { method: 'HEAD', body: 'x' }, field: 'body' },
  { name: 'a forbidden method', body: { method: 'TRACE' }, field: 'method' },
  { name: 'a forbidden method in lower case', body: { method: 'connect' }, field: 'method' },
  { name: 'an origin with a path', body: { origin: 'https://app.example.com/x' }, field: 'origin' },
  { name: 'an origin that is no URL', body: { origin: 'app example' }, field: 'origin' },
  { name: 'a URL with credentials', body: { url: 'https://u:p@api.example.com/' }, field: 'url' },
  { name: 'a URL that is not http(s)', body: { url: 'ftp://api.example.com/' }, field: 'url' },
  { name: 'a relative URL', body: { url: '/items' }, field: 'url' },
  { name: 'a private target', body: { url: 'http://127.0.0.1:8080/' }, field: 'url' },
  {
    name: 'a header value with a line break',
    body: { headers: [['X-Trace', 'a\r\nInjected: 1']] },
    field: 'headers[0][1]',
  },
  {
    name: 'a header name with a space',
    body: { headers: [['X Trace', 'a']] },
    field: 'headers[0][0]',
  },
];

/** Wrong for an audit and a batch audit. */
const AUDIT_CASES: readonly Case[] = [
  { name: 'the opaque origin "null"', body: { origin: 'null' }, field: 'origin' },
  { name: "the URL's own origin", body: { origin: 'https://api.example.com' }, field: 'origin' },
  {
    name: 'an https origin calling an http URL',
    body: { url: 'http://api.example.com/items' },
    field: 'url',
  },
  { name: 'a port browsers block', body: { url: 'https://api.example.com:6000/' }, field: 'url' },
  { name: 'OPTIONS as the method', body: { method: 'OPTIONS' }, field: 'method' },
  { name: 'a forbidden method', body: { method: 'TRACK' }, field: 'method' },
  { name: 'a URL with credentials', body: { url: 'https://u:p@api.example.com/' }, field: 'url' },
  { name: 'an origin with a path', body: { origin: 'https://app.example.com/x' }, field: 'origin' },
  {
    name: 'a header value with a line break',
    body: { headers: { 'X-Trace': 'a\nb' } },
    field: 'headers["X-Trace"]',
  },
];

async function expectFieldError(url: string, payload: object, field: string): Promise<void> {
  const res = await service.app.inject({ method: 'POST', url, payload });
  expect(res.statusCode, res.body).toBe(400);
  const body = res.json() as { error: string; message: string; field: string };
  expect(body.error).toBe('bad-request');
  expect(body.field).toBe(field);
  expect(body.message).toMatch(/^corsproof: /);
}

describe('schema-valid but wrong inputs answer 400 naming the field', () => {
  describe.each(CHECK_CASES)('a check with $name', ({ body, field }) => {
    const target = { url: URL_, origin: ORIGIN, ...body };
    it('POST /api/checks', () => expectFieldError('/api/checks', target, field));
    it('POST /api/monitors', () =>
      expectFieldError('/api/monitors', { ...target, intervalSeconds: 60 }, field));
    it('POST /api/batches (kind check), with the target index', () =>
      expectFieldError(
        '/api/batches',
        { kind: 'check', targets: [{ url: URL_, origin: ORIGIN }, target] },
        `targets[1].${field}`.replace('.[', '['),
      ));
  });

  describe.each(AUDIT_CASES)('an audit with $name', ({ body, field }) => {
    const target = { url: URL_, origin: ORIGIN, ...body };
    it('POST /api/audits', () => expectFieldError('/api/audits', target, field));
    it('POST /api/batches (kind audit), with the target index', () =>
      expectFieldError(
        '/api/batches',
        { kind: 'audit', targets: [{ url: URL_, origin: ORIGIN }, target] },
        `targets[1].${field}`,
      ));
  });

  it('nothing was stored or queued for the refused inputs', async () => {
    expect(await service.store.batches.unfinished()).toHaveLength(0);
    expect(service.runner.checks).toHaveLength(0);
    expect(service.runner.audits).toHaveLength(0);
  });
});
