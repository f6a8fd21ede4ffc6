/**
 * The JSON Schema of the policy file, for editors: with `"$schema":
 * "https://corsproof.dev/schema/policy-file.json"` in `cors.json` they complete option names and
 * flag typos as you type. It describes the shape only; `parsePolicyFile` still checks what a
 * schema cannot (origin syntax, credentials with `*`, unreachable path patterns) and explains why.
 * `docs/policy-file.schema.json` is this object as JSON (a test keeps the two equal).
 */
import { POLICY_FILE_SCHEMA_ID } from 'corsproof';

const nameList = (what: string, example: string) => ({
  description: `${what}, or "*" for any. Example: ${example}`,
  anyOf: [
    { const: '*' },
    { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
  ],
});

const policy = {
  type: 'object',
  description: 'One CORS policy: the options of compilePolicy.',
  required: ['origins'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    origins: {
      description:
        'Origins that may read responses: exact ("https://app.example.com"), subdomain patterns ("https://*.example.com", never the apex), any port ("http://localhost:*"), or "*" for any origin (not with credentials).',
      anyOf: [
        { const: '*' },
        {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { type: 'string', pattern: '^[a-z][a-z0-9+.-]*://' },
        },
      ],
    },
    credentials: {
      type: 'boolean',
      description: 'Allow cookies and HTTP authentication (Access-Control-Allow-Credentials).',
    },
    methods: nameList(
      'Methods a preflight may ask for beyond GET, HEAD and POST',
      '["PUT", "DELETE"]',
    ),
    requestHeaders: nameList(
      'Request headers a preflight may ask for',
      '["Content-Type", "Authorization"]',
    ),
    exposeHeaders: nameList('Response headers script may read', '["X-Request-Id"]'),
    maxAge: {
      type: 'integer',
      minimum: 0,
      maximum: 86400,
      description: 'Seconds a browser may cache a preflight (Chromium caps it at 7200).',
    },
    privateNetwork: {
      type: 'boolean',
      description: 'Answer Private Network Access preflights.',
    },
    preflightStatus: {
      type: 'integer',
      minimum: 200,
      maximum: 299,
      description: 'Status of an accepted preflight; default 204.',
    },
    debug: {
      type: 'boolean',
      description:
        'Refused preflights carry the headers that make the browser console name the failure.',
    },
    dangerouslyAllowInsecureOrigins: {
      type: 'boolean',
      description: 'Allow http: origins other than loopback together with credentials.',
    },
    dangerouslyAllowPublicSuffixWildcards: {
      type: 'boolean',
      description:
        'Allow wildcard patterns at a public suffix (https://*.github.io) with credentials.',
    },
  },
} as const;

const entry = {
  description: 'A policy, or false for no CORS.',
  anyOf: [{ $ref: '#/definitions/policy' }, { const: false }],
} as const;

/** The JSON Schema (draft-07) of a corsproof policy file. */
export const POLICY_FILE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: POLICY_FILE_SCHEMA_ID,
  title: 'corsproof policy file',
  description:
    'One CORS policy, or several: a default, named policies and a path table (first match wins). Used by the corsproof middleware, corsproof generate, corsproof conform and corsproof audit --policy.',
  oneOf: [
    { $ref: '#/definitions/policy' },
    {
      type: 'object',
      title: 'several policies',
      additionalProperties: false,
      minProperties: 1,
      anyOf: [{ required: ['default'] }, { required: ['policies'] }, { required: ['paths'] }],
      properties: {
        $schema: { type: 'string' },
        default: { ...entry, description: 'The policy where no path pattern matches.' },
        policies: {
          type: 'object',
          description: 'Named policies, for paths to refer to by name.',
          additionalProperties: { $ref: '#/definitions/entry' },
        },
        paths: {
          type: 'object',
          description:
            'Path patterns ("/api/*", "/orders/:id") to a policy name, a policy, or false; the first match wins.',
          propertyNames: { pattern: '^/' },
          additionalProperties: {
            anyOf: [{ $ref: '#/definitions/entry' }, { type: 'string', minLength: 1 }],
          },
        },
      },
    },
  ],
  definitions: { policy, entry },
} as const;
