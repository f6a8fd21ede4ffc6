/**
 * The intended server: an in-memory undici dispatcher that answers every request as corsproof's own
 * middleware would, with the policy file's policy for the request path. `check()` run through it
 * says what a browser should get; run against the live server, what it does get. Nothing here
 * re-derives CORS rules: the policy decides, the fetch adapter's code carries the decision out.
 */
import { Buffer } from 'node:buffer';
import type { PolicyFile } from 'corsproof';
import { isPreflight } from 'corsproof';
import { corsRequestFromFetch, preflightResponse, withDecisionHeaders } from 'corsproof/fetch';
import { Dispatcher } from 'undici';

/** What the application behind the middleware answers: 200, a body, and the headers it exposes. */
function appResponse(exposed: readonly string[]): Response {
  const headers = new Headers({ 'content-type': 'text/plain; charset=utf-8' });
  for (const name of exposed) headers.set(name, 'corsproof-conform');
  return new Response('conform', { status: 200, headers });
}

/** Answers one request as the middleware would. */
export async function intendedResponse(
  file: PolicyFile,
  request: Request,
  exposed: readonly string[],
): Promise<Response> {
  const url = new URL(request.url);
  const policy = file.policyFor(`${url.pathname}${url.search}`);
  if (policy === null) return appResponse(exposed);
  const pending = policy.decide(corsRequestFromFetch(request));
  const decision = pending instanceof Promise ? await pending : pending;
  if (isPreflight(decision)) return preflightResponse(decision);
  return withDecisionHeaders(appResponse(exposed), decision);
}

function headerPairs(raw: Dispatcher.DispatchOptions['headers']): [string, string][] {
  if (raw === undefined || raw === null) return [];
  if (Array.isArray(raw)) {
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([String(raw[i]), String(raw[i + 1])]);
    return pairs;
  }
  return Object.entries(raw as Record<string, string | string[] | undefined>).flatMap(
    ([name, value]): [string, string][] =>
      value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((v) => [name, v]),
  );
}

class Controller implements Dispatcher.DispatchController {
  aborted = false;
  paused = false;
  reason: Error | null = null;
  constructor(readonly rawHeaders: string[]) {}
  abort(reason: Error): void {
    this.aborted = true;
    this.reason = reason;
  }
  pause(): void {}
  resume(): void {}
}

/**
 * A dispatcher for `check()` that never touches the network: each request is answered by
 * {@link intendedResponse}. `exposed` are the response headers the application sends, so exposure
 * can be read off the answers.
 *
 * @example
 * const intent = new IntentDispatcher(parsePolicyFile(json), ['x-total-count']);
 * await check({ url: 'http://127.0.0.1:8080/api/x', origin, dispatcher: intent });
 */
export class IntentDispatcher extends Dispatcher {
  constructor(
    private readonly file: PolicyFile,
    private readonly exposed: readonly string[] = [],
  ) {
    super();
  }

  override dispatch(
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
  ): boolean {
    this.answer(options, handler).catch((error: unknown) => {
      handler.onResponseError?.(new Controller([]), error as Error);
    });
    return true;
  }

  private async answer(
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
  ): Promise<void> {
    const url = new URL(options.path, String(options.origin));
    const request = new Request(url, {
      method: options.method,
      headers: headerPairs(options.headers),
    });
    const response = await intendedResponse(this.file, request, this.exposed);
    const raw: string[] = [];
    const head: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      raw.push(name, value);
      head[name] = value;
    });
    const controller = new Controller(raw);
    handler.onRequestStart?.(controller, {});
    if (controller.aborted) return;
    handler.onResponseStart?.(controller, response.status, head, response.statusText);
    const body = Buffer.from(await response.arrayBuffer());
    if (controller.aborted) return;
    if (body.length > 0) handler.onResponseData?.(controller, body);
    if (!controller.aborted) handler.onResponseEnd?.(controller, {});
  }

  override async close(): Promise<void> {}
  override async destroy(): Promise<void> {}
}
