/**
 * Galxe's CORS Check on the URL (./probe.ts), and the request itself as Galxe's backend sends it.
 *
 * The classic trap: the API answers the GET or POST itself with CORS headers (Galxe's "Test" button
 * works) but not the OPTIONS preflight, so the CORS Check fails and the credential cannot be saved.
 */
import { ACAM, ACAO, asciiLowercase, corsCheck } from 'corsproof/spec';
import { CheckInputError } from '../../errors.js';
import type { ResolvedOptions } from '../../options.js';
import type {
  CheckResult,
  EmulationProbe,
  EmulationReport,
  Failure,
  ReadableResponse,
  SentRequest,
  Step,
  Warning,
} from '../../result.js';
import { curlCommands, networkErrorStep, responseStep } from '../../steps.js';
import { type ExchangeResult, exchange } from '../../transport.js';
import type { Emulation, EmulationRunInput } from '../emulation.js';
import { describeEmulationFailure } from '../failure.js';
import { GALXE_INFO, GALXE_ORIGIN, type GalxeFailureCode } from './info.js';
import { galxePreflightRequest, judgeGalxePreflight } from './probe.js';

/** Galxe's CORS Check on the URL, and the request itself as Galxe's backend sends it. */
export async function runGalxe(
  emulation: Emulation,
  input: EmulationRunInput,
): Promise<CheckResult> {
  const { resolved, plan } = input;
  assertGalxeMethod(plan.method);
  const steps: Step[] = [];
  const base = resultBase(input, steps);
  const preflight = galxePreflightRequest(resolved.url, plan.method);
  const sent = await send(input, preflight);
  if (!sent.ok) {
    steps.push(networkErrorStep('preflight', 0, preflight, sent.error));
    return {
      ...base,
      curl: curlCommands(steps),
      emulation: null,
      verdict: 'error',
      allowed: false,
      error: { ...sent.error, step: 0 },
    };
  }
  const code = judgeGalxePreflight(sent.response.status, sent.response.headers, plan.method);
  const cors = code === null ? 'passed' : 'failed';
  steps.push(responseStep('preflight', 0, preflight, sent.response, cors, [ACAO, ACAM], null));
  const failure =
    code === null
      ? null
      : describeEmulationFailure(
          emulation,
          {
            code,
            url: resolved.url.href,
            method: plan.method,
            status: sent.response.status,
            headers: sent.response.headers,
          },
          0,
        );
  const actualPasses = resolved.preflightOnly ? null : await sendRequest(input, steps);
  const result = {
    ...base,
    curl: curlCommands(steps),
    emulation: galxeReport(input, code, failure, actualPasses, steps),
  };
  if (failure === null) {
    return {
      ...result,
      verdict: 'allowed',
      allowed: true,
      response: readableOf(resolved, steps[1]),
    };
  }
  return { ...result, verdict: 'blocked', allowed: false, failures: [failure] };
}

/** The fields every Galxe result starts with; `steps` fills in as the run goes. */
function resultBase(input: EmulationRunInput, steps: Step[]) {
  return {
    browser: input.profile.name,
    scope: input.resolved.preflightOnly ? ('preflight-only' as const) : ('full' as const),
    plan: input.plan,
    steps,
    warnings: galxeWarnings(input.resolved.url),
    preflightCache: null,
  };
}

function assertGalxeMethod(method: string): void {
  if (method !== 'GET' && method !== 'POST') {
    throw new CheckInputError(
      'INVALID_OPTION',
      'method',
      `Galxe credential APIs are called with GET or POST, not ${JSON.stringify(method)}`,
    );
  }
}

function galxeWarnings(url: URL): Warning[] {
  const warnings: Warning[] = [
    {
      code: 'EMULATION',
      message:
        "Galxe mode: the verdict is Galxe's CORS Check (always a preflight from https://dashboard.galxe.com), not a browser's. A browser sends a plain GET, or a POST with a form or text Content-Type, without any preflight.",
    },
  ];
  if (url.port !== '') {
    warnings.push({
      code: 'EMULATION',
      message: `The URL uses port ${url.port}; Galxe reportedly only calls APIs on the default ports 80 and 443 (from our notes, not from Galxe's documentation).`,
    });
  }
  return warnings;
}

function send(input: EmulationRunInput, request: SentRequest): Promise<ExchangeResult> {
  const { resolved } = input;
  const { timeoutMs, signal, deadline } = resolved;
  return exchange(input.dispatcher, request, timeoutMs, undefined, signal, deadline);
}

/**
 * Sends the request itself, as Galxe's backend sends it (no preflight), to spot the trap: whether
 * its response passes the CORS check for Galxe's origin, null when it got none.
 */
async function sendRequest(input: EmulationRunInput, steps: Step[]): Promise<boolean | null> {
  const { resolved, plan } = input;
  const request: SentRequest = {
    method: plan.method,
    url: resolved.url.href,
    headers: [...plan.headers, ['Origin', GALXE_ORIGIN]],
    body: plan.body,
  };
  const actual = await send(input, request);
  if (!actual.ok) {
    steps.push(networkErrorStep('request', 0, request, actual.error));
    return null;
  }
  steps.push(responseStep('request', 0, request, actual.response, 'not-applicable', [ACAO], null));
  const origin = { origin: GALXE_ORIGIN, credentialsInclude: false };
  return corsCheck(actual.response.headers, origin) === null;
}

/** Whether Galxe's check passed, what it sent, and whether the API fell into its known trap. */
function galxeReport(
  input: EmulationRunInput,
  code: GalxeFailureCode | null,
  failure: Failure | null,
  actualPasses: boolean | null,
  steps: readonly Step[],
): EmulationReport {
  const { plan, resolved } = input;
  const passed = code === null;
  const trap = !passed && actualPasses === true;
  const notes: string[] = [];
  if (trap) {
    notes.push(
      `The trap: your API answers ${plan.method} with Access-Control-Allow-Origin (so Galxe's "Test" works), but not the OPTIONS preflight that Galxe's CORS Check sends, so the test succeeded but the save failed. Make the server answer OPTIONS ${resolved.url.pathname} with 204 and the CORS headers.`,
    );
  }
  if (passed && actualPasses === false) {
    notes.push(
      `The preflight passes, but the ${plan.method} response itself carries no matching Access-Control-Allow-Origin; Galxe's check does not look at it, browsers would.`,
    );
  }
  const probes: EmulationProbe[] = [
    { step: 0, description: `Galxe's preflight for ${plan.method}`, passed },
  ];
  if (steps.length > 1) {
    probes.push({
      step: 1,
      description: `The ${plan.method} itself, as Galxe's "Test" sends it (not judged by the CORS Check)`,
      passed: actualPasses,
    });
  }
  return {
    id: GALXE_INFO.id,
    platform: GALXE_INFO.platform,
    name: GALXE_INFO.name,
    origin: GALXE_ORIGIN,
    documentation: GALXE_INFO.documentation,
    passed,
    outcome: passed ? GALXE_INFO.outcome.passed : GALXE_INFO.outcome.failed,
    probes,
    failures: failure === null ? [] : [failure],
    trap,
    notes,
  };
}

/** The response to the request itself, all of it readable (Galxe's backend is no browser). */
function readableOf(resolved: ResolvedOptions, step: Step | undefined): ReadableResponse | null {
  if (step?.outcome !== 'response') return null;
  return {
    url: resolved.url.href,
    status: step.response.status,
    redirected: false,
    readableHeaders: [...new Set(step.response.headers.map(([n]) => asciiLowercase(n)))],
    hiddenHeaders: [],
  };
}
