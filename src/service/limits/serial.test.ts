import { describe, expect, it } from 'vitest';
import { createSerial } from './serial.js';

describe('createSerial', () => {
  it('runs tasks one at a time in order, and a failure does not stop the next', async () => {
    const serial = createSerial();
    const log: string[] = [];
    let release = () => {};
    const first = serial.run(async () => {
      log.push('first starts');
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      log.push('first ends');
      throw new Error('first failed');
    });
    const second = serial.run(async () => {
      log.push('second runs');
      return 2;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['first starts']);
    release();
    await expect(first).rejects.toThrow('first failed');
    expect(await second).toBe(2);
    expect(log).toEqual(['first starts', 'first ends', 'second runs']);
  });
});
