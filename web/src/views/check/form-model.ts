/** The check form's values, and their translation to and from the API's input. */
import { type HeaderRow, newHeaderRow } from '../../components/header-rows';
import type { BrowserName, CheckInput, HeaderPair, StoredCheckInput } from '../../types';

export const GALXE_ORIGIN = 'https://dashboard.galxe.com';

/** The origin the demo API trusts (see `corsproof demo`). */
export const DEMO_ORIGIN = 'https://app.example.com';

export const ORIGIN_PRESETS: readonly { readonly label: string; readonly origin: string }[] = [
  { label: 'Galxe dashboard', origin: GALXE_ORIGIN },
  { label: 'localhost:3000', origin: 'http://localhost:3000' },
  { label: 'Demo app', origin: DEMO_ORIGIN },
];

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

export type FormCredentials = 'omit' | 'include';

export interface CheckFormValues {
  readonly url: string;
  readonly origin: string;
  readonly method: string;
  readonly headers: readonly HeaderRow[];
  readonly credentials: FormCredentials;
  readonly body: string;
  readonly browser: BrowserName;
  readonly preflightOnly: boolean;
  readonly galxe: boolean;
  /** Send PUT, DELETE, PATCH... for real; the service sends only their preflight otherwise. */
  readonly allowUnsafeMethods: boolean;
}

export const EMPTY_FORM: CheckFormValues = {
  url: '',
  origin: DEMO_ORIGIN,
  method: 'GET',
  headers: [],
  credentials: 'omit',
  body: '',
  browser: 'chromium',
  preflightOnly: false,
  galxe: false,
  allowUnsafeMethods: false,
};

/**
 * Whether the service sends this method for real only with `allowUnsafeMethods` (it may change
 * data); a rough client-side echo of the service's rule, to show the option when it matters.
 */
export function mayChangeData(method: string): boolean {
  const upper = method.trim().toUpperCase();
  return !['', 'GET', 'HEAD', 'OPTIONS'].includes(upper);
}

/** GET and HEAD requests cannot have a body (fetch() throws). */
export function methodTakesBody(method: string): boolean {
  const upper = method.trim().toUpperCase();
  return upper !== 'GET' && upper !== 'HEAD' && upper !== '';
}

export function toCheckInput(values: CheckFormValues): CheckInput {
  const headers: HeaderPair[] = values.headers
    .filter((row) => row.name.trim() !== '')
    .map((row) => [row.name.trim(), row.value]);
  const method = values.method.trim() || 'GET';
  return {
    url: values.url.trim(),
    ...(values.galxe ? { galxe: true } : { origin: values.origin.trim() }),
    method,
    headers,
    credentials: values.credentials,
    ...(methodTakesBody(method) && values.body !== '' ? { body: values.body } : {}),
    browser: values.browser,
    preflightOnly: values.preflightOnly,
    ...(values.allowUnsafeMethods ? { allowUnsafeMethods: true } : {}),
  };
}

/** Galxe's CORS Check sends one preflight per method a credential API may be called with. */
const GALXE_METHODS = ['GET', 'POST'] as const;

/**
 * The checks a submit runs: the form's own first, then, in Galxe mode, Galxe's other probe (its
 * check preflights GET and POST), so the page can give the verdict over both.
 */
export function checkInputsOf(values: CheckFormValues): CheckInput[] {
  const first = toCheckInput(values);
  if (!values.galxe) return [first];
  const others = GALXE_METHODS.filter((m) => m !== (first.method ?? 'GET').toUpperCase());
  return [first, ...others.map((method) => toCheckInput({ ...values, method }))];
}

/** The form that runs the stored check again (credential header values come back redacted). */
export function fromStoredInput(input: StoredCheckInput): CheckFormValues {
  return {
    url: input.url,
    origin: input.origin,
    method: input.method,
    headers: input.headers.map(([name, value]) => newHeaderRow(name, value)),
    credentials: input.credentials === 'include' ? 'include' : 'omit',
    body: input.body ?? '',
    browser: input.browser,
    preflightOnly: input.preflightOnly,
    galxe: input.galxe,
    allowUnsafeMethods: input.allowUnsafeMethods,
  };
}
