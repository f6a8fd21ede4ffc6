/**
 * What script can read of a response: https://fetch.spec.whatwg.org/#concept-filtered-response-cors
 * (the CORS-safelisted response-header names plus those Access-Control-Expose-Headers lists, `*`
 * meaning all of them only without credentials), and all but Set-Cookie for a same-origin one.
 */
import {
  ACEH,
  asciiLowercase,
  corsExposedHeaderNames,
  getHeader,
  type HeaderEntry,
  type HeaderList,
  isCorsReadable,
} from 'corsproof/spec';
import type { ReadableResponse } from './result.js';

export interface ReadableInput {
  readonly headers: HeaderList;
  readonly url: URL;
  readonly status: number;
  /** Redirects followed to get here. */
  readonly hop: number;
  /** Whether the response is a CORS one (cross-origin somewhere along the way). */
  readonly cors: boolean;
  readonly credentialsInclude: boolean;
}

export function readableResponse(input: ReadableInput): ReadableResponse {
  const split = splitOf(input);
  return {
    url: input.url.href,
    status: input.status,
    redirected: input.hop > 0,
    readableHeaders: split.readable.slice(),
    hiddenHeaders: split.hidden.slice(),
  };
}

/** A response's header names, each once, lower-cased, readable or hidden. */
interface SplitNames {
  /** The header lines' names as received, and what they were judged with. */
  readonly names: readonly string[];
  readonly exposed: ReadonlySet<string> | '*';
  readonly readable: readonly string[];
  readonly hidden: readonly string[];
}

/**
 * The last split with the lines it was made from: lines of a head seen before are shared and
 * frozen (received-lines.ts), so the same array judged the same way splits the same way.
 */
let lastJudged: {
  readonly headers: HeaderList;
  readonly cors: boolean;
  readonly credentialsInclude: boolean;
  readonly split: SplitNames;
} | null = null;

function splitOf(input: ReadableInput): SplitNames {
  const { headers, cors, credentialsInclude } = input;
  const last = lastJudged;
  if (
    last !== null &&
    last.headers === headers &&
    last.cors === cors &&
    last.credentialsInclude === credentialsInclude
  ) {
    return last.split;
  }
  const exposed = cors ? exposedNames(getHeader(headers, ACEH), credentialsInclude) : '*';
  const split = splitNames(headers, exposed);
  lastJudged = Object.isFrozen(headers) ? { headers, cors, credentialsInclude, split } : null;
  return split;
}

/**
 * The last response's split: a server sends the same names in the same order response after
 * response, and the transport gives repeated names as the same strings, so comparing them with
 * the last response's is cheaper than judging them again. Only read (each result gets copies).
 */
let lastSplit: SplitNames | null = null;

function splitNames(headers: HeaderList, exposed: ReadonlySet<string> | '*'): SplitNames {
  const last = lastSplit;
  if (last !== null && last.exposed === exposed && sameNames(last.names, headers)) return last;
  const split = judgeNames(headers, exposed);
  lastSplit = split;
  return split;
}

function sameNames(names: readonly string[], headers: HeaderList): boolean {
  if (names.length !== headers.length) return false;
  for (let i = 0; i < names.length; i++) {
    if (names[i] !== (headers[i] as HeaderEntry)[0]) return false;
  }
  return true;
}

function judgeNames(headers: HeaderList, exposed: ReadonlySet<string> | '*'): SplitNames {
  // Each name once, lower-cased, in the order first received. A response has a dozen names or
  // so: looking in the two lists costs less than a Set, which a long list still gets.
  const seen = headers.length > LONG_LIST ? new Set<string>() : null;
  const names: string[] = [];
  const readable: string[] = [];
  const hidden: string[] = [];
  for (const [raw] of headers) {
    names.push(raw);
    const name = asciiLowercase(raw);
    if (seen === null) {
      if (readable.includes(name) || hidden.includes(name)) continue;
    } else {
      if (seen.has(name)) continue;
      seen.add(name);
    }
    // A same-origin response hides only Set-Cookie; `'*'` says just that.
    if (isCorsReadable(name, exposed)) readable.push(name);
    else hidden.push(name);
  }
  return { names, exposed, readable, hidden };
}

/** Header lines past which the names seen are kept in a Set. */
const LONG_LIST = 32;

/**
 * The names Access-Control-Expose-Headers exposes, by its value: a server sends the same value
 * every time, so it is parsed once. Only read, never handed out, so one Set serves every response.
 */
const EXPOSED = new Map<string, ReadonlySet<string> | '*'>();
const EXPOSED_CAPACITY = 64;

function exposedNames(
  value: string | null,
  credentialsInclude: boolean,
): ReadonlySet<string> | '*' {
  const key = `${credentialsInclude ? 'include' : 'other'}${value === null ? '' : `:${value}`}`;
  let names = EXPOSED.get(key);
  if (names === undefined) {
    names = corsExposedHeaderNames(value, credentialsInclude);
    if (EXPOSED.size >= EXPOSED_CAPACITY) EXPOSED.clear();
    EXPOSED.set(key, names);
  }
  return names;
}
