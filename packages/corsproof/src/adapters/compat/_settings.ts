/**
 * The options of one request, with `cors` 2.8's defaults filled in.
 */
import type { CorsOptions } from './types.js';

/**
 * What the middleware works from. The values are as loosely typed as JavaScript callers can make
 * them: `cors` 2.8 accepts whatever it is given and so must this layer.
 */
export interface Settings {
  readonly origin: unknown;
  readonly methods: unknown;
  readonly allowedHeaders?: unknown;
  readonly headers?: unknown;
  readonly exposedHeaders?: unknown;
  readonly credentials?: unknown;
  readonly maxAge?: unknown;
  readonly preflightContinue: unknown;
  readonly optionsSuccessStatus: number | undefined;
}

const DEFAULTS: Settings = Object.freeze({
  origin: '*',
  methods: 'GET,HEAD,PUT,PATCH,POST,DELETE',
  preflightContinue: false,
  optionsSuccessStatus: 204,
});

/**
 * Lays the request's options over the defaults. Like the `Object.assign` in `cors` 2.8, a spread
 * copies own properties whose value is `undefined`: `{ origin: undefined }` turns CORS off and
 * `{ methods: undefined }` makes preflights fail. Both are kept, since configurations built from
 * unset environment variables rely on the first. The merge happens per request, as there, so an
 * options object changed after `cors()` was called takes effect.
 */
export function withDefaults(options: CorsOptions | null | undefined): Settings {
  return { ...DEFAULTS, ...options };
}
