/**
 * An API description (OpenAPI 3.0, 3.1 or Swagger 2.0) as the concrete requests a page would send:
 * one per operation, with a URL, parameter values and the headers it needs. The checker and the
 * auditor then run on each.
 */
export { baseUrlOf } from './base-url.js';
export { ApiDescriptionError, type ApiDescriptionErrorCode } from './errors.js';
export { loadApiDescription } from './load.js';
export { type ApiOperation, type ListOperationsOptions, listOperations } from './operations.js';
export { SAMPLE_UUID, sampleOfParameter, sampleOfSchema } from './sample-value.js';
export { PLACEHOLDER_SECRET, type SecurityNeeds, securityOf } from './security.js';
export { type OperationFilter, selectOperations } from './select.js';
export type { ApiDocument } from './types.js';
