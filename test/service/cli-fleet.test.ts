/** Usage errors of the fleet's flags (`serve --queue/--no-worker`, `worker`), and an unreachable `--db postgres://`. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXIT_USAGE } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';

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
  vi.unstubAllEnvs();
});

describe('corsproof serve in a fleet', () => {
  it('refuses --no-worker without a queue: nothing would run the batches', async () => {
    expect(await main(['serve', '--no-worker'])).toBe(EXIT_USAGE);
    expect(stderr).toContain('--no-worker leaves batches to `corsproof worker` processes');
    expect(stderr).toContain('give --queue redis://');
  });

  it('refuses a --queue that is not a Redis URL, naming the flag', async () => {
    expect(await main(['serve', '--queue', 'http://127.0.0.1:6379'])).toBe(EXIT_USAGE);
    expect(stderr).toContain('--queue: the queue must be a redis:// or rediss:// URL');
  });

  it('reads the queue from CORSPROOF_QUEUE', async () => {
    vi.stubEnv('CORSPROOF_QUEUE', 'amqp://127.0.0.1');
    expect(await main(['serve'])).toBe(EXIT_USAGE);
    expect(stderr).toContain('not "amqp://127.0.0.1"');
  });

  it('names a PostgreSQL --db it cannot reach, without its password', async () => {
    // Nothing listens on port 1 of loopback.
    const failure = await main([
      'serve',
      '--port',
      '0',
      '--db',
      'postgres://app:s3cret@127.0.0.1:1/test',
    ]).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toMatch(/the database at 127\.0\.0\.1:1.* cannot be reached/);
    expect(failure?.message).not.toContain('s3cret');
  });
});

describe('corsproof worker', () => {
  it('needs the fleet queue', async () => {
    expect(await main(['worker'])).toBe(EXIT_USAGE);
    expect(stderr).toContain('give --queue redis://host:port (or CORSPROOF_QUEUE)');
  });

  it.each([
    [['--concurrency', '0'], '--concurrency must be a whole number from 1 to 256, not "0"'],
    [['--per-host-rate', 'fast'], '--per-host-rate must be a number of jobs per time'],
    [['--job-lease', '0.5'], '--job-lease must be a whole number of seconds'],
    [['--queue-prefix', 'a b'], '--queue-prefix must be 1 to 64 letters'],
  ])('refuses %j, saying what it takes', async (flags, message) => {
    expect(await main(['worker', '--queue', 'redis://127.0.0.1:6379', ...flags])).toBe(EXIT_USAGE);
    expect(stderr).toContain(message);
  });
});
