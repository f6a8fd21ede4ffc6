import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check } from '../../check/index.js';
import { createDemoHandler, demoCurlExamples } from './api.js';

let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.on('request', createDemoHandler(base));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the demo API', () => {
  it.each(['GET', 'POST'])("passes Galxe's CORS Check for %s at /galxe", async (method) => {
    const result = await check({ url: `${base}/galxe`, emulate: 'galxe', method });
    expect(result.verdict).toBe('allowed');
    expect(result.emulation).toMatchObject({ passed: true, trap: false, notes: [] });
  });

  it("fails Galxe's CORS Check where the policy does not name Galxe's origin", async () => {
    const result = await check({ url: `${base}/private`, emulate: 'galxe', method: 'POST' });
    expect(result.verdict).toBe('blocked');
  });

  it('shows the Galxe check among its start-up examples', () => {
    expect(demoCurlExamples(base).join('\n')).toContain(`corsproof check ${base}/galxe --galxe`);
  });
});
