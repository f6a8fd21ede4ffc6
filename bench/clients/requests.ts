/**
 * What the checker bench's clients send: the preflighted check's request, and the requests undici
 * replays as the limit. Kept apart from load-client.ts, which runs as soon as it is imported.
 */

/** One request of an `undici` operation: its method and header lines, in order. */
export interface ReplayRequest {
  readonly method: string;
  readonly headers: readonly (readonly [string, string])[];
}

/** What the preflighted request asks for: a PUT with a JSON body type and a custom header. */
export const PREFLIGHTED = {
  method: 'PUT',
  headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest' },
  requestHeaders: 'content-type,x-requested-with',
} as const;

/**
 * The fewest header lines the two checks' requests could go out with: Origin, and the preflight's
 * two Access-Control-Request-* headers.
 */
export function minimalRequests(origin: string, preflighted: boolean): ReplayRequest[] {
  if (!preflighted) return [{ method: 'GET', headers: [['origin', origin]] }];
  return [
    {
      method: 'OPTIONS',
      headers: [
        ['origin', origin],
        ['access-control-request-method', PREFLIGHTED.method],
        ['access-control-request-headers', PREFLIGHTED.requestHeaders],
      ],
    },
    {
      method: PREFLIGHTED.method,
      headers: [['origin', origin], ...Object.entries(PREFLIGHTED.headers)],
    },
  ];
}
