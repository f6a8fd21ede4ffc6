import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { transform } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Waiting } from './timeouts.js';

/** The module afresh, its lists made under this test's fake clock. */
async function timeouts(): Promise<typeof import('./timeouts.js')> {
  vi.resetModules();
  return import('./timeouts.js');
}

/** A waiting exchange that records when its time was up. */
function waiting(name: string, expired: string[]): Waiting {
  return {
    expiresAt: 0,
    previous: null,
    next: null,
    list: null,
    expire: () => expired.push(`${name}@${Math.round(performance.now())}`),
  };
}

describe('per-exchange timeouts', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('end each exchange when its own time is up, in the order they started', async () => {
    const { startTimeout } = await timeouts();
    const expired: string[] = [];
    const start = performance.now();
    startTimeout(waiting('a', expired), 1000, start);
    vi.advanceTimersByTime(300);
    startTimeout(waiting('b', expired), 1000, performance.now());
    vi.advanceTimersByTime(400);
    startTimeout(waiting('c', expired), 1000, performance.now());
    vi.advanceTimersByTime(5000);
    const at = (ms: number) => Math.round(start + ms);
    expect(expired).toEqual([`a@${at(1000)}`, `b@${at(1300)}`, `c@${at(1700)}`]);
  });

  it('never end an exchange that was stopped, nor one stopped before the oldest fires', async () => {
    const { startTimeout, stopTimeout } = await timeouts();
    const expired: string[] = [];
    const a = waiting('a', expired);
    const b = waiting('b', expired);
    const c = waiting('c', expired);
    startTimeout(a, 500, performance.now());
    startTimeout(b, 500, performance.now());
    vi.advanceTimersByTime(100);
    startTimeout(c, 500, performance.now());
    stopTimeout(a);
    stopTimeout(b);
    vi.advanceTimersByTime(450);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatch(/^c@/);
    stopTimeout(c);
  });

  it('keep one list per duration, each in its own order', async () => {
    const { startTimeout } = await timeouts();
    const expired: string[] = [];
    startTimeout(waiting('long', expired), 2000, performance.now());
    startTimeout(waiting('short', expired), 200, performance.now());
    vi.advanceTimersByTime(3000);
    expect(expired.map((e) => e.split('@')[0])).toEqual(['short', 'long']);
  });

  it('start again after a list emptied, from the new exchange', async () => {
    const { startTimeout, stopTimeout } = await timeouts();
    const expired: string[] = [];
    const a = waiting('a', expired);
    startTimeout(a, 1000, performance.now());
    vi.advanceTimersByTime(900);
    stopTimeout(a);
    const start = performance.now();
    startTimeout(waiting('b', expired), 1000, start);
    vi.advanceTimersByTime(950);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(expired).toEqual([`b@${Math.round(start + 1000)}`]);
  });
});

describe('the timeout lists', () => {
  it('stay few when every exchange has a timeout of its own', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const { startTimeout, stopTimeout, timeoutListCount } = await timeouts();
      const expired: string[] = [];
      for (let ms = 1000; ms < 1200; ms++) {
        const one = waiting(String(ms), expired);
        startTimeout(one, ms, performance.now());
        stopTimeout(one);
      }
      expect(timeoutListCount()).toBeLessThanOrEqual(17);
      // Those still in use stay, whatever their number.
      const open = Array.from({ length: 40 }, (_, i) => waiting(`open${i}`, expired));
      for (const [i, one] of open.entries()) startTimeout(one, 5000 + i, performance.now());
      expect(timeoutListCount()).toBeGreaterThanOrEqual(40);
      vi.advanceTimersByTime(6000);
      expect(expired).toHaveLength(40);
      expect(timeoutListCount()).toBeLessThanOrEqual(17);
    } finally {
      vi.useRealTimers();
    }
  });

  it('do not hold the process open once no exchange waits', async () => {
    const source = await readFile(path.join(import.meta.dirname, 'timeouts.ts'), 'utf8');
    const { code } = await transform(source, { loader: 'ts', format: 'esm' });
    const script = `${code}
      const waiting = { expiresAt: 0, previous: null, next: null, list: null, expire() {} };
      startTimeout(waiting, 60000, performance.now());
      setTimeout(() => stopTimeout(waiting), 50);
    `;
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--input-type=module', '-e', script],
        { timeout: 30_000 },
        (error) => (error === null ? resolve() : reject(error)),
      );
    });
    // Held open, it would run for the minute of the timeout.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
