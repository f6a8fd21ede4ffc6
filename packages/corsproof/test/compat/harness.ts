/**
 * Runs a middleware with the `cors` 2.8 signature against test doubles or a real Express app, and
 * records everything observable, so two implementations can be compared call for call.
 */
import { once } from 'node:events';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

/** The loosest shape both `cors` and `corsproof/compat` fit, for feeding them the same inputs. */
export type Middleware = (req: unknown, res: unknown, next: (...args: unknown[]) => void) => void;
export type MiddlewareFactory = (...args: unknown[]) => Middleware;

/** One request of a scenario. */
export interface RequestSpec {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Every call the middleware makes on the response, in order. */
export type ResponseCall =
  | readonly ['setHeader', string, unknown]
  | readonly ['getHeader', string]
  | readonly ['statusCode', unknown]
  | readonly ['end'];

/** A response double that offers exactly what many hand-written mocks do. */
export class MockResponse {
  readonly calls: ResponseCall[] = [];
  readonly #headers = new Map<string, readonly [string, unknown]>();
  #status: number | undefined = 200;

  constructor(preset: Readonly<Record<string, string | readonly string[]>> = {}) {
    for (const [name, value] of Object.entries(preset))
      this.#headers.set(name.toLowerCase(), [name, value]);
  }

  get statusCode(): number | undefined {
    return this.#status;
  }

  set statusCode(value: number | undefined) {
    this.calls.push(['statusCode', value]);
    this.#status = value;
  }

  setHeader(name: string, value: unknown): void {
    this.calls.push(['setHeader', name, value]);
    this.#headers.set(name.toLowerCase(), [name, value]);
  }

  getHeader(name: string): unknown {
    this.calls.push(['getHeader', name]);
    return this.#headers.get(name.toLowerCase())?.[1];
  }

  end(): void {
    this.calls.push(['end']);
  }

  /** Final headers as [name as last set, value], in first-set order. */
  headers(): (readonly [string, unknown])[] {
    return [...this.#headers.values()];
  }
}

/** An error or a value, in a form two independent runs can be compared by. */
export function describeValue(value: unknown): unknown {
  return value instanceof Error ? `${value.name}: ${value.message}` : value;
}

/** What one request through the mock harness produced. */
export interface MockOutcome {
  readonly status: number | undefined;
  readonly headers: (readonly [string, unknown])[];
  readonly calls: ResponseCall[];
  readonly ended: boolean;
  /** The argument list of every `next` call; `[]` for `next()`, `[null]` for `next(null)`. */
  readonly next: unknown[][];
  /** The name of the error the middleware threw synchronously, if any. */
  readonly thrown: string | undefined;
}

const SETTLE_LIMIT_MS = 500;

/**
 * Runs one request through `middleware` with a plain request object and a {@link MockResponse}.
 * Waits until `next` or `end` is called (callbacks may answer asynchronously), then one more turn
 * of the event loop so that stray second calls are recorded too.
 */
export async function runMock(
  middleware: Middleware,
  request: RequestSpec,
  preset?: Readonly<Record<string, string | readonly string[]>>,
): Promise<MockOutcome> {
  const req: { method?: string; headers: IncomingHttpHeaders } = {
    headers: { ...request.headers },
  };
  if (request.method !== undefined) req.method = request.method;
  const res = new MockResponse(preset);
  const nextCalls: unknown[][] = [];
  let settle = () => {};
  const settled = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const originalEnd = res.end.bind(res);
  res.end = () => {
    originalEnd();
    settle();
  };
  let thrown: string | undefined;
  try {
    middleware(req, res, (...args: unknown[]) => {
      nextCalls.push(args.map(describeValue));
      settle();
    });
  } catch (error) {
    thrown = error instanceof Error ? error.name : String(error);
    settle();
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    settled,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SETTLE_LIMIT_MS);
    }),
  ]);
  clearTimeout(timer);
  await new Promise((resolve) => setImmediate(resolve));
  return {
    status: res.statusCode,
    headers: res.headers(),
    calls: res.calls,
    ended: res.calls.some((call) => call[0] === 'end'),
    next: nextCalls,
    thrown,
  };
}

/** What one request through a real Express app produced, as seen by an HTTP client. */
export interface HttpOutcome {
  readonly status: number | undefined;
  /** Raw header lines in wire order, `Date` left out. */
  readonly headers: (readonly [string, string])[];
  readonly body: string;
}

/**
 * Serves `middleware` from an Express 5 app (with a route after it that reports being reached and
 * an error handler that reports the error's name) and sends it each request in turn.
 */
export async function runExpress(
  middleware: Middleware,
  requests: readonly RequestSpec[],
  preset?: Readonly<Record<string, string | readonly string[]>>,
): Promise<HttpOutcome[]> {
  const app = express();
  if (preset !== undefined) {
    app.use((_req, res, next) => {
      for (const [name, value] of Object.entries(preset)) res.setHeader(name, value);
      next();
    });
  }
  app.use(middleware as express.RequestHandler);
  app.use((_req, res) => {
    res.status(200).end('reached the route');
  });
  app.use(
    (err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).end(`error handler: ${err instanceof Error ? err.name : String(err)}`);
    },
  );
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    const outcomes: HttpOutcome[] = [];
    for (const request of requests) outcomes.push(await send(port, request));
    return outcomes;
  } finally {
    server.close();
  }
}

function send(port: number, request: RequestSpec): Promise<HttpOutcome> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: request.method ?? 'GET',
        path: '/resource',
        headers: request.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const headers: (readonly [string, string])[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i]!;
            if (name.toLowerCase() !== 'date') headers.push([name, res.rawHeaders[i + 1]!]);
          }
          resolve({
            status: res.statusCode,
            headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
