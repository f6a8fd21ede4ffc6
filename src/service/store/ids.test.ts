import { describe, expect, it } from 'vitest';
import { createIdFactory } from './ids.js';

describe('createIdFactory', () => {
  it('makes prefixed 26-character Crockford ids', () => {
    const id = createIdFactory(() => 1_700_000_000_000)('chk');
    expect(id).toMatch(/^chk_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('ids sort by time, and strictly increase within a millisecond or when the clock steps back', () => {
    let now = 1_000;
    const newId = createIdFactory(() => now);
    const ids = [newId('bat'), newId('bat'), newId('bat')];
    now = 900;
    ids.push(newId('bat'));
    now = 2_000;
    ids.push(newId('bat'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
