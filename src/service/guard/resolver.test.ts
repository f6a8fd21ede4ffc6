import { describe, expect, it, vi } from 'vitest';
import { type LookupFunction, resolveHostname } from './resolver.js';

/** A lookup that answers `addresses` for every name, and never touches the network. */
function answering(...addresses: string[]) {
  return vi.fn<LookupFunction>(async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
  );
}

describe('resolveHostname', () => {
  it('asks once for every A and AAAA record, verbatim', async () => {
    const lookup = answering('93.184.216.34', '2606:4700::6810:85e5');
    const result = await resolveHostname('api.example.com', { lookup });
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(lookup).toHaveBeenCalledWith('api.example.com', { all: true, verbatim: true });
    expect(result).toEqual({
      ok: true,
      hostname: 'api.example.com',
      addresses: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:4700::6810:85e5', family: 6 },
      ],
    });
  });

  it('refuses the whole name when any one address is refused', async () => {
    const result = await resolveHostname('mixed.example.com', {
      lookup: answering('93.184.216.34', '10.0.0.5', '2606:4700::6810:85e5'),
    });
    expect(result).toMatchObject({
      ok: false,
      code: 'NON_PUBLIC_ADDRESS',
      address: '10.0.0.5',
      hostname: 'mixed.example.com',
    });
    if (!result.ok) {
      expect(result.reason).toBe(
        'corsproof: "mixed.example.com" resolves to an address this service may not reach: "10.0.0.5" is in 10.0.0.0/8, private-use (RFC 1918); targets on private networks are refused by this service; run `corsproof serve --allow-private-targets` for local use',
      );
    }
  });

  it('refuses local names without a lookup', async () => {
    const lookup = answering('93.184.216.34');
    for (const name of ['localhost', 'foo.localhost', 'metadata.google.internal', 'metadata']) {
      expect(await resolveHostname(name, { lookup })).toMatchObject({
        ok: false,
        code: 'NON_PUBLIC_HOSTNAME',
      });
    }
    expect(lookup).not.toHaveBeenCalled();
  });

  it('classifies IP literals, bracketed or not, without a lookup', async () => {
    const lookup = answering('93.184.216.34');
    expect(await resolveHostname('[::1]', { lookup })).toMatchObject({
      ok: false,
      address: '::1',
    });
    expect(await resolveHostname('169.254.169.254', { lookup })).toMatchObject({
      ok: false,
      address: '169.254.169.254',
    });
    expect(await resolveHostname('1.1.1.1', { lookup })).toMatchObject({
      ok: true,
      addresses: [{ address: '1.1.1.1', family: 4 }],
    });
    expect(lookup).not.toHaveBeenCalled();
  });

  it('refuses an empty answer', async () => {
    expect(await resolveHostname('void.example.com', { lookup: answering() })).toMatchObject({
      ok: false,
      code: 'NO_ADDRESSES',
    });
  });

  it('refuses an answer that is not an IP address, even with private targets allowed', async () => {
    expect(
      await resolveHostname('odd.example.com', {
        lookup: answering('0177.0.0.1'),
        allowPrivateTargets: true,
      }),
    ).toMatchObject({ ok: false, code: 'NON_PUBLIC_ADDRESS', address: '0177.0.0.1' });
  });

  it('removes duplicate answers', async () => {
    const result = await resolveHostname('dup.example.com', {
      lookup: answering('93.184.216.34', '93.184.216.34'),
    });
    expect(result.ok && result.addresses).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });

  it('lets private answers and local names through with allowPrivateTargets', async () => {
    const lookup = answering('127.0.0.1', '::1');
    expect(await resolveHostname('localhost', { lookup, allowPrivateTargets: true })).toEqual({
      ok: true,
      hostname: 'localhost',
      addresses: [
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ],
    });
  });

  it('rejects with the lookup error: a DNS failure is a network error, not a refusal', async () => {
    const failure = Object.assign(new Error('getaddrinfo ENOTFOUND nx.example.com'), {
      code: 'ENOTFOUND',
    });
    await expect(
      resolveHostname('nx.example.com', { lookup: () => Promise.reject(failure) }),
    ).rejects.toBe(failure);
  });
});
