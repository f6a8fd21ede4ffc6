/**
 * What an operation's security asks of the calling page, with placeholder credentials: never a
 * real secret (the description has none, and a check only needs the header's *name* to know the
 * preflight a browser would send).
 *
 * OpenAPI 3: https://spec.openapis.org/oas/v3.1.0#security-requirement-object
 * Swagger 2: https://swagger.io/specification/v2/#security-requirement-object
 */
import type {
  ApiDocument,
  OperationLike,
  SecurityRequirement,
  SecuritySchemeLike,
} from './types.js';

/** The placeholder credential in every made-up security header and query parameter. */
export const PLACEHOLDER_SECRET = 'corsproof-placeholder';
/** `placeholder:placeholder` in base64, so the header is well-formed Basic credentials. */
const BASIC_PLACEHOLDER = btoa(`${PLACEHOLDER_SECRET}:${PLACEHOLDER_SECRET}`);

export interface SecurityNeeds {
  /** Headers the page sets: Authorization, an API key's header. */
  readonly headers: readonly (readonly [string, string])[];
  /** Query parameters (an API key `in: query`). */
  readonly query: readonly (readonly [string, string])[];
  /** A scheme is a cookie: the page must send with credentials for the browser to add it. */
  readonly credentials: boolean;
  /** The names of the schemes used. */
  readonly schemes: readonly string[];
}

const NONE: SecurityNeeds = { headers: [], query: [], credentials: false, schemes: [] };

function schemesOf(doc: ApiDocument): Readonly<Record<string, SecuritySchemeLike>> {
  return doc.components?.securitySchemes ?? doc.securityDefinitions ?? {};
}

/** What one scheme adds; `null` for one the page cannot act on (mutual TLS). */
function needOf(
  scheme: SecuritySchemeLike,
): { header?: [string, string]; query?: [string, string]; cookie?: true } | null {
  switch (scheme.type) {
    case 'http': {
      const kind = (scheme.scheme ?? '').toLowerCase();
      if (kind === 'basic') return { header: ['Authorization', `Basic ${BASIC_PLACEHOLDER}`] };
      if (kind === 'bearer') return { header: ['Authorization', `Bearer ${PLACEHOLDER_SECRET}`] };
      // Digest and other registered schemes: the same header, with that scheme's name.
      return { header: ['Authorization', `${scheme.scheme ?? 'Bearer'} ${PLACEHOLDER_SECRET}`] };
    }
    // Swagger 2.0's name for http basic.
    case 'basic':
      return { header: ['Authorization', `Basic ${BASIC_PLACEHOLDER}`] };
    // A page calls an OAuth 2 or OpenID Connect API with the access token as a bearer token.
    case 'oauth2':
    case 'openIdConnect':
      return { header: ['Authorization', `Bearer ${PLACEHOLDER_SECRET}`] };
    case 'apiKey': {
      const name = scheme.name ?? '';
      if (name === '') return null;
      if (scheme.in === 'header') return { header: [name, PLACEHOLDER_SECRET] };
      if (scheme.in === 'query') return { query: [name, PLACEHOLDER_SECRET] };
      if (scheme.in === 'cookie') return { cookie: true };
      return null;
    }
    default:
      // mutualTLS: the browser's client certificate, nothing the page sets.
      return null;
  }
}

/**
 * The security an operation needs: its own `security` if it has one (`security: []` opts out),
 * else the document's. Of the alternatives a requirement list offers, the first is taken; every
 * scheme of that one applies at once.
 *
 * @example
 * securityOf(doc, { security: [{ bearer: [] }] }).headers // [['Authorization', 'Bearer corsproof-placeholder']]
 */
export function securityOf(doc: ApiDocument, operation: OperationLike): SecurityNeeds {
  const requirements: readonly SecurityRequirement[] = operation.security ?? doc.security ?? [];
  const [first] = requirements;
  if (first === undefined) return NONE;
  const schemes = schemesOf(doc);
  const headers: [string, string][] = [];
  const query: [string, string][] = [];
  let credentials = false;
  const names = Object.keys(first);
  for (const name of names) {
    const scheme = schemes[name];
    const need = scheme === undefined ? null : needOf(scheme);
    if (need === null) continue;
    // Two schemes on the same header (bearer and oauth2): one header line, the first one's.
    if (need.header && !headers.some(([n]) => n.toLowerCase() === need.header?.[0].toLowerCase()))
      headers.push(need.header);
    if (need.query) query.push(need.query);
    if (need.cookie) credentials = true;
  }
  return { headers, query, credentials, schemes: names };
}
