/**
 * The steps of a check, built in one place so that every step has the same fields in the same
 * order (one object shape, which keeps the result cheap to build and to read).
 */
import { curlCommand, withCurlFlags, withCurlResolve } from './curl.js';
import type { PinnedHosts } from './resolve.js';
import type {
  CheckResult,
  CorsStatus,
  NetworkError,
  ReceivedResponse,
  SentRequest,
  Step,
} from './result.js';

/** The curl commands of requests sent again and again (a check's first hop): written once. */
const CURL = new WeakMap<SentRequest, string>();

/** Writes the curl command of a request that will be sent again, once. */
export function keepCurl(request: SentRequest): void {
  CURL.set(request, curlCommand(request));
}

function curlOf(request: SentRequest): string {
  return CURL.get(request) ?? curlCommand(request);
}

/** A request that got a response. */
export function responseStep(
  kind: Step['kind'],
  hop: number,
  request: SentRequest,
  response: ReceivedResponse,
  cors: CorsStatus,
  decisiveHeaders: readonly string[],
  redirectTo: string | null,
): Step {
  return {
    kind,
    hop,
    request,
    curl: curlOf(request),
    outcome: 'response',
    response,
    cors,
    decisiveHeaders,
    redirectTo,
  };
}

/** A request that failed at the network level. */
export function networkErrorStep(
  kind: Step['kind'],
  hop: number,
  request: SentRequest,
  error: NetworkError,
): Step {
  return { kind, hop, request, curl: curlOf(request), outcome: 'network-error', error };
}

/** One curl command per step, in order. */
export function curlCommands(steps: readonly Step[]): string[] {
  const out = new Array<string>(steps.length);
  for (let i = 0; i < steps.length; i++) out[i] = (steps[i] as Step).curl;
  return out;
}

/**
 * The result with `--resolve` in the curl command of every step sent to a pinned host, so that
 * the commands reach the server the check reached. Only for pools made with `resolve`.
 */
export function withPinnedCurl(
  result: CheckResult,
  pins: PinnedHosts | undefined,
  flags: readonly string[] = [],
): CheckResult {
  const steps = result.steps.map((step): Step => {
    const url = new URL(step.request.url);
    const address = pins?.addressForUrl(url) ?? null;
    const pinned = address === null ? step.curl : withCurlResolve(step.curl, url, address);
    return { ...step, curl: withCurlFlags(pinned, flags) };
  });
  return { ...result, steps, curl: steps.map((step) => step.curl) };
}
