/** Schemas and routes of monitors: a check re-run on a schedule, its history, its deletion. */
import { type Static, Type } from '@sinclair/typebox';
import type { JsonSchema, RouteSpec } from '../http/route-spec.js';
import { CHECK_PROPERTIES, ORIGIN_UNLESS_EMULATED } from './checks.schema.js';
import {
  BAD_REQUEST,
  ERROR_BODY,
  ID_PARAMS,
  NOT_FOUND,
  NOTICES,
  OUTCOMES,
  PAGE_QUERY,
  RATE_LIMITED,
  TIMESTAMP,
} from './shared.schema.js';

/** The shortest interval a monitor may have: a CORS policy does not change by the second. */
export const MIN_MONITOR_INTERVAL_SECONDS = 30;
/** The longest: a week. */
export const MAX_MONITOR_INTERVAL_SECONDS = 7 * 24 * 3600;

/** `POST /api/monitors`: a check re-run on a schedule. */
export const MONITOR_INPUT = Type.Object(
  {
    ...CHECK_PROPERTIES,
    intervalSeconds: Type.Integer({
      minimum: MIN_MONITOR_INTERVAL_SECONDS,
      maximum: MAX_MONITOR_INTERVAL_SECONDS,
      description: `Seconds between two checks, from ${MIN_MONITOR_INTERVAL_SECONDS} to ${MAX_MONITOR_INTERVAL_SECONDS}.`,
    }),
  },
  { title: 'MonitorInput', additionalProperties: false, ...ORIGIN_UNLESS_EMULATED },
);

/** The body of `POST /api/monitors`. */
export type MonitorBody = Readonly<Static<typeof MONITOR_INPUT>>;

export const MONITOR_RECORD = {
  title: 'Monitor',
  type: 'object',
  required: [
    'id',
    'createdAt',
    'input',
    'intervalSeconds',
    'nextRunAt',
    'lastRunAt',
    'status',
    'paused',
  ],
  properties: {
    id: { type: 'string' },
    createdAt: TIMESTAMP,
    input: { type: 'object' },
    notices: NOTICES,
    intervalSeconds: { type: 'integer' },
    nextRunAt: TIMESTAMP,
    lastRunAt: { type: ['string', 'null'], format: 'date-time' },
    status: { enum: [...OUTCOMES, 'pending'], description: 'The outcome of the last run.' },
    paused: {
      type: 'boolean',
      description: 'Whether the monitor is paused: it runs again only once resumed.',
    },
  },
} as const satisfies JsonSchema;

export const MONITOR_DETAIL = {
  title: 'MonitorDetail',
  type: 'object',
  required: ['monitor', 'transitions', 'runs'],
  properties: {
    monitor: MONITOR_RECORD,
    transitions: {
      type: 'array',
      description:
        'Each change of outcome, newest first (the first run is recorded with from: null), with the CORS-relevant response headers that changed.',
      items: {
        type: 'object',
        required: ['at', 'from', 'to', 'changes'],
        properties: {
          at: TIMESTAMP,
          from: { enum: [...OUTCOMES, null] },
          to: { enum: OUTCOMES },
          changes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['exchange', 'name', 'before', 'after'],
              properties: {
                exchange: { enum: ['preflight', 'response'] },
                name: { type: 'string', description: 'Lower-case header name, or ":status".' },
                before: { type: ['string', 'null'] },
                after: { type: ['string', 'null'] },
              },
            },
          },
          result: { type: 'object' },
        },
      },
    },
    runs: {
      type: 'array',
      description: 'The latest runs, newest first.',
      items: {
        type: 'object',
        required: ['at', 'outcome', 'verdict'],
        properties: { at: TIMESTAMP, outcome: { enum: OUTCOMES }, verdict: { type: 'string' } },
      },
    },
  },
} as const satisfies JsonSchema;

export const MONITOR_PAGE = {
  title: 'MonitorPage',
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: {
    items: { type: 'array', items: MONITOR_RECORD },
    nextCursor: { type: ['string', 'null'] },
  },
} as const satisfies JsonSchema;

export const MONITOR_ROUTES = {
  createMonitor: {
    method: 'POST',
    url: '/api/monitors',
    operationId: 'createMonitor',
    summary: 'Re-check a request on a schedule and record every change of outcome',
    tag: 'monitors',
    body: MONITOR_INPUT,
    responses: {
      201: { description: 'The monitor; its first run is due now.', schema: MONITOR_RECORD },
      400: BAD_REQUEST,
      409: { description: 'The server holds as many monitors as it may.', schema: ERROR_BODY },
      429: RATE_LIMITED,
    },
  },
  listMonitors: {
    method: 'GET',
    url: '/api/monitors',
    operationId: 'listMonitors',
    summary: 'Monitors, newest first',
    tag: 'monitors',
    querystring: PAGE_QUERY,
    responses: { 200: { description: 'One page.', schema: MONITOR_PAGE }, 400: BAD_REQUEST },
  },
  getMonitor: {
    method: 'GET',
    url: '/api/monitors/:id',
    operationId: 'getMonitor',
    summary: 'A monitor with its transitions and latest runs',
    tag: 'monitors',
    params: ID_PARAMS,
    responses: { 200: { description: 'The monitor.', schema: MONITOR_DETAIL }, 404: NOT_FOUND },
  },
  deleteMonitor: {
    method: 'DELETE',
    url: '/api/monitors/:id',
    operationId: 'deleteMonitor',
    summary: 'Stop and delete a monitor with its history',
    tag: 'monitors',
    params: ID_PARAMS,
    responses: { 204: { description: 'Deleted.' }, 404: NOT_FOUND },
  },
} as const satisfies Record<string, RouteSpec>;
