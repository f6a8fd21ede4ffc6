import { originOfUrl } from 'corsproof/spec';
import { describe, expect, it } from 'vitest';
import { isLocalNetworkRequest, isMixedContent } from './gates.js';

describe('mixed content', () => {
  const https = originOfUrl('https://app.example');
  const http = originOfUrl('http://app.example');
  it.each([
    ['http://api.example/', true],
    ['https://api.example/', false],
    ['http://127.0.0.1:8080/', false],
    ['http://localhost:3000/', false],
    ['http://api.localhost/', false],
    ['http://[::1]/', false],
    ['http://127.0.0.2/', false],
    ['http://localhost.:3000/', false],
    ['http://10.0.0.1/', true],
    ['http://[::ffff:127.0.0.1]/', true],
  ])('https page -> %s blocked: %s', (url, blocked) => {
    expect(isMixedContent(https, new URL(url))).toBe(blocked);
  });
  it('never blocks from an http page', () => {
    expect(isMixedContent(http, new URL('http://api.example/'))).toBe(false);
  });
});

describe('Local Network Access', () => {
  it.each([
    ['https://app.example', 'http://127.0.0.1/', true],
    ['https://app.example', 'http://192.168.1.2/', true],
    ['https://app.example', 'http://[fd00::1]/', true],
    ['https://app.example', 'https://api.example/', false],
    ['http://localhost:3000', 'http://127.0.0.1:8080/', false],
  ])('%s -> %s: %s', (page, url, expected) => {
    expect(isLocalNetworkRequest(originOfUrl(page), new URL(url))).toBe(expected);
  });
  it.each([
    ['10.0.0.5', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['FD00::1', true],
    ['127.0.0.1', true],
    ['203.0.113.7', false],
  ])('judges a name pinned to %s by that address: %s', (address, expected) => {
    const page = originOfUrl('https://app.example');
    expect(isLocalNetworkRequest(page, new URL('https://api.example/'), address)).toBe(expected);
  });
});
