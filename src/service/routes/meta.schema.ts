/** Schemas and routes of the service itself: health and the OpenAPI document. */
import type { JsonSchema, RouteSpec } from '../http/route-spec.js';

export const HEALTH = {
  title: 'Health',
  type: 'object',
  required: ['status'],
  properties: {
    status: { const: 'ok' },
    version: { type: 'string' },
    uptimeSeconds: { type: 'integer' },
    checksInFlight: { type: 'integer' },
    activeBatches: { type: 'integer' },
    monitors: { type: 'integer' },
  },
} as const satisfies JsonSchema;

const PROBE = {
  title: 'Probe',
  type: 'object',
  required: ['status'],
  properties: {
    status: { enum: ['ok', 'unavailable'] },
    checks: {
      type: 'object',
      description: 'Each condition of readiness and whether it holds.',
      additionalProperties: { type: 'boolean' },
    },
    message: {
      type: 'string',
      description: 'When not ready: one sentence naming each check that fails.',
    },
  },
} as const satisfies JsonSchema;

export const META_ROUTES = {
  health: {
    method: 'GET',
    url: '/api/health',
    operationId: 'getHealth',
    summary: 'Whether the service is up',
    tag: 'meta',
    responses: { 200: { description: 'The service is up.', schema: HEALTH } },
  },
  openapi: {
    method: 'GET',
    url: '/api/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This document',
    tag: 'meta',
    responses: { 200: { description: 'The OpenAPI 3.1 document.', schema: { type: 'object' } } },
  },
  liveness: {
    method: 'GET',
    url: '/healthz',
    operationId: 'getLiveness',
    summary: 'Liveness: the process answers',
    tag: 'meta',
    responses: { 200: { description: 'Alive.', schema: PROBE } },
  },
  readiness: {
    method: 'GET',
    url: '/readyz',
    operationId: 'getReadiness',
    summary: 'Readiness: the database answers and the batch and monitor workers run',
    tag: 'meta',
    responses: {
      200: { description: 'Ready.', schema: PROBE },
      503: { description: 'Not ready; `checks` says what fails.', schema: PROBE },
    },
  },
  metrics: {
    method: 'GET',
    url: '/metrics',
    operationId: 'getMetrics',
    summary: 'Prometheus metrics (a token with the metrics or admin scope)',
    tag: 'meta',
    responses: {
      200: {
        description: 'The Prometheus text exposition format.',
        mediaType: 'text/plain; version=0.0.4',
      },
    },
  },
} as const satisfies Record<string, RouteSpec>;
