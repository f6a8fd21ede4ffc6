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
