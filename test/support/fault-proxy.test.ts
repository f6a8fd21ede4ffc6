import { connect, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';

/** An echo server behind the proxy. */
const echo = createServer((socket) => socket.pipe(socket));
let proxy: FaultProxy;

beforeAll(async () => {
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const address = echo.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  proxy = await startFaultProxy('127.0.0.1', address.port);
});
afterAll(async () => {
  await proxy.close();
  await new Promise((resolve) => echo.close(resolve));
});

/** Sends `text` through the proxy; resolves with the echo, or rejects with the socket's error. */
function roundTrip(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(proxy.port, '127.0.0.1');
    socket.setEncoding('utf8');
    let got = '';
    socket.on('data', (chunk) => {
      got += chunk;
      if (got.length >= text.length) {
        socket.end();
        resolve(got);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`closed after ${JSON.stringify(got)}`)));
    socket.write(text);
  });
}

describe('fault proxy', () => {
  it('forwards bytes both ways while up', async () => {
    expect(await roundTrip('ping')).toBe('ping');
  });

  it('resets open connections and refuses new ones while cut, then forwards again', async () => {
    const held = connect(proxy.port, '127.0.0.1');
    await new Promise((resolve) => held.once('connect', resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const closed = new Promise((resolve) => held.once('close', resolve));
    held.on('error', () => undefined);
    proxy.cut();
    await closed;
    await expect(roundTrip('x')).rejects.toThrow();
    proxy.restore();
    expect(await roundTrip('back')).toBe('back');
  });
});
