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
} as const satisfies Record<string, RouteSpec>;
