import { describe, expect, it } from 'vitest';
import { DEFAULT_FIX_TARGETS, TARGET_NAMES } from './fix-targets.js';
import { TARGETS } from './registry.js';

describe('fix targets', () => {
  it('names every generator of the registry, in its order', () => {
    expect([...TARGET_NAMES]).toEqual([...TARGETS.keys()]);
  });

  it('defaults to targets that have a generator', () => {
    for (const name of DEFAULT_FIX_TARGETS) expect(TARGETS.has(name)).toBe(true);
  });
});
