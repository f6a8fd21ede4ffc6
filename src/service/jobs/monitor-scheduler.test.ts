import { describe, expect, it } from 'vitest';
import { nextRunAfter } from './monitor-scheduler.js';

describe('nextRunAfter', () => {
  it('is one interval after the scheduled time, so runs do not drift', () => {
    expect(nextRunAfter(1_000, 30, 1_500)).toBe(31_000);
  });

  it('is one interval from now after downtime: missed runs are not made up in a burst', () => {
    expect(nextRunAfter(1_000, 30, 100_000)).toBe(130_000);
  });
});
