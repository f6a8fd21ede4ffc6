import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXIT_USAGE } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { generateTokenText } from '../../src/service/auth/api-token.js';
import { createIdFactory } from '../../src/service/store/ids.js';
import { dropSchema, postgresOrSkip, uniqueSchema } from '../support/postgres.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

const dir = mkdtempSync(path.join(tmpdir(), 'corsproof-cli-'));
let stderr: string;

beforeEach(() => {
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('corsproof serve usage errors', () => {
  it('a bad --port is a usage error that names the option', async () => {
    expect(await main(['serve', '--port', 'http'])).toBe(EXIT_USAGE);
    expect(stderr).toContain('--port "http" is not a port number');
  });

  it('a bad --demo-port names --demo-port', async () => {
    expect(await main(['serve', '--demo', '--demo-port', '99999'])).toBe(EXIT_USAGE);
    expect(stderr).toContain('--demo-port "99999"');
  });

  it('--demo refuses to listen beyond loopback', async () => {
    expect(await main(['serve', '--demo', '--host', '0.0.0.0'])).toBe(EXIT_USAGE);
    expect(stderr).toContain('only listens on loopback');
  });

  it('a --cors-origin the adapter refuses fails with its reason, leaving nothing open', async () => {
    const db = path.join(dir, 'c.db');
    await expect(
      main(['serve', '--port', '0', '--db', db, '--cors-origin', 'not-an-origin']),
    ).rejects.toThrow(/origin/);
  });
});

describe('corsproof serve settings', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('refuses --auth off beyond loopback', async () => {
    expect(await main(['serve', '--auth', 'off', '--host', '0.0.0.0'])).toBe(EXIT_USAGE);
    expect(stderr).toContain('--auth off');
    expect(stderr).toContain('only allowed on a loopback address');
  });

  it('reads its settings from CORSPROOF_ variables', async () => {
    vi.stubEnv('CORSPROOF_HOST', '0.0.0.0');
    vi.stubEnv('CORSPROOF_AUTH', 'off');
    expect(await main(['serve'])).toBe(EXIT_USAGE);
    expect(stderr).toContain('reaches 0.0.0.0');
  });

  it('refuses a CORSPROOF_ADMIN_TOKEN that is not a token, without echoing it', async () => {
    vi.stubEnv('CORSPROOF_ADMIN_TOKEN', 'hunter2-not-a-token');
    expect(await main(['serve', '--port', '0', '--db', path.join(dir, 'admin.db')])).toBe(
      EXIT_USAGE,
    );
    expect(stderr).toContain(
      'CORSPROOF_ADMIN_TOKEN) is not a corsproof token; make one with `corsproof token generate`',
    );
    expect(stderr).not.toContain('hunter2');
  });

  it('lets a flag win over its variable', async () => {
    vi.stubEnv('CORSPROOF_PORT', '8080');
    expect(await main(['serve', '--port', 'http'])).toBe(EXIT_USAGE);
    expect(stderr).toContain('--port "http"');
  });
});

describe('corsproof token', () => {
  let stdout: string;
  beforeEach(() => {
    stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
  });

  it('creates a token shown once, lists it without its text, and revokes it', async () => {
    const db = path.join(dir, 'tokens.db');
    expect(await main(['token', 'create', '--name', 'ci', '--scope', 'run', '--db', db])).toBe(0);
    const token = stdout.trim();
    expect(token).toMatch(/^cpt_/);
    stdout = '';
    expect(await main(['token', 'list', '--db', db])).toBe(0);
    expect(stdout).toMatch(/^tok_\S+\trun\tactive\t\S+\tci\n$/);
    expect(stdout).not.toContain(token);
    const id = stdout.split('\t')[0] ?? '';
    expect(await main(['token', 'revoke', id, '--db', db])).toBe(0);
    stdout = '';
    await main(['token', 'list', '--db', db]);
    expect(stdout).toContain('\trevoked\t');
  });

  it('works on a fleet’s PostgreSQL database as on an SQLite file', async () => {
    const url = await postgresOrSkip();
    if (url === undefined) return;
    const schema = uniqueSchema('token_cli');
    const db = ['--db', url, '--db-schema', schema];
    try {
      expect(await main(['token', 'create', '--name', 'ci', '--scope', 'read', ...db])).toBe(0);
      const token = stdout.trim();
      stdout = '';
      expect(await main(['token', 'list', ...db])).toBe(0);
      expect(stdout).toMatch(/^tok_\S+\tread\tactive\t\S+\tci\n$/);
      expect(stdout).not.toContain(token);
      const id = stdout.split('\t')[0] ?? '';
      expect(await main(['token', 'revoke', id, ...db])).toBe(0);
      stdout = '';
      await main(['token', 'list', ...db]);
      expect(stdout).toContain('\trevoked\t');
    } finally {
      await dropSchema(schema, url);
    }
  });

  it('generates a token text for --admin-token without a database', async () => {
    expect(await main(['token', 'generate'])).toBe(0);
    expect(stdout).toMatch(/^cpt_[0-9A-Z]{26}_[A-Za-z0-9_-]{43}\n$/);
  });

  it('refuses an unknown scope, listing the ones there are', async () => {
    const db = path.join(dir, 'tokens2.db');
    expect(await main(['token', 'create', '--name', 'x', '--scope', 'root', '--db', db])).toBe(
      EXIT_USAGE,
    );
    expect(stderr).toContain('read, run, monitors, metrics, admin');
  });
});

describe('corsproof serve given its admin token in CORSPROOF_ADMIN_TOKEN', () => {
  it('accepts that token as admin and makes no bootstrap token, start after start', async () => {
    const token = generateTokenText(createIdFactory(Date.now));
    const db = path.join(dir, 'given.db');
    for (let start = 1; start <= 2; start++) {
      const child = spawn(
        process.execPath,
        ['bin/corsproof.js', 'serve', '--port', '0', '--db', db],
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, CORSPROOF_ADMIN_TOKEN: token },
        },
      );
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      let out = '';
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
      });
      const base = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no banner in 15 s: ${out}${err}`)),
          15_000,
        );
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
          if (url !== undefined && out.includes('Press Ctrl+C')) {
            clearTimeout(timer);
            resolve(url);
          }
        });
        void exited.then((code) => reject(new Error(`serve exited with ${code}: ${err}`)));
      });
      try {
        expect(out, `start ${start}`).toMatch(/admin token {3}tok_\w+, from --admin-token/);
        expect(out, `start ${start}`).not.toContain('No token existed');
        expect(out, `start ${start}`).not.toContain(token);
        const session = await fetch(`${base}/api/session`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(session.status).toBe(200);
        expect(await session.json()).toMatchObject({
          scope: 'admin',
          name: 'admin (--admin-token)',
        });
        const tokens = await fetch(`${base}/api/tokens`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect((await tokens.json()).items).toHaveLength(1);
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
    }
  }, 60_000);
});
