/**
 * The bench's HTTP client of the service. The service limits each client address (a token
 * bucket: a batch of N checks costs N tokens, paid off at one per second), so every request leaves
 * from a loopback source address of its own kind: each batch from its own address, the latency
 * probe and the status polls from a ring of 250 addresses that never run dry.
 */
import http from 'node:http';

export interface Answer {
  readonly status: number;
  readonly body: string;
}

export function send(
  base: string,
  method: 'GET' | 'POST',
  path: string,
  body: unknown,
  localAddress: string,
  timeoutMs = 120_000,
): Promise<Answer> {
  const url = new URL(path, base);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        localAddress,
        agent: false,
        headers:
          payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': payload.length },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Source addresses: 127.0.2.x for batches (one each), 127.0.3.1–250 in turn for the rest. */
export class Sources {
  private next = 0;
  batch(i: number): string {
    return `127.0.2.${(i % 250) + 1}`;
  }
  other(): string {
    this.next = (this.next % 250) + 1;
    return `127.0.3.${this.next}`;
  }
}
