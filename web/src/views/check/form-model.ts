/** The check form's values, and their translation to and from the API's input. */

import { EMULATION_INFOS } from '../../../../src/check/emulations/catalog.js';
import type { EmulationInfo } from '../../../../src/check/emulations/emulation.js';
import { type HeaderRow, newHeaderRow } from '../../components/header-rows';
import type { BrowserName, CheckInput, HeaderPair, StoredCheckInput } from '../../types';

/** The server-side checkers the service can emulate (data only: no checker in the bundle). */
export const EMULATIONS: readonly EmulationInfo[] = EMULATION_INFOS;

/** The emulation with this id, or undefined (the empty id is a browser's check). */
export function emulationOf(id: string): EmulationInfo | undefined {
  return EMULATIONS.find((e) => e.id === id);
}

/** The origin the demo API trusts (see `corsproof demo`). */
export const DEMO_ORIGIN = 'https://app.example.com';

export const ORIGIN_PRESETS: readonly { readonly label: string; readonly origin: string }[] = [
  ...EMULATIONS.map((e) => ({ label: `${e.platform} dashboard`, origin: e.origin })),
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
  /** The id of the emulated server-side checker, or '' for a browser's check. */
  readonly emulate: string;
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
  emulate: '',
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
    ...(emulationOf(values.emulate) !== undefined
      ? { emulate: values.emulate as NonNullable<CheckInput['emulate']> }
      : { origin: values.origin.trim() }),
    method,
    headers,
    credentials: values.credentials,
    ...(methodTakesBody(method) && values.body !== '' ? { body: values.body } : {}),
    browser: values.browser,
    preflightOnly: values.preflightOnly,
    ...(values.allowUnsafeMethods ? { allowUnsafeMethods: true } : {}),
  };
}

/**
 * The checks a submit runs: the form's own first, then, with an emulation, the checker's other
 * probes (Galxe's preflights GET and POST), so the page can give the verdict over all of them.
 */
export function checkInputsOf(values: CheckFormValues): CheckInput[] {
  const first = toCheckInput(values);
  const emulation = emulationOf(values.emulate);
  if (emulation === undefined) return [first];
  const method = (first.method ?? 'GET').toUpperCase();
  const others = emulation.probeMethods.filter((m) => m !== method);
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
    emulate: input.emulate ?? (input.galxe === true ? 'galxe' : ''),
    allowUnsafeMethods: input.allowUnsafeMethods,
  };
}
