/** The API request that starts a batch, from the targets the form read. */
import type { RawTarget } from '../../../../src/targets/index.js';
import type { AuditInput, BatchRequest, CheckInput } from '../../types';

/** The body of the request that starts a batch of `kind` over `targets`. */
export function toBatchRequest(kind: BatchRequest['kind'], targets: readonly RawTarget[]) {
  if (kind === 'audit') {
    return {
      kind,
      targets: targets.map(
        (t): AuditInput => ({
          url: t.url,
          origin: t.origin,
          credentials: t.credentials === 'include',
        }),
      ),
    } satisfies BatchRequest;
  }
  return {
    kind,
    targets: targets.map(
      (t): CheckInput => ({
        url: t.url,
        origin: t.origin,
        method: t.method,
        headers: t.headers,
        credentials: t.credentials,
      }),
    ),
  } satisfies BatchRequest;
}

/** What the form's "API description" part holds. */
export interface OpenApiFields {
  /** The description's text, pasted or read from a file; empty when a link is given. */
  readonly text: string;
  readonly url: string;
  readonly baseUrl: string;
  /** Patterns separated by spaces or commas: path globs or tag:NAME. */
  readonly include: string;
  readonly exclude: string;
}

function patterns(text: string): string[] {
  return text.split(/[\s,]+/).filter((p) => p !== '');
}

/**
 * The body of the request that starts a batch over the operations of an API description: the
 * text when there is one, else the link.
 *
 * @example
 * toOpenApiRequest('check', { text: '', url: 'https://api.example/openapi.json', baseUrl: '', include: 'tag:public', exclude: '' }, { origin, credentials: 'omit' })
 */
export function toOpenApiRequest(
  kind: BatchRequest['kind'],
  fields: OpenApiFields,
  defaults: { readonly origin: string; readonly credentials: string },
) {
  const include = patterns(fields.include);
  const exclude = patterns(fields.exclude);
  const text = fields.text.trim() === '' ? undefined : fields.text;
  return {
    kind,
    openapi: {
      ...(text === undefined ? { url: fields.url.trim() } : { text }),
      origin: defaults.origin,
      ...(fields.baseUrl.trim() === '' ? {} : { baseUrl: fields.baseUrl.trim() }),
      ...(include.length === 0 ? {} : { include }),
      ...(exclude.length === 0 ? {} : { exclude }),
      credentials: defaults.credentials === 'include',
    },
  } satisfies BatchRequest;
}
