/** What is wrong with an API description, with where and what was expected. */

export type ApiDescriptionErrorCode =
  /** Not YAML or JSON at all. */
  | 'OPENAPI_SYNTAX'
  /** Parsed, but neither OpenAPI 3.x nor Swagger 2.0. */
  | 'OPENAPI_VERSION'
  /** The parser's validation refused it (schema, $ref, path parameters, ...). */
  | 'OPENAPI_INVALID'
  /** Valid, but no concrete URL can be made (no server, or a relative one, and no base URL). */
  | 'OPENAPI_NO_BASE_URL';

/**
 * A description that cannot be turned into operations. `problems` lists each of the parser's
 * complaints, its location first; `message` says all of it, starting with `corsproof:`.
 */
export class ApiDescriptionError extends Error {
  override readonly name = 'ApiDescriptionError';
  constructor(
    readonly code: ApiDescriptionErrorCode,
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(`corsproof: ${message}`);
  }
}
