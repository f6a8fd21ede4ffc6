import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';

export type Resource<T> =
  | { readonly status: 'idle' }
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly data: T }
  | { readonly status: 'failed'; readonly error: ApiError };

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(0, 'client-error', message, null);
}

/**
 * Loads `load()` whenever `key` changes (null: nothing to load). A response that arrives after the
 * key changed again is dropped, so a quick click through history never shows the wrong record.
 */
export function useResource<T>(
  key: string | null,
  load: () => Promise<T>,
): [Resource<T>, (data: T) => void] {
  const [state, setState] = useState<Resource<T>>({ status: 'idle' });
  useEffect(() => {
    if (key === null) {
      setState({ status: 'idle' });
      return;
    }
    let current = true;
    setState({ status: 'loading' });
    load().then(
      (data) => current && setState({ status: 'ready', data }),
      (error: unknown) => current && setState({ status: 'failed', error: toApiError(error) }),
    );
    return () => {
      current = false;
    };
    // `load` is recreated on every render; the key says when it means something new.
  }, [key]);
  const replace = (data: T) => setState({ status: 'ready', data });
  return [state, replace];
}
