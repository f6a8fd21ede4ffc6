/**
 * corsproof/compat: a drop-in replacement for the `cors` package (2.8), for migrating without a
 * change in behaviour. New code should use `corsproof/express`, which validates its policy.
 *
 * @example
 * // before: import cors from 'cors';
 * import cors from 'corsproof/compat';
 *
 * app.use(cors({ origin: 'https://app.example.com', credentials: true }));
 *
 * @example
 * // CommonJS (Node >= 20.19 or >= 22.12, where require() loads ES modules):
 * const cors = require('corsproof/compat');
 */

// `module.exports` is the name Node's require(esm) looks for: with it, `require()` returns the
// function itself, as it does for the `cors` package, rather than a namespace object.
export { cors, cors as default, cors as 'module.exports' } from './cors.js';
export type {
  CorsMiddleware,
  CorsOptions,
  CorsOptionsCallback,
  CorsOptionsDelegate,
  CorsRequest,
  CorsResponse,
  CustomOrigin,
  NextFunction,
  OriginCallback,
  OriginEntry,
  StaticOrigin,
} from './types.js';
export { COMPAT_WARNING_CODES, COMPAT_WARNING_TYPE, type CompatWarningCode } from './warnings.js';
