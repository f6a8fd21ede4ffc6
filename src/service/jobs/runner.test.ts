import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FIX_TARGETS, snippetsFor } from '../../generate/index.js';
import type { CheckInput } from '../routes/inputs.js';
import { abortable, createRunner } from './runner.js';

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/to-private') {
      // A loopback target that sends the checker on to a private address.
      res.writeHead(302, { location: 'http://10.255.255.1/', 'access-control-allow-origin': '*' });
      res.end();
      return;
    }
    if (req.url === '/closed') {
      res.end('no CORS here');
      return;
    }
    res.setHeader('access-control-allow-origin', '*');
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function input(url: string): CheckInput {
  return {
    url,
    origin: 'https://app.example.com',
    method: 'GET',
    headers: [],
    body: null,
    browser: 'chromium',
    preflightOnly: false,
    emulate: null,
    timeoutMs: 2_000,
    allowUnsafeMethods: false,
  };
}

const signal = () => AbortSignal.timeout(10_000);

describe('the real runner sends every request through the SSRF guard', () => {
  it('public mode: a loopback target is refused at connect time, as a network error', async () => {
    const runner = createRunner({ privateTargets: 'public' });
    try {
      const result = await runner.check(input(`${base}/`), signal());
      expect(result.verdict).toBe('error');
      expect(JSON.stringify(result)).toContain('--allow-private-targets');
    } finally {
      await runner.close();
    }
  });

  it('private mode: the loopback target is checked', async () => {
    const runner = createRunner({ privateTargets: 'private' });
    try {
      expect((await runner.check(input(`${base}/`), signal())).verdict).toBe('allowed');
    } finally {
      await runner.close();
    }
  });

  it('loopback mode: loopback is checked, a redirect to a private address is refused', async () => {
    const runner = createRunner({ privateTargets: 'loopback' });
    try {
      expect((await runner.check(input(`${base}/`), signal())).verdict).toBe('allowed');
      // An http: page, so the checker's mixed-content gate does not stop the hop before the guard.
      const redirected = await runner.check(
        { ...input(`${base}/to-private`), origin: 'http://app.example.com' },
        signal(),
      );
      expect(redirected.verdict).toBe('error');
      const hop = redirected.steps.at(-1);
      expect(hop?.request.url).toBe('http://10.255.255.1/');
      expect(hop?.outcome).toBe('network-error');
      expect(JSON.stringify(hop)).toContain('private-use');
    } finally {
      await runner.close();
    }
  });

  it('audits go through the guard too: a loopback target is refused in public mode', async () => {
    const runner = createRunner({ privateTargets: 'public' });
    const report = await runner.audit(
      { ...input(`${base}/`), credentials: false, origin: 'https://a.example' },
      signal(),
    );
    try {
      expect(report.findings).toEqual([]);
      expect(JSON.stringify(report.error)).toContain('--allow-private-targets');
    } finally {
      await runner.close();
    }
  });
});

describe("the real runner's results", () => {
  it("carry each fix's configuration, rendered by the generators for the default targets", async () => {
    const runner = createRunner({ privateTargets: 'private' });
    try {
      const result = await runner.check(input(`${base}/closed`), signal());
      if (result.verdict !== 'blocked') throw new Error(`expected blocked, got ${result.verdict}`);
      const { fix } = result.failures[0];
      expect(fix.policy).toMatchObject({ origin: 'https://app.example.com' });
      expect(fix.snippets?.map((s) => s.target)).toEqual([...DEFAULT_FIX_TARGETS]);
      const [express] = snippetsFor(
        fix.policy ?? { origin: '', credentials: false, methods: [], requestHeaders: [] },
        ['express'],
      );
      expect(fix.snippets?.[0]).toEqual(express);
    } finally {
      await runner.close();
    }
  });

  it('run a monitor stored before emulate (galxe: true) as it was created', async () => {
    const runner = createRunner({ privateTargets: 'private' });
    try {
      const { emulate: _, ...old } = input(`${base}/`);
      const result = await runner.check({ ...old, galxe: true } as unknown as CheckInput, signal());
      expect(result.emulation?.id).toBe('galxe');
    } finally {
      await runner.close();
    }
  });
});

describe('abortable', () => {
  it('rejects with the abort reason without waiting for the task', async () => {
    const controller = new AbortController();
    const never = new Promise<never>(() => {});
    const raced = abortable(never, controller.signal);
    controller.abort(new Error('stop'));
    await expect(raced).rejects.toThrow('stop');
  });
});
