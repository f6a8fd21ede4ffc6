/**
 * A local server that misbehaves the ways real targets do, one path each, for the checker's and
 * the auditor's reliability tests (and the hostile-target harness):
 *
 * - `/reset`: the socket is destroyed before any byte of the response (a FIN).
 * - `/rst`: the socket is reset (an RST) before any byte of the response.
 * - `/reset-mid-body`: a complete head with `Access-Control-Allow-Origin: *`, a few bytes of a
 *   longer body, then an RST.
 * - `/loop/<n>`: a redirect to `/loop/<n+1>`, for ever, each hop allowed by CORS.
 * - `/drip`: the status line, then one byte of the header section per `dripMs`, never complete.
 * - `/drip-body`: a complete head, then one byte of the body per `dripMs`, never complete.
 * - `/huge-headers`: a 300 KiB header (browsers stop at 256 KiB).
 * - `/endless-body`: a complete head, then body chunks for as long as the client reads.
 * - anything else: 204 with `Access-Control-Allow-Origin: *`.
 *
 * It counts the connections that were opened and closed, so a test can see that the client
 * gave up on a request (cancelled it) rather than that it merely stopped waiting.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface HostileServer {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** Requests seen, by path prefix (`drip`, `loop`, ...). */
  readonly seen: Map<string, number>;
  /** Connections the server saw close while they were being answered slowly (drip, endless). */
  readonly cancelled: () => number;
  /** Resolves once `n` slow answers have seen their connection close. */
  readonly cancelledAtLeast: (n: number) => Promise<void>;
  close(): Promise<void>;
}

export interface HostileOptions {
  /** Milliseconds between two dripped bytes. Default 1000 (a byte a second). */
  readonly dripMs?: number;
}

const CORS = { 'access-control-allow-origin': '*' };

export async function startHostileServer(options: HostileOptions = {}): Promise<HostileServer> {
  const dripMs = options.dripMs ?? 1000;
  const seen = new Map<string, number>();
  let cancelled = 0;
  const waiters: (() => void)[] = [];
  const sockets = new Set<Socket>();

  /** Writes `next()` every `dripMs` until the socket closes, which counts as a cancellation. */
  const drip = (socket: Socket, next: () => string) => {
    const timer = setInterval(() => socket.write(next()), dripMs);
    socket.once('close', () => {
      clearInterval(timer);
      cancelled++;
      for (const wake of waiters.splice(0)) wake();
    });
  };

  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    const kind = path.split('/')[1] ?? '';
    seen.set(kind, (seen.get(kind) ?? 0) + 1);
    switch (kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'rst':
        req.socket.resetAndDestroy();
        return;
      case 'reset-mid-body':
        res.writeHead(200, { ...CORS, 'content-length': '1000' });
        // Once the head and the first bytes are on the wire, reset.
        res.write('partial', () => req.socket.resetAndDestroy());
        return;
      case 'loop': {
        const n = Number(path.split('/')[2] ?? 0);
        res.writeHead(302, { ...CORS, location: `/loop/${n + 1}` }).end();
        return;
      }
      case 'drip': {
        // Raw bytes: node:http would send the whole head at once.
        req.socket.write('HTTP/1.1 200 OK\r\nX-Drip: ');
        drip(req.socket, () => 'a');
        return;
      }
      case 'drip-body':
        res.writeHead(200, { ...CORS, 'content-type': 'text/plain' });
        res.flushHeaders();
        drip(req.socket, () => 'b');
        return;
      case 'huge-headers':
        res.writeHead(200, { ...CORS, 'x-big': 'a'.repeat(300 * 1024) }).end();
        return;
      case 'endless-body': {
        res.writeHead(200, { ...CORS, 'content-type': 'text/plain' });
        const chunk = 'x'.repeat(16 * 1024);
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        req.socket.once('close', () => {
          cancelled++;
          for (const wake of waiters.splice(0)) wake();
        });
        pump();
        return;
      }
      default:
        res.writeHead(204, CORS).end();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    seen,
    cancelled: () => cancelled,
    async cancelledAtLeast(n) {
      while (cancelled < n) await new Promise<void>((wake) => waiters.push(wake));
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
