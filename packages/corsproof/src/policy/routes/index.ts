/**
 * Per-route and named policies, framework-free: every adapter builds on these.
 */
export { type CorsRoutesCode, CorsRoutesError, type CorsRoutesIssue } from './errors.js';
export { type CorsFactory, claim, createCorsFactory, type PolicySelector } from './factory.js';
export type { UnreadablePath } from './path.js';
export {
  definePolicies,
  type PolicyChoice,
  type PolicyInput,
  type PolicyRegistry,
  type PolicyRegistryOptions,
} from './registry.js';
export {
  compilePathTable,
  type PathTable,
  type PathTableInput,
  type PathTableOptions,
  type RouteMatch,
  type RouteVia,
} from './table.js';
