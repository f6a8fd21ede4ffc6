import { describe, expect, it } from 'vitest';
import { isBadPort, isBlockedByBadPort } from './bad-ports.js';

describe('isBadPort', () => {
  it.each([
    [0, true],
    [1, true],
    [21, true],
    [22, true],
    [25, true],
    [53, true],
    [110, true],
    [143, true],
    [6000, true],
    [6665, true],
    [6669, true],
    [6679, true],
    [6697, true],
    [10080, true],
    [80, false],
    [443, false],
    [3000, false],
    [5173, false],
    [8000, false],
    [8080, false],
    [8443, false],
    [65535, false],
  ] as const)('says port %d is bad: %s', (port, bad) => {
    expect(isBadPort(port)).toBe(bad);
  });
});

describe('isBlockedByBadPort', () => {
  it.each([
    ['http://a.example:6000/', true],
    ['http://a.example:10080/', true],
    ['https://a.example:25/', true],
    ['http://a.example:1/', true],
    ['http://a.example:0/', true],
    ['http://a.example/', false],
    ['https://a.example/', false],
    ['https://a.example:8443/', false],
    ['http://a.example:3000/', false],
    // The standard blocks HTTP(S) URLs only.
    ['ws://a.example:25/', false],
    ['ftp://a.example:25/', false],
  ] as const)('blocks %s: %s', (url, blocked) => {
    expect(isBlockedByBadPort(new URL(url))).toBe(blocked);
  });
});
