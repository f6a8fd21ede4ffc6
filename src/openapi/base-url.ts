/**
 * Where the operations live: the caller's base URL, else the first server of an OpenAPI 3
 * document (its variables at their defaults), else Swagger 2.0's scheme, host and basePath.
 *
 * https://spec.openapis.org/oas/v3.1.0#server-object
 * https://swagger.io/specification/v2/#swagger-object (host, basePath, schemes)
 */
import { ApiDescriptionError } from './errors.js';
import type { ApiDocument } from './types.js';

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function absolute(url: string, relativeTo: string | undefined, what: string): string {
  try {
    const parsed = relativeTo === undefined ? new URL(url) : new URL(url, relativeTo);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError();
    return withoutTrailingSlash(parsed.href);
  } catch {
    throw new ApiDescriptionError(
      'OPENAPI_NO_BASE_URL',
      `${what} ${JSON.stringify(url)} is not an absolute http(s) URL; give the API's address with --base-url (e.g. --base-url https://api.example.com/v1)`,
    );
  }
}

/**
 * The URL every path is appended to, without a trailing slash.
 *
 * @param baseUrl the caller's override
 * @param documentUrl where the document was fetched from: a relative server URL is relative to it
 *
 * @example
 * baseUrlOf({ openapi: '3.0.3', servers: [{ url: 'https://api.example.com/v1/' }] }) // 'https://api.example.com/v1'
 */
export function baseUrlOf(doc: ApiDocument, baseUrl?: string, documentUrl?: string): string {
  if (baseUrl !== undefined) return absolute(baseUrl, undefined, 'the base URL');
  if (doc.openapi !== undefined) {
    const server = doc.servers?.[0];
    if (server?.url === undefined) {
      throw new ApiDescriptionError(
        'OPENAPI_NO_BASE_URL',
        "the description has no servers; give the API's address with --base-url (e.g. --base-url https://api.example.com)",
      );
    }
    // Server variables ({region}) take their defaults.
    const url = server.url.replace(
      /\{([^}]+)\}/g,
      (whole, name: string) => server.variables?.[name]?.default ?? whole,
    );
    return absolute(url, documentUrl, 'the first server URL');
  }
  if (doc.host === undefined) {
    throw new ApiDescriptionError(
      'OPENAPI_NO_BASE_URL',
      "the description has no host; give the API's address with --base-url (e.g. --base-url https://api.example.com)",
    );
  }
  // Swagger 2.0: https when offered, since a page on https cannot call http at all.
  const schemes = doc.schemes ?? [];
  const scheme = schemes.includes('https') ? 'https' : (schemes[0] ?? 'https');
  return absolute(`${scheme}://${doc.host}${doc.basePath ?? ''}`, undefined, 'the host');
}
