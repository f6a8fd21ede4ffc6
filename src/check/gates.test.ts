import { describe, expect, it } from 'vitest';
import { originOfUrl } from '../spec/origin.js';
import {
  isBadPort,
  isLocalNetworkRequest,
  isMixedContent,
  isPotentiallyTrustworthy,
} from './gates.js';

describe('port blocking (fetch.bs "bad port")', () => {
  it.each([
    ['http://a.example:6000/', true],
    ['http://a.example:10080/', true],
    ['https://a.example:25/', true],
    ['http://a.example:1/', true],
    ['http://a.example/', false],
    ['https://a.example:8443/', false],
    ['http://a.example:3000/', false],
  ])('%s blocked: %s', (url, blocked) => {
    expect(isBadPort(new URL(url))).toBe(blocked);
  });
});

describe('mixed content and trustworthiness', () => {
  const https = originOfUrl('https://app.example');
  const http = originOfUrl('http://app.example');
  it.each([
    ['http://api.example/', true],
    ['https://api.example/', false],
    ['http://127.0.0.1:8080/', false],
    ['http://localhost:3000/', false],
    ['http://api.localhost/', false],
    ['http://[::1]/', false],
  ])('https page -> %s blocked: %s', (url, blocked) => {
    expect(isMixedContent(https, new URL(url))).toBe(blocked);
  });
  it('never blocks from an http page', () => {
    expect(isMixedContent(http, new URL('http://api.example/'))).toBe(false);
  });
  it('treats https and loopback as potentially trustworthy', () => {
    expect(isPotentiallyTrustworthy(new URL('http://127.0.0.2/'))).toBe(true);
    expect(isPotentiallyTrustworthy(new URL('http://10.0.0.1/'))).toBe(false);
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
    ['203.0.113.7', false],
  ])('judges a name pinned to %s by that address: %s', (address, expected) => {
    const page = originOfUrl('https://app.example');
    expect(isLocalNetworkRequest(page, new URL('https://api.example/'), address)).toBe(expected);
  });
});
