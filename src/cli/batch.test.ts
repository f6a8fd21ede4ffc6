import { describe, expect, it } from 'vitest';
import { forEachConcurrently } from './batch.js';

describe('forEachConcurrently', () => {
  it('runs every item, never more than the limit at once, starting them in order', async () => {
    const started: number[] = [];
    let active = 0;
    let most = 0;
    await forEachConcurrently([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      active++;
      most = Math.max(most, active);
      await new Promise((resolve) => setImmediate(resolve));
      active--;
    });
    expect(started).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });

  it('shows each finished item on the progress bar, and erases it at the end', async () => {
    const drawn: string[] = [];
    const bar = {
      draw: (done: number, total: number) => drawn.push(`${done}/${total}`),
      done: () => drawn.push('done'),
    };
    await forEachConcurrently(['a', 'b'], 1, async () => {}, bar);
    expect(drawn).toEqual(['1/2', '2/2', 'done']);
  });

  it('rejects with the error an item throws', async () => {
    await expect(
      forEachConcurrently([1, 2], 4, async (n) => {
        if (n === 2) throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });
});
