import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXIT_USAGE } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';

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

  it('refuses an unknown scope, listing the ones there are', async () => {
    const db = path.join(dir, 'tokens2.db');
    expect(await main(['token', 'create', '--name', 'x', '--scope', 'root', '--db', db])).toBe(
      EXIT_USAGE,
    );
    expect(stderr).toContain('read, run, monitors, metrics, admin');
  });
});
