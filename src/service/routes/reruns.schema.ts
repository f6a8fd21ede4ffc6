/** Schemas and routes of "run again": a stored check, audit or batch run anew with its input. */
import type { ResponseSpec, RouteSpec } from '../http/route-spec.js';
import { AUDIT_RECORD } from './audits.schema.js';
import { BATCH_ACCEPTED } from './batches.schema.js';
import { CHECK_RECORD } from './checks.schema.js';
import { BUSY, ERROR_BODY, ID_PARAMS, NOT_FOUND, RATE_LIMITED } from './shared.schema.js';

const CREDENTIALS_GONE: ResponseSpec = {
  description:
    'The input carried credentials, which are stored redacted only: submit it again with them.',
  schema: ERROR_BODY,
};

export const RERUN_ROUTES = {
  rerunCheck: {
    method: 'POST',
    url: '/api/checks/:id/rerun',
    operationId: 'rerunCheck',
    summary: 'Run a stored check again, as a new check',
    tag: 'checks',
    params: ID_PARAMS,
    responses: {
      201: { description: 'The new check.', schema: CHECK_RECORD },
      404: NOT_FOUND,
      409: CREDENTIALS_GONE,
      429: RATE_LIMITED,
      503: BUSY,
    },
  },
  rerunAudit: {
    method: 'POST',
    url: '/api/audits/:id/rerun',
    operationId: 'rerunAudit',
    summary: 'Run a stored audit again, as a new audit',
    tag: 'audits',
    params: ID_PARAMS,
    responses: {
      201: { description: 'The new audit.', schema: AUDIT_RECORD },
      404: NOT_FOUND,
      409: CREDENTIALS_GONE,
      429: RATE_LIMITED,
      503: BUSY,
    },
  },
  rerunBatch: {
    method: 'POST',
    url: '/api/batches/:id/rerun',
    operationId: 'rerunBatch',
    summary: 'Queue a batch again with the same targets, as a new batch',
    tag: 'batches',
    params: ID_PARAMS,
    responses: {
      202: { description: 'The new batch, queued.', schema: BATCH_ACCEPTED },
      404: NOT_FOUND,
      409: CREDENTIALS_GONE,
      429: RATE_LIMITED,
      503: BUSY,
    },
  },
} as const satisfies Record<string, RouteSpec>;
