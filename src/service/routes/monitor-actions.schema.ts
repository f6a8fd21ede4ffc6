/**
 * Schemas and routes of what is done to a monitor after it exists: the filtered list, editing,
 * pausing, resuming and running it now. (`monitors.schema.ts` holds its input and record.)
 */
import { type Static, Type } from '@sinclair/typebox';
import type { RouteSpec } from '../http/route-spec.js';
import { CHECK_INPUT } from './checks.schema.js';
import {
  MAX_MONITOR_INTERVAL_SECONDS,
  MIN_MONITOR_INTERVAL_SECONDS,
  MONITOR_PAGE,
  MONITOR_RECORD,
  MONITOR_ROUTES,
} from './monitors.schema.js';
import {
  BAD_REQUEST,
  CURSOR_FIELD,
  Enum,
  ERROR_BODY,
  ID_PARAMS,
  LIMIT_FIELD,
  NOT_FOUND,
  OUTCOMES,
  RATE_LIMITED,
} from './shared.schema.js';

/** `GET /api/monitors`: list filters. */
export const MONITOR_LIST_QUERY = Type.Object(
  {
    status: Type.Optional(
      Enum([...OUTCOMES, 'pending', 'paused'], {
        description:
          'Only monitors whose last run had this outcome (pending: not run yet), or the paused ones.',
      }),
    ),
    host: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 253,
        description: 'Only monitors of URLs on this host (any scheme and port).',
      }),
    ),
    cursor: Type.Optional(CURSOR_FIELD),
    limit: Type.Optional(LIMIT_FIELD),
  },
  { additionalProperties: false },
);

export type MonitorListQuery = Readonly<Static<typeof MONITOR_LIST_QUERY>>;

/** `PATCH /api/monitors/:id`: what to change; what is left out stays. */
export const MONITOR_CHANGE = Type.Object(
  {
    check: Type.Optional(CHECK_INPUT),
    intervalSeconds: Type.Optional(
      Type.Integer({
        minimum: MIN_MONITOR_INTERVAL_SECONDS,
        maximum: MAX_MONITOR_INTERVAL_SECONDS,
        description: `Seconds between two checks, from ${MIN_MONITOR_INTERVAL_SECONDS} to ${MAX_MONITOR_INTERVAL_SECONDS}.`,
      }),
    ),
  },
  { title: 'MonitorChange', additionalProperties: false, minProperties: 1 },
);

export type MonitorChangeBody = Readonly<Static<typeof MONITOR_CHANGE>>;

const ONE_MONITOR = { description: 'The monitor as it now is.', schema: MONITOR_RECORD };

export const MONITOR_ACTION_ROUTES = {
  listMonitors: {
    ...MONITOR_ROUTES.listMonitors,
    querystring: MONITOR_LIST_QUERY,
    responses: { 200: { description: 'One page.', schema: MONITOR_PAGE }, 400: BAD_REQUEST },
  },
  updateMonitor: {
    method: 'PATCH',
    url: '/api/monitors/:id',
    operationId: 'updateMonitor',
    summary: 'Change what a monitor checks or how often; its next run is due at once',
    tag: 'monitors',
    params: ID_PARAMS,
    body: MONITOR_CHANGE,
    responses: { 200: ONE_MONITOR, 400: BAD_REQUEST, 404: NOT_FOUND },
  },
  pauseMonitor: {
    method: 'POST',
    url: '/api/monitors/:id/pause',
    operationId: 'pauseMonitor',
    summary: 'Stop running a monitor until it is resumed',
    tag: 'monitors',
    params: ID_PARAMS,
    responses: { 200: ONE_MONITOR, 404: NOT_FOUND },
  },
  resumeMonitor: {
    method: 'POST',
    url: '/api/monitors/:id/resume',
    operationId: 'resumeMonitor',
    summary: 'Run a paused monitor again; its next run is due at once',
    tag: 'monitors',
    params: ID_PARAMS,
    responses: { 200: ONE_MONITOR, 404: NOT_FOUND },
  },
  runMonitor: {
    method: 'POST',
    url: '/api/monitors/:id/run',
    operationId: 'runMonitor',
    summary: 'Run a monitor now; its schedule goes on from this run',
    tag: 'monitors',
    params: ID_PARAMS,
    responses: {
      202: { description: 'Due now; the scheduler runs it next.', schema: MONITOR_RECORD },
      404: NOT_FOUND,
      409: { description: 'The monitor is paused: resume it instead.', schema: ERROR_BODY },
      429: RATE_LIMITED,
    },
  },
} as const satisfies Record<string, RouteSpec>;
