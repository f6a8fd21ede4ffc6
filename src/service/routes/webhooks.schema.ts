/** Schemas and routes of a monitor's webhook and its delivery log. */
import { type Static, Type } from '@sinclair/typebox';
import type { JsonSchema, RouteSpec } from '../http/route-spec.js';
import { BAD_REQUEST, Enum, ID_PARAMS, NOT_FOUND, TIMESTAMP, URL_FIELD } from './shared.schema.js';

export const WEBHOOK_INPUT = Type.Object(
  {
    url: Type.String({
      ...URL_FIELD,
      description:
        'Where to POST each transition. The same rules as check targets apply (no private addresses unless the server allows them).',
    }),
    format: Type.Optional(
      Enum(['json', 'slack'], {
        description:
          'json (default): the event as JSON. slack: { "text": ... }, for a Slack or Mattermost incoming webhook.',
      }),
    ),
    secret: Type.Optional(
      Type.String({
        minLength: 16,
        maxLength: 256,
        description:
          'The HMAC-SHA256 key of the Corsproof-Signature header. Default: a random one, answered this once.',
      }),
    ),
  },
  { title: 'WebhookInput', additionalProperties: false },
);

export type WebhookBody = Readonly<Static<typeof WEBHOOK_INPUT>>;

export const WEBHOOK_SET = {
  title: 'WebhookSet',
  type: 'object',
  required: ['url', 'format'],
  properties: {
    url: { type: 'string' },
    format: { enum: ['json', 'slack'] },
    secret: {
      type: 'string',
      description: 'The generated signing secret, answered this once (absent when given).',
    },
  },
} as const satisfies JsonSchema;

export const WEBHOOK_STATUS = {
  title: 'WebhookStatus',
  type: 'object',
  required: ['webhook', 'deliveries'],
  properties: {
    webhook: {
      anyOf: [
        {
          type: 'object',
          required: ['url', 'format'],
          properties: { url: { type: 'string' }, format: { enum: ['json', 'slack'] } },
        },
        { type: 'null' },
      ],
    },
    deliveries: {
      type: 'array',
      description: 'The latest deliveries, newest first, each with its attempts.',
      items: {
        type: 'object',
        required: ['id', 'createdAt', 'url', 'status', 'attempts', 'nextAttemptAt', 'log'],
        properties: {
          id: { type: 'string' },
          createdAt: TIMESTAMP,
          url: { type: 'string' },
          status: { enum: ['pending', 'delivered', 'failed'] },
          attempts: { type: 'integer' },
          nextAttemptAt: { type: ['string', 'null'], format: 'date-time' },
          payload: { type: 'string' },
          log: {
            type: 'array',
            items: {
              type: 'object',
              required: ['attempt', 'at', 'statusCode', 'error'],
              properties: {
                attempt: { type: 'integer' },
                at: TIMESTAMP,
                statusCode: { type: ['integer', 'null'] },
                error: { type: ['string', 'null'] },
              },
            },
          },
        },
      },
    },
  },
} as const satisfies JsonSchema;

export const WEBHOOK_ROUTES = {
  setWebhook: {
    method: 'POST',
    url: '/api/monitors/:id/webhook',
    operationId: 'setWebhook',
    summary: "Set (or replace) the monitor's webhook, called on each change of outcome",
    tag: 'monitors',
    params: ID_PARAMS,
    body: WEBHOOK_INPUT,
    responses: {
      200: { description: 'Set.', schema: WEBHOOK_SET },
      400: BAD_REQUEST,
      404: NOT_FOUND,
    },
  },
  getWebhook: {
    method: 'GET',
    url: '/api/monitors/:id/webhook',
    operationId: 'getWebhook',
    summary: "The monitor's webhook (never its secret) and its delivery log",
    tag: 'monitors',
    params: ID_PARAMS,
    responses: { 200: { description: 'The webhook.', schema: WEBHOOK_STATUS }, 404: NOT_FOUND },
  },
  deleteWebhook: {
    method: 'DELETE',
    url: '/api/monitors/:id/webhook',
    operationId: 'deleteWebhook',
    summary: "Remove the monitor's webhook",
    tag: 'monitors',
    params: ID_PARAMS,
    responses: { 204: { description: 'Removed.' }, 404: NOT_FOUND },
  },
} as const satisfies Record<string, RouteSpec>;
