/** Schemas and routes of checks: `POST /api/checks`, the history and one stored check. */
import { type Static, Type } from '@sinclair/typebox';
import { EMULATION_IDS, EMULATION_INFOS } from '../../check/index.js';
import { DEFAULT_FIX_TARGETS } from '../../generate/index.js';
import type { JsonSchema, RouteSpec } from '../http/route-spec.js';
import {
  ALLOW_UNSAFE_FIELD,
  BAD_REQUEST,
  BROWSER_FIELD,
  BUSY,
  CURSOR_FIELD,
  Enum,
  HEADERS_FIELD,
  ID_PARAMS,
  LIMIT_FIELD,
  METHOD_FIELD,
  NOT_FOUND,
  NOTICES,
  ORIGIN_FIELD,
  RATE_LIMITED,
  TIMEOUT_FIELD,
  TIMESTAMP,
  URL_FIELD,
} from './shared.schema.js';

const CREDENTIALS_FIELD = Enum([true, false, 'omit', 'same-origin', 'include'], {
  description:
    'Whether the page sends credentials: true (fetch credentials "include"), false ("omit"), or a fetch() credentials mode. Default "same-origin", as in fetch().',
});

/** The fields of a check, which a monitor's input shares. */
export const CHECK_PROPERTIES = {
  url: URL_FIELD,
  origin: Type.Optional(ORIGIN_FIELD),
  method: Type.Optional(METHOD_FIELD),
  headers: Type.Optional(HEADERS_FIELD),
  credentials: Type.Optional(CREDENTIALS_FIELD),
  body: Type.Optional(
    Type.Unsafe<string | null>({
      type: ['string', 'null'],
      maxLength: 65_536,
      description: 'A text body, sent as UTF-8.',
    }),
  ),
  browser: Type.Optional(BROWSER_FIELD),
  preflightOnly: Type.Optional(
    Type.Boolean({ description: 'Send only the preflight, never the actual request.' }),
  ),
  emulate: Type.Optional(
    Enum(EMULATION_IDS, {
      description: `Reproduce a platform's server-side CORS check instead of a browser's, from the platform's own origin (origin may then be left out): ${EMULATION_INFOS.map((e) => `"${e.id}" (${e.name}, from ${e.origin})`).join('; ')}. The result's "emulation" holds its report.`,
    }),
  ),
  galxe: Type.Optional(
    Type.Boolean({
      description: 'Deprecated: true is the same as "emulate": "galxe", which replaces it.',
      deprecated: true,
    }),
  ),
  timeoutMs: Type.Optional(TIMEOUT_FIELD),
  allowUnsafeMethods: Type.Optional(ALLOW_UNSAFE_FIELD),
};

/** An emulated checker brings its own origin; every other check needs one. */
export const ORIGIN_UNLESS_EMULATED = {
  if: {
    anyOf: [
      { required: ['emulate'] },
      { required: ['galxe'], properties: { galxe: { const: true } } },
    ],
  },
  else: { required: ['origin'] },
} as const;

/** `POST /api/checks`: the checker's inputs. */
export const CHECK_INPUT = Type.Object(CHECK_PROPERTIES, {
  title: 'CheckInput',
  additionalProperties: false,
  ...ORIGIN_UNLESS_EMULATED,
});

/** The body of `POST /api/checks`. */
export type CheckBody = Readonly<Static<typeof CHECK_INPUT>>;

/** Verdicts a stored check can have (the checker's). */
export const VERDICTS = ['allowed', 'blocked', 'error', 'inconclusive'] as const;
export type StoredVerdict = (typeof VERDICTS)[number];

/** `GET /api/checks`: history filters. */
export const CHECK_LIST_QUERY = Type.Object(
  {
    url: Type.Optional(Type.String({ maxLength: 2048, description: 'Only checks of this URL.' })),
    origin: Type.Optional(
      Type.String({ maxLength: 512, description: 'Only checks from this origin.' }),
    ),
    verdict: Type.Optional(Enum(VERDICTS, { description: 'Only checks with this verdict.' })),
    cursor: Type.Optional(CURSOR_FIELD),
    limit: Type.Optional(LIMIT_FIELD),
  },
  { additionalProperties: false },
);

export type CheckListQuery = Readonly<Static<typeof CHECK_LIST_QUERY>>;

export const CHECK_RECORD = {
  title: 'CheckRecord',
  type: 'object',
  required: ['id', 'createdAt', 'input', 'result', 'notices'],
  properties: {
    id: { type: 'string' },
    createdAt: TIMESTAMP,
    input: { type: 'object', description: 'The input as run, credentials redacted.' },
    result: {
      type: 'object',
      description: `The checker's CheckResult: verdict, allowed, steps, failures with fixes, curl commands, warnings, and the emulation report. Each fix carries the policy the request needs and, as snippets, that policy as the configuration of ${DEFAULT_FIX_TARGETS.join(', ')}, written by the generators of corsproof generate (each with its warnings, or its error where the server cannot express it).`,
    },
    notices: NOTICES,
  },
} as const satisfies JsonSchema;

export const CHECK_PAGE = {
  title: 'CheckPage',
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'createdAt', 'url', 'origin', 'method', 'verdict'],
        properties: {
          id: { type: 'string' },
          createdAt: TIMESTAMP,
          url: { type: 'string' },
          origin: { type: 'string' },
          method: { type: 'string' },
          verdict: { enum: VERDICTS },
        },
      },
    },
    nextCursor: { type: ['string', 'null'] },
  },
} as const satisfies JsonSchema;

export const CHECK_ROUTES = {
  createCheck: {
    method: 'POST',
    url: '/api/checks',
    operationId: 'createCheck',
    summary: 'Check a cross-origin request as a browser would',
    tag: 'checks',
    body: CHECK_INPUT,
    responses: {
      201: { description: 'The check ran; its result is stored.', schema: CHECK_RECORD },
      400: BAD_REQUEST,
      429: RATE_LIMITED,
      503: BUSY,
    },
  },
  listChecks: {
    method: 'GET',
    url: '/api/checks',
    operationId: 'listChecks',
    summary: 'The history of checks, newest first',
    tag: 'checks',
    querystring: CHECK_LIST_QUERY,
    responses: { 200: { description: 'One page.', schema: CHECK_PAGE }, 400: BAD_REQUEST },
  },
  getCheck: {
    method: 'GET',
    url: '/api/checks/:id',
    operationId: 'getCheck',
    summary: 'One stored check',
    tag: 'checks',
    params: ID_PARAMS,
    responses: { 200: { description: 'The check.', schema: CHECK_RECORD }, 404: NOT_FOUND },
  },
} as const satisfies Record<string, RouteSpec>;
