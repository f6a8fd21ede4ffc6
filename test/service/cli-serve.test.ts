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
